import type { S3Config } from '../../shared/s3-config.ts';
import { UnprocessableError } from '../errors.ts';
import type { SecretCipher } from './crypto.ts';

const PURPOSE = 'iam-role:external-id';

/**
 * External IDs for the "IAM role" method, made by this server: an empty value sealed with the app's key (AES-GCM), so
 * the ID is random, proves it was made here, and holds only the characters STS allows (base64url and dots). Not a
 * secret — AWS's external ID only tells the tenants of one trusted principal apart — but one a client cannot choose: a
 * client that could pick any ID could name another connector's and reach its role (the confused deputy).
 */
export function createExternalIds(cipher: SecretCipher) {
  const issue = (): string => cipher.encrypt('', PURPOSE);
  /** Made by this server (with its current or a previous key)? */
  const isIssued = (externalId: string): boolean => {
    try {
      cipher.decrypt(externalId, PURPOSE);
      return true;
    } catch {
      return false;
    }
  };
  return {
    issue,
    isIssued,
    /**
     * The external ID a role's config is saved or checked with: the connector's own (it never changes), else the one
     * the client was given by this server, else a new one. A problem (in words, for the field) otherwise.
     */
    settle(sent: string | null, kept: string | null): { ok: true; externalId: string } | { ok: false; message: string } {
      if (kept !== null) {
        return sent === null || sent === kept
          ? { ok: true, externalId: kept }
          : { ok: false, message: "The external ID is made by the server and stays the connector's: leave it out, or send back the one you read" };
      }
      if (sent === null) return { ok: true, externalId: issue() };
      return isIssued(sent)
        ? { ok: true, externalId: sent }
        : { ok: false, message: 'This external ID was not made by this server: leave it out and the server makes one (or ask for one: POST /api/v1/iam-role/external-ids)' };
    },
  };
}

export type ExternalIds = ReturnType<typeof createExternalIds>;

/**
 * A role's config with the external ID it is saved or checked with (`settle`); any other config without one. A 422 on
 * config.external_id when the client sent one this server did not make, or changed the connector's.
 */
export function withExternalId<C extends S3Config>(externalIds: ExternalIds, config: C, kept: string | null): C {
  if (config.role_arn === null) return { ...config, external_id: null };
  const settled = externalIds.settle(config.external_id, kept);
  if (!settled.ok) throw new UnprocessableError([{ loc: ['body', 'config', 'external_id'], msg: settled.message, type: 'external_id_not_issued' }]);
  return { ...config, external_id: settled.externalId };
}

export const EXTERNAL_ID_IN_USE = "This external ID is another connector's: leave it out and the server makes one";
