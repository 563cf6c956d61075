import * as z from 'zod';
import { CHECK_SCHEDULES, DEFAULT_CHECK_SCHEDULE } from './check-schedule.ts';
import { ConnectionCheckSummarySchema } from './check-schemas.ts';
import { LIST_CREDENTIALS, LIST_SORTS, LIST_STATUSES, UNSTRUCTURED_DESTINATION_TYPES } from './list-options.ts';
import { PROVIDER_IDS, providerFor, type Provider } from './providers.ts';
import { checkS3Config, normalizeS3Config, SECRET_MASK, type CheckOptions, type S3Config } from './s3-config.ts';

export const CheckScheduleSchema = z.enum(CHECK_SCHEDULES, { error: `check_schedule is one of ${CHECK_SCHEDULES.join(', ')}` });

const text = (label: string, max: number) =>
  z.string({ error: `${label} must be text` }).max(max, `${label} can be at most ${max} characters`);
const flag = (label: string) => z.boolean({ error: `${label} must be true or false` });

export const NameSchema = z
  .string({ error: 'Enter a name for this connector' })
  .trim()
  .min(1, 'Enter a name for this connector')
  .max(100, 'Names can be at most 100 characters')
  // Tabs, line breaks and NUL have no place in a name, and PostgreSQL cannot store NUL in text at all.
  .refine((name) => ![...name].some((c) => c.charCodeAt(0) < 0x20 || c.charCodeAt(0) === 0x7f), "Names can't contain control characters such as tabs or line breaks");

const fields = {
  remote_url: text('The Bucket URI', 1024),
  anonymous: flag('anonymous'),
  ambient_credentials: flag('ambient_credentials'),
  key: text('The AWS Key', 256).nullable(),
  secret: text('The AWS Secret Key', 256).nullable(),
  // Generous before whitespace is stripped; the 16 KiB rule applies to the token itself.
  token: text('The STS Token', 64 * 1024).nullable(),
  endpoint_url: text('The Custom URL', 2048).nullable(),
  region: text('The region', 64).nullable(),
  token_expires_at: text('The token expiry', 64).nullable().meta({ description: 'RFC 3339 time at which the STS Token expires' }),
  provider: z
    .enum(PROVIDER_IDS, { error: `provider must be one of ${PROVIDER_IDS.join(', ')}` })
    .nullable()
    .meta({ description: 'Ours: the service the wizard chose, kept for editing (aws without a Custom URL, other when not given)' }),
};

/** A full S3 config as a client sends it, before the field rules. */
export const S3ConfigDraftSchema = z.object({
  remote_url: z.string({ error: 'Enter a Bucket URI, like s3://my-bucket/' }).max(1024, 'The Bucket URI can be at most 1024 characters'),
  anonymous: fields.anonymous.optional(),
  ambient_credentials: fields.ambient_credentials.optional(),
  key: fields.key.optional(),
  secret: fields.secret.optional(),
  token: fields.token.optional(),
  endpoint_url: fields.endpoint_url.optional(),
  region: fields.region.optional(),
  token_expires_at: fields.token_expires_at.optional(),
  provider: fields.provider.optional(),
});

/** A config as saved with a destination: what the check uses, and the provider the form shows. */
export type SavedS3Config = S3Config & { provider: Provider };

export function createS3ConfigInputSchema(options: CheckOptions) {
  return S3ConfigDraftSchema.transform((draft, ctx): SavedS3Config => {
    const { issues, value } = checkS3Config(normalizeS3Config(draft), options);
    for (const issue of issues) {
      ctx.issues.push({ code: 'custom', path: [issue.field], message: issue.message, params: { type: issue.type }, input: undefined });
    }
    return { ...value, provider: providerFor(value.endpoint_url, draft.provider) };
  });
}

/** PUT semantics: an omitted field keeps its stored value, null clears it, a value replaces it. */
export const S3ConfigPatchSchema = z.object({
  remote_url: fields.remote_url.optional(),
  anonymous: fields.anonymous.nullable().optional(),
  ambient_credentials: fields.ambient_credentials.nullable().optional(),
  key: fields.key.optional(),
  secret: fields.secret.optional(),
  token: fields.token.optional(),
  endpoint_url: fields.endpoint_url.optional(),
  region: fields.region.optional(),
  token_expires_at: fields.token_expires_at.optional(),
  provider: fields.provider.optional(),
});
export type S3ConfigPatch = z.infer<typeof S3ConfigPatchSchema>;

export function createCreateDestinationSchema(options: CheckOptions) {
  return z.object({
    name: NameSchema,
    type: z.literal('s3', { error: 'Only destinations of type "s3" are supported' }),
    config: createS3ConfigInputSchema(options),
    /** Ours: how often the server checks it again by itself (default daily). */
    check_schedule: CheckScheduleSchema.default(DEFAULT_CHECK_SCHEDULE),
  });
}
export type CreateDestinationInput = z.input<ReturnType<typeof createCreateDestinationSchema>>;

