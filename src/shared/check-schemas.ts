import * as z from 'zod';

export const STEP_NAMES = ['validate', 'endpoint', 'assume_role', 'identity', 'bucket', 'write', 'multipart', 'cleanup'] as const;
export type StepName = (typeof STEP_NAMES)[number];
/** Each step as the results name it (and as "Same cause as …" refers to it). */
export const STEP_LABELS: Record<StepName, string> = {
  validate: 'Configuration',
  endpoint: 'Endpoint reachable',
  assume_role: 'Assume the IAM role',
  identity: 'Identity (STS)',
  bucket: 'Bucket',
  write: 'Write a test object',
  multipart: 'Multipart upload',
  cleanup: 'Clean up',
};
export const STEP_STATUSES = ['pending', 'running', 'passed', 'warning', 'failed', 'skipped'] as const;
export type StepStatus = (typeof STEP_STATUSES)[number];

export const StepSchema = z.object({
  name: z.enum(STEP_NAMES),
  status: z.enum(STEP_STATUSES),
  duration_ms: z.number().int().nullable(),
  /** Ours: when the step started, in ms from the start of the check (steps run side by side: identity ‖ bucket, write ‖ multipart). */
  started_ms: z.number().int().nullable(),
  /** The S3/STS/network error code behind a failure or warning. */
  code: z.string().nullable(),
  /** One sentence a user understands (why a step was skipped, too). */
  message: z.string().nullable(),
  /** What to do about it. */
  hint: z.string().nullable(),
  /** The IAM action involved, when a permission is at stake. */
  iam_action: z.string().nullable(),
});
export type Step = z.infer<typeof StepSchema>;

/** The steps of a check, all pending; `assume_role` only where the server assumes an IAM role. */
export const pendingSteps = (withRole = false): Step[] =>
  STEP_NAMES.filter((name) => withRole || name !== 'assume_role').map((name) => ({
    name,
    status: 'pending',
    duration_ms: null,
    started_ms: null,
    code: null,
    message: null,
    hint: null,
    iam_action: null,
  }));

export const CHECK_STATUSES = ['SCHEDULED', 'SUCCESS', 'FAILURE'] as const;
export type CheckStatus = (typeof CHECK_STATUSES)[number];

export const ConnectionCheckSchema = z
  .object({
    id: z.uuid(),
    destination_id: z.uuid().nullable(),
    status: z.enum(CHECK_STATUSES),
    reason: z.string().nullable(),
    created_at: z.string(),
    reported_at: z.string().nullable(),
    steps: z.array(StepSchema),
    identity: z.object({ arn: z.string(), account: z.string() }).nullable(),
    region: z.string().nullable(),
    /** Ours: the destination's config_version this check tested; null for a check of a config never saved. */
    config_version: z.number().int().nullable(),
    /** Ours: started by a person or an API key (manual), or by the destination's schedule. */
    trigger: z.enum(['manual', 'scheduled']),
    /**
     * Ours: someone cancelled it (its `status` is FAILURE, as Unstructured's clients know three values): neither a pass
     * nor a failure of the connector, whose list status, filters and alerts keep the check before.
     */
    cancelled: z.boolean(),
    /** Ours: who cancelled it (a user's e-mail, an API key's name), when it was cancelled by someone. */
    cancelled_by: z.string().nullable(),
  })
  .meta({ id: 'ConnectionCheck' });
export type ConnectionCheck = z.infer<typeof ConnectionCheckSchema>;

/** What a destination shows of its latest check. */
export const ConnectionCheckSummarySchema = ConnectionCheckSchema.pick({
  id: true,
  status: true,
  reason: true,
  created_at: true,
  reported_at: true,
  config_version: true,
  trigger: true,
  region: true,
}).extend({
  /** The code of the step that failed the check (its fix is offered in the list), or null. */
  code: z.string().nullable(),
});
export type ConnectionCheckSummary = z.infer<typeof ConnectionCheckSummarySchema>;

export const CheckParamsSchema = z.object({ check_id: z.uuid({ error: 'Connection check ids are UUIDs' }) });

/** A check of a config that is not saved: a full one, or a patch merged on the server with a saved destination. */
export const UnsavedCheckRequestSchema = z.object({
  type: z.literal('s3', { error: 'Only type "s3" is supported' }).optional(),
  destination_id: z.uuid({ error: 'destination_id must be a destination id (a UUID)' }).optional(),
  config: z.record(z.string(), z.unknown(), { error: 'Send the config to check as an object' }),
});
