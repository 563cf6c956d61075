import * as z from 'zod';
import { HIDDEN_CHARACTERS_MESSAGE, hasHiddenCharacters } from './human-text.ts';
import { ROLE_LABELS, roleSentence } from './permissions.ts';
import { parseRfc3339 } from './s3-config.ts';

/**
 * API keys: how scripts authenticate (`Authorization: Bearer <key>` or `unstructured-api-key: <key>`). A key is shown
 * once, when it is created; the server keeps only its hash and its first characters (`prefix`), so a person can tell
 * keys apart and a secret scanner can recognise a leaked one by `API_KEY_PREFIX`.
 */
export const API_KEY_PREFIX = 's3dk_';
/** The characters shown for a key after it was created: the prefix and the first few random ones. */
export const API_KEY_SHOWN_LENGTH = API_KEY_PREFIX.length + 6;

/** The roles a key may have. The admin manages keys; no key can (a key's role is at most editor). */
export const API_KEY_ROLES = ['viewer', 'editor'] as const;
export type ApiKeyRole = (typeof API_KEY_ROLES)[number];
/** What a key of each role may do, in the words of the permissions table. */
export const API_KEY_ROLE_LABELS = Object.fromEntries(
  API_KEY_ROLES.map((role) => [role, { label: ROLE_LABELS[role], description: roleSentence(role) }]),
) as Record<ApiKeyRole, { label: string; description: string }>;

export const API_KEY_NAME_MAX = 100;
/** The longest a key may live: a key that never expires is a choice ("Never"), a date beyond this one a typo. */
export const API_KEY_MAX_LIFETIME_DAYS = 3 * 366;

/** What creating a key takes. `expires_at` is RFC 3339 with an offset, or null for a key that does not expire. */
export const ApiKeyCreateSchema = z.object({
  name: z
    .string({ error: 'Enter a name, so you can tell this key from the others' })
    .trim()
    .min(1, 'Enter a name, so you can tell this key from the others')
    .max(API_KEY_NAME_MAX, `Use at most ${API_KEY_NAME_MAX} characters`)
    .refine((name) => !hasHiddenCharacters(name), HIDDEN_CHARACTERS_MESSAGE),
  role: z.enum(API_KEY_ROLES, { error: 'Choose Viewer or Editor' }),
  expires_at: z
    .string()
    .max(64)
    .nullable()
    .default(null)
    .transform((value, context) => {
      if (value === null) return null;
      const parsed = parseRfc3339(value);
      if (parsed === null)
        context.addIssue({ code: 'custom', message: 'Enter the expiry as an RFC 3339 time with a time zone, like 2027-03-01T00:00:00Z' });
      return parsed ?? z.NEVER;
    }),
});

/** Why an expiry cannot be used at `now` (past, or beyond the longest lifetime), or null. */
export function apiKeyExpiryProblem(expiresAt: string | null, now: number): string | null {
  if (expiresAt === null) return null;
  const at = Date.parse(expiresAt);
  if (at <= now) return 'Choose an expiry in the future';
  if (at > now + API_KEY_MAX_LIFETIME_DAYS * 86_400_000) return `Choose an expiry within ${API_KEY_MAX_LIFETIME_DAYS} days, or Never`;
  return null;
}
export type ApiKeyCreate = z.input<typeof ApiKeyCreateSchema>;

export const API_KEY_STATES = ['active', 'expired', 'revoked'] as const;
export type ApiKeyState = (typeof API_KEY_STATES)[number];

export const ApiKeySchema = z
  .object({
    id: z.string(),
    name: z.string(),
    /** The key's first characters (`s3dk_` and six more): enough to recognise it, nothing to sign in with. */
    prefix: z.string(),
    role: z.enum(API_KEY_ROLES),
    owner: z.string(),
    created_at: z.string(),
    expires_at: z.string().nullable(),
    last_used_at: z.string().nullable(),
    revoked_at: z.string().nullable(),
    state: z.enum(API_KEY_STATES),
  })
  .meta({ id: 'ApiKey' });
export type ApiKey = z.infer<typeof ApiKeySchema>;

/** The answer to a create: the key itself, this once. */
export const ApiKeyCreatedSchema = ApiKeySchema.extend({ key: z.string() }).meta({ id: 'ApiKeyCreated' });
export type ApiKeyCreated = z.infer<typeof ApiKeyCreatedSchema>;

/** The state of a key at `now`: revoked wins over expired (it was a decision). */
export function apiKeyState(key: { expires_at: string | null; revoked_at: string | null }, now: number): ApiKeyState {
  if (key.revoked_at !== null) return 'revoked';
  if (key.expires_at !== null && Date.parse(key.expires_at) <= now) return 'expired';
  return 'active';
}
