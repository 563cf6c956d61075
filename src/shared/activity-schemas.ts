import * as z from 'zod';
import { ACTIVITY_GROUPS, type ActivityGroup } from './activity-labels.ts';

export const ACTIVITY_KINDS = [
  'destination.created',
  'destination.updated',
  'destination.deleted',
  'check.finished',
  'check.cancelled',
  'session.signed_in',
  'session.sign_in_failed',
  'session.signed_out',
  'api_key.created',
  'api_key.revoked',
  'user.invited',
  'user.role_changed',
  'user.deactivated',
  'user.reactivated',
  'user.link_created',
  'user.password_set',
  'settings.changed',
] as const;
export type ActivityKind = (typeof ACTIVITY_KINDS)[number];

/** Who can act: a person (signed in) or an API key. The server's own work (a scheduled check) has no actor. */
export const ACTOR_KINDS = ['user', 'api_key'] as const;
export type ActorKind = (typeof ACTOR_KINDS)[number];
/** An actor as the record keeps it: kind and id decide who it is; the label is only for reading. */
export type Actor = { kind: ActorKind; id: string; label: string };
/** How `?actor=` names a principal: `user:<id>` or `api_key:<id>`. */
export const actorRef = (actor: Pick<Actor, 'kind' | 'id'>) => `${actor.kind}:${actor.id}`;

export const ActivitySchema = z.object({
  kind: z.enum(ACTIVITY_KINDS),
  outcome: z.enum(['ok', 'failed']),
  /** Names of the fields changed, or a check's reason: never a value. */
  detail: z.string().nullable(),
  at: z.string(),
  /** Who acted, for reading: a user by e-mail, or an API key by name and prefix; null for the server's own work (a check finishing). */
  actor: z.string().nullable(),
  /** Who acted, for telling apart: the kind of principal and its id (null for the server, and for entries older than these fields). */
  actor_kind: z.enum(ACTOR_KINDS).nullable(),
  actor_id: z.string().nullable(),
});
export type Activity = z.infer<typeof ActivitySchema>;

export { ACTIVITY_GROUPS, type ActivityGroup };
export const ACTIVITY_GROUP_NAMES = Object.keys(ACTIVITY_GROUPS) as ActivityGroup[];

export const ActivityQuerySchema = z.object({
  /** Who acted: `user:<id>` or `api_key:<id>` (a user's e-mail is taken for `user:` with that user's id). */
  actor: z.string().max(300, 'actor can be at most 300 characters').optional(),
  group: z
    .enum(ACTIVITY_GROUP_NAMES as [ActivityGroup, ...ActivityGroup[]], { error: `group is one of ${ACTIVITY_GROUP_NAMES.join(', ')}` })
    .optional(),
  /** The `next_before` of the previous page. */
  before: z.coerce
    .number({ error: 'before is the next_before of the previous page (a number)' })
    .int('before is the next_before of the previous page (a whole number)')
    .positive('before is the next_before of the previous page (above 0)')
    .optional(),
  limit: z.coerce
    .number({ error: 'limit must be a number' })
    .int('limit must be a whole number')
    .min(1, 'limit must be at least 1')
    .max(200, 'limit can be at most 200')
    .default(50),
});

export const ActivityEntrySchema = ActivitySchema.extend({
  id: z.number(),
  client_address: z.string().nullable(),
  destination_id: z.string().nullable(),
  /** The connector's name now, or null when it was deleted since (the deletion's own entry names it). */
  destination_name: z.string().nullable(),
}).meta({ id: 'ActivityEntry' });
export type ActivityEntry = z.infer<typeof ActivityEntrySchema>;
export const ActivityPageSchema = z.object({ items: z.array(ActivityEntrySchema), next_before: z.number().nullable() });
export type ActivityPage = z.infer<typeof ActivityPageSchema>;