export const UpdateDestinationSchema = z.object({
  name: NameSchema.optional(),
  config: S3ConfigPatchSchema.optional(),
  /** Ours: how often the server checks it again by itself; a new schedule starts from now. */
  check_schedule: CheckScheduleSchema.optional(),
  /** Ours: a finished check of exactly this change (merged with this destination) joins its history. */
  connection_check_id: z.uuid({ error: 'connection_check_id must be a connection check id (a UUID)' }).optional(),
});
export type UpdateDestinationInput = z.infer<typeof UpdateDestinationSchema>;

export const ConfigWarningSchema = z.object({ field: z.string(), code: z.string(), message: z.string() });

/** The config as the API shows it: a saved secret or token only as the mask, as Unstructured shows them. */
export const DestinationConfigViewSchema = z.object({
  remote_url: z.string(),
  anonymous: z.boolean(),
  ambient_credentials: z.boolean(),
  key: z.string().nullable(),
  secret: z.literal(SECRET_MASK).nullable().meta({ description: `${SECRET_MASK} when an AWS Secret Key is saved; sent back, it keeps the saved one` }),
  token: z.literal(SECRET_MASK).nullable().meta({ description: `${SECRET_MASK} when an STS Token is saved; sent back, it keeps the saved one` }),
  endpoint_url: z.string().nullable(),
  region: z.string().nullable(),
  token_expires_at: z.string().nullable(),
  has_secret: z.boolean(),
  has_token: z.boolean(),
  provider: z.enum(PROVIDER_IDS),
  token_saved_at: z.string().nullable().meta({ description: 'Ours: when the STS Token was saved, the start of its lifetime' }),
});

export const CredentialsSchema = z.object({
  method: z.enum(['access_key', 'temporary', 'anonymous', 'ambient']),
  expires_at: z.string().nullable(),
  /** When the token was saved: with `expires_at`, the lifetime whose last quarter is 'expiring'. */
  saved_at: z.string().nullable(),
  state: z.enum(['ok', 'expiring', 'expired', 'unknown', 'not_applicable']),
  expired_by_check: z.boolean(),
});

export const DestinationSchema = z
  .object({
    id: z.uuid(),
    name: z.string(),
    type: z.literal('s3'),
    config: DestinationConfigViewSchema,
    created_at: z.string(),
    updated_at: z.string(),
    version: z.number().int(),
    /** Moves when the config changes (a rename does not): a check of an older one is stale. */
    config_version: z.number().int(),
    credentials: CredentialsSchema,
    last_check: ConnectionCheckSummarySchema.nullable(),
    /** Ours: how often the server checks it again by itself, and when it next will (null: off). */
    check_schedule: CheckScheduleSchema,
    next_check_at: z.string().nullable(),
  })
  .meta({ id: 'Destination' });
export type Destination = z.infer<typeof DestinationSchema>;

export const DestinationWithWarningsSchema = DestinationSchema.extend({ warnings: z.array(ConfigWarningSchema) });
export type DestinationWithWarnings = z.infer<typeof DestinationWithWarningsSchema>;

/** `a,b` → the distinct values, each one of `allowed` (a 422 on the parameter otherwise). */
const commaList = <T extends string>(name: string, allowed: readonly [T, ...T[]]) =>
  z
    .string()
    .max(200, `${name} is too long`)
    .transform((value, ctx) => {
      const values = [...new Set(value.split(',').map((v) => v.trim()).filter(Boolean))];
      const unknown = values.filter((v) => !(allowed as readonly string[]).includes(v));
      if (unknown.length > 0 || values.length === 0) {
        ctx.addIssue({ code: 'custom', message: `${name} takes ${allowed.join(', ')} (several separated by commas)` });
        return z.NEVER;
      }
      return values as T[];
    });

export const DestinationListQuerySchema = z.object({
  /** One of Unstructured's destination types: s3 are all ours; any other is a list with nothing in it. */
  destination_type: z
    .enum(UNSTRUCTURED_DESTINATION_TYPES, { error: `destination_type takes one of Unstructured's destination types: ${UNSTRUCTURED_DESTINATION_TYPES.join(', ')}` })
    .optional(),
  limit: z.coerce
    .number({ error: 'limit must be a number' })
    .int('limit must be a whole number')
    .min(1, 'limit must be at least 1')
    .max(500, 'limit can be at most 500')
    .optional(),
  cursor: z.string().max(1200, 'cursor is not one this server gave out').optional(),
  /** The one destination with this name (names are unique regardless of case), or none: `[]`. */
  name: z.string().max(200, 'name can be at most 200 characters').optional(),
  /** Ours: a piece of the name, Bucket URI or Custom URL, regardless of case. */
  q: z.string().max(200, 'q can be at most 200 characters').optional(),
  sort: z.enum(LIST_SORTS, { error: `sort takes ${LIST_SORTS.join(', ')}` }).optional(),
  /** The latest check: failing (FAILURE), passing (SUCCESS), untested (none yet); several separated by commas. */
  status: commaList('status', LIST_STATUSES).optional(),
  /** Temporary credentials that are expired, expiring (the last quarter of their lifetime) or ok; several separated by commas. */
  credentials: commaList('credentials', LIST_CREDENTIALS).optional(),
});
export type DestinationListQuery = z.infer<typeof DestinationListQuerySchema>;
export type { ListCredentials, ListSort, ListStatus } from './list-options.ts';

export const DestinationParamsSchema = z.object({ id: z.uuid({ error: 'Destination ids are UUIDs' }) });
