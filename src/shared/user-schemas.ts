import * as z from 'zod';

import { parseEmail } from './email-address.ts';
import { HIDDEN_CHARACTERS_MESSAGE, hasHiddenCharacters } from './human-text.ts';
import { ROLE_LABELS, roleSentence } from './permissions.ts';
import { USER_ROLES, type UserRole } from './roles.ts';

export { roleAtLeast, USER_ROLES, type UserRole } from './roles.ts';

/**
 * People who sign in, each with a role (roles.ts). The server decides (every route declares a permission, and
 * permissions.ts names the least role holding it); the browser only hides what a role cannot do. What each role may
 * do is told from the same table.
 */
export const USER_ROLE_LABELS = Object.fromEntries(
  USER_ROLES.map((role) => [role, { label: ROLE_LABELS[role], description: roleSentence(role) }]),
) as Record<UserRole, { label: string; description: string }>;

export const PASSWORD_MIN_LENGTH = 12;
const PASSWORD_MAX_LENGTH = 1024;
export const USER_NAME_MAX = 100;
/** How long a one-time link works: an invitation a week, a password reset a day. */
export const INVITATION_DAYS = 7;
export const RESET_HOURS = 24;

export const NewPasswordSchema = z
  .string({ error: `Choose a password of at least ${PASSWORD_MIN_LENGTH} characters` })
  .min(PASSWORD_MIN_LENGTH, `Use at least ${PASSWORD_MIN_LENGTH} characters`)
  .max(PASSWORD_MAX_LENGTH, 'That password is too long');

export const SignInSchema = z.object({
  // The first admin of an upgraded install signs in as plain "admin": any name, not only an address.
  email: z.string({ error: 'Enter your e-mail' }).trim().min(1, 'Enter your e-mail').max(254, 'That e-mail is too long'),
  password: z.string({ error: 'Enter your password' }).min(1, 'Enter your password').max(PASSWORD_MAX_LENGTH, 'That password is too long'),
});
export type SignIn = z.input<typeof SignInSchema>;

/** An e-mail that names a person: parsed and normalised by the one rule (email-address.ts), the problem said on the field. */
export const EmailSchema = z.string({ error: 'Enter an e-mail address, like ana@example.com' }).transform((value, context) => {
  const verdict = parseEmail(value);
  if (verdict.ok) return verdict.email;
  context.addIssue({ code: 'custom', message: verdict.problem });
  return z.NEVER;
});

export const UserInviteSchema = z.object({
  email: EmailSchema,
  name: z
    .string()
    .trim()
    .max(USER_NAME_MAX, `Use at most ${USER_NAME_MAX} characters`)
    .refine((name) => !hasHiddenCharacters(name), HIDDEN_CHARACTERS_MESSAGE)
    .default(''),
  role: z.enum(USER_ROLES, { error: 'Choose Viewer, Editor or Admin' }),
});
export type UserInvite = z.input<typeof UserInviteSchema>;

export const UserRoleChangeSchema = z.object({ role: z.enum(USER_ROLES, { error: 'Choose Viewer, Editor or Admin' }) });

export const USER_STATES = ['active', 'invited', 'deactivated'] as const;
export const UserSchema = z
  .object({
    id: z.string(),
    email: z.string(),
    name: z.string(),
    role: z.enum(USER_ROLES),
    /** invited: has not set a password yet. */
    state: z.enum(USER_STATES),
    created_at: z.string(),
    deactivated_at: z.string().nullable(),
  })
  .meta({ id: 'User' });
export type User = z.infer<typeof UserSchema>;

/** A one-time link, in the one answer that makes it: only its hash is kept, so it cannot be shown again. */
export const UserLinkSchema = z.object({ url: z.string(), expires_at: z.string() }).meta({ id: 'UserLink' });
export const UserInvitedSchema = z.object({ user: UserSchema, link: UserLinkSchema }).meta({ id: 'UserInvited' });

/** The token of a one-time link, as the set-password page sends it (from the URL's fragment, never its path). */
export const LinkTokenSchema = z.object({
  token: z.string({ error: 'This link is incomplete' }).min(1, 'This link is incomplete').max(200, 'This link is not one of ours'),
});
export const UseLinkSchema = LinkTokenSchema.extend({ password: NewPasswordSchema });
export const LinkInfoSchema = z.object({
  purpose: z.enum(['invitation', 'password_reset']),
  email: z.string(),
  name: z.string(),
  expires_at: z.string(),
});
export type LinkInfo = z.infer<typeof LinkInfoSchema>;

export const SessionUserSchema = z.object({ id: z.string(), email: z.string(), name: z.string(), role: z.enum(USER_ROLES) });
export type SessionUser = z.infer<typeof SessionUserSchema>;

/** A live session as its owner (or an admin) sees it: never its token. */
export const SessionViewSchema = z
  .object({
    id: z.string(),
    user_id: z.string(),
    email: z.string(),
    created_at: z.string(),
    last_seen_at: z.string(),
    expires_at: z.string(),
    client_address: z.string().nullable(),
    user_agent: z.string().nullable(),
    /** The session this request came with. */
    current: z.boolean(),
  })
  .meta({ id: 'SessionView' });
export type SessionView = z.infer<typeof SessionViewSchema>;
export const SessionsQuerySchema = z.object({
  /** Whose sessions: yours by default; an admin may ask for anyone's, or `all`. */
  user: z.union([z.uuid({ error: 'user is a user id, or all' }), z.literal('all')]).optional(),
});
