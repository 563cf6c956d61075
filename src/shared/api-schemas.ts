import * as z from 'zod';
import { SessionUserSchema } from './user-schemas.ts';

/** FastAPI's 422 body, as Unstructured answers. */
export const ValidationErrorSchema = z.object({
  loc: z.array(z.union([z.string(), z.number().int()])),
  msg: z.string(),
  type: z.string(),
});
export type ValidationError = z.infer<typeof ValidationErrorSchema>;
export const HTTPValidationErrorSchema = z.object({ detail: z.array(ValidationErrorSchema) }).meta({ id: 'HTTPValidationError' });

/** Every other error: one sentence. */
export const DetailSchema = z.object({ detail: z.string() });

export { SignInSchema } from './user-schemas.ts';

/** How one may sign in here: a password (unless an admin turned it off), and single sign-on when it is set up. */
export const SignInOptionsSchema = z.object({ password: z.boolean(), oidc: z.object({ name: z.string() }).nullable() });
export type SignInOptions = z.infer<typeof SignInOptionsSchema>;
export const SignedInSessionSchema = z.object({
  signed_in: z.literal(true),
  expires_at: z.string(),
  /** Who is signed in, with their role now: the screens offer only what it allows. */
  user: SessionUserSchema,
  settings: z.object({ ambient_credentials_allowed: z.boolean() }),
  sign_in: SignInOptionsSchema,
});
export type SignedInSession = z.infer<typeof SignedInSessionSchema>;
/** Who is signed in: a public question, answered 200 either way (a signed-out page load is not an error). */
export const SignInSettingsSchema = z.object({ password_sign_in: z.boolean({ error: 'password_sign_in is true or false' }) });
export const SignedOutSessionSchema = z.object({ signed_in: z.literal(false), sign_in: SignInOptionsSchema });
export const SessionSchema = z.discriminatedUnion('signed_in', [SignedInSessionSchema, SignedOutSessionSchema]);
export type Session = z.infer<typeof SessionSchema>;

export const HealthSchema = z.object({ status: z.literal('ok') });
