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
  settings: z.object({ ambient_credentials_allowed: z.boolean(), iam_roles_allowed: z.boolean() }),
  sign_in: SignInOptionsSchema,
});
export type SignedInSession = z.infer<typeof SignedInSessionSchema>;
/** Who is signed in: a public question, answered 200 either way (a signed-out page load is not an error). */
export const SignInSettingsSchema = z.object({ password_sign_in: z.boolean({ error: 'password_sign_in is true or false' }) });
export const SignedOutSessionSchema = z.object({
  signed_in: z.literal(false),
  sign_in: SignInOptionsSchema,
  /** Why the session this browser had was ended, when its person should be told: an admin deactivated them. */
  ended: z.enum(['deactivated']).nullable(),
});
export const SessionSchema = z.discriminatedUnion('signed_in', [SignedInSessionSchema, SignedOutSessionSchema]);
export type Session = z.infer<typeof SessionSchema>;

export const HealthSchema = z.object({ status: z.literal('ok') });
export const ReadinessSchema = z.object({ status: z.literal('ready') });
/** What is running: for operators and support (signed in). */
export const AboutSchema = z
  .object({
    version: z.string(),
    /** The number of the last migration applied to the database. */
    schema_version: z.number(),
    node_version: z.string(),
  })
  .meta({ id: 'About' });

/** What the "IAM role" method needs from this server: whether it is offered, and the principal trust policies name. */
export const IamRoleSettingsSchema = z
  .object({
    allowed: z.boolean(),
    /** The ARN a role's trust policy names as its principal (a role session's ARN becomes its role's). */
    principal_arn: z.string().nullable(),
    /** Who the server is when it assumes roles, as STS says (a role session's ARN, when it runs as a role). */
    caller_arn: z.string().nullable(),
    /** Why the server cannot assume roles now (no base credentials, refused ones), in one sentence; null when it can. */
    problem: z.string().nullable(),
    /** The AWS accounts whose roles may be named (IAM_ROLE_ACCOUNT_ALLOWLIST); null: any. */
    account_allowlist: z.array(z.string()).nullable(),
  })
  .meta({ id: 'IamRoleSettings' });
export type IamRoleSettings = z.infer<typeof IamRoleSettingsSchema>;

export const ExternalIdSchema = z.object({ external_id: z.string() });
