import type { Actor } from '#shared/activity-schemas';
import type { S3Config } from '#shared/s3-config';
import { UnprocessableError } from '../errors.ts';
import { freshExternalId, type ExternalIdsRepository } from '../store/external-ids-repository.ts';

/**
 * External IDs for the "IAM role" method are made by this server. Not a secret — AWS's external ID only tells the
 * tenants of one trusted principal apart — but one a client cannot choose, and one that names one connector for good:
 * a client that could pick any ID, or reuse one a deleted connector held, could name another customer's and reach
 * their role (the confused deputy). Once bound to a connector, an ID is never accepted for any other, whether that
 * connector still holds it or not — on create, update and both check routes.
 */
export const EXTERNAL_ID_IN_USE = "This external ID is another connector's (or was): leave it out and the server makes one";
const NOT_ISSUED =
  'This external ID was not made by this server: leave it out and the server makes one (or ask for one: POST /api/v1/iam-role/external-ids)';
const CHANGED = "The external ID is made by the server and stays the connector's: leave it out, or send back the one you read";

/**
 * The external ID a role's config is saved or checked with: the connector's own (`kept`: it never changes), else the
 * one the client was given by this server and no other connector holds or held, else a new one. A 422 on the field
 * otherwise. `destinationId` is the connector saved or checked (null for a new one); `save` issues a new ID as a row
 * recorded to whom, where an unsaved check gets one that is never recorded (no trust policy can name it).
 */
export async function settleExternalId<C extends S3Config>(
  repo: ExternalIdsRepository,
  config: C,
  kept: string | null,
  destinationId: string | null,
  save: { by: Actor | null } | null,
): Promise<C> {
  if (config.role_arn === null) return { ...config, external_id: null };
  const sent = config.external_id;
  const refuse = (msg: string, type: string): never => {
    throw new UnprocessableError([{ loc: ['body', 'config', 'external_id'], msg, type }]);
  };
  if (kept !== null) return sent === null || sent === kept ? { ...config, external_id: kept } : refuse(CHANGED, 'external_id_not_issued');
  if (sent === null) return { ...config, external_id: save ? await repo.issue(save.by) : freshExternalId() };
  const use = await repo.use(sent, destinationId);
  if (use === 'unknown') refuse(NOT_ISSUED, 'external_id_not_issued');
  if (use === 'taken') refuse(EXTERNAL_ID_IN_USE, 'external_id_in_use');
  return { ...config, external_id: sent };
}
