import * as z from 'zod';

export const ACTIVITY_KINDS = ['destination.created', 'destination.updated', 'destination.deleted', 'check.finished', 'session.signed_in', 'session.sign_in_failed', 'session.signed_out', 'api_key.created', 'api_key.revoked', 'user.invited', 'user.role_changed', 'user.deactivated', 'user.reactivated', 'user.link_created', 'user.password_set', 'settings.changed'] as const;
export type ActivityKind = (typeof ACTIVITY_KINDS)[number];

export const ActivitySchema = z.object({
  kind: z.enum(ACTIVITY_KINDS),
  outcome: z.enum(['ok', 'failed']),
  /** Names of the fields changed, or a check's reason: never a value. */
  detail: z.string().nullable(),
  at: z.string(),
  /** Who acted: a user by e-mail, or an API key by name and prefix; null for the server's own work (a check finishing). */
  actor: z.string().nullable(),
});
export type Activity = z.infer<typeof ActivitySchema>;
