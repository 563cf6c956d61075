import type { S3ConfigPatch } from './destination-schemas.ts';
import { normalizeS3Config, SECRET_MASK, type ConfigIssue, type S3Config } from './s3-config.ts';

/**
 * Merges a PUT patch into the stored config (secrets included, on the server only) and reports the patch rules:
 * saved credentials are never sent to an endpoint, or with a key, they were not entered for.
 */
export function mergeS3ConfigPatch(stored: S3Config, sent: S3ConfigPatch): { merged: S3Config; issues: ConfigIssue[] } {
  const issues: ConfigIssue[] = [];
  const patch = unmaskPatch(sent);
  const draft = normalizeS3Config({
    remote_url: patch.remote_url ?? stored.remote_url,
    anonymous: patch.anonymous === undefined ? stored.anonymous : (patch.anonymous ?? false),
    ambient_credentials: patch.ambient_credentials === undefined ? stored.ambient_credentials : (patch.ambient_credentials ?? false),
    key: patch.key === undefined ? stored.key : patch.key,
    secret: patch.secret === undefined ? stored.secret : patch.secret,
    token: patch.token === undefined ? stored.token : patch.token,
    endpoint_url: patch.endpoint_url === undefined ? stored.endpoint_url : patch.endpoint_url,
    region: patch.region === undefined ? stored.region : patch.region,
    role_arn: patch.role_arn === undefined ? stored.role_arn : patch.role_arn,
    // The server's to make: a client sends back at most what it read (checked where the patch is applied).
    external_id: patch.external_id === undefined ? stored.external_id : patch.external_id,
    // A new token without an expiry makes the old expiry meaningless.
    token_expires_at: patch.token_expires_at !== undefined ? patch.token_expires_at : patch.token !== undefined ? null : stored.token_expires_at,
  });

  const keyChanged = draft.key !== stored.key;
  const endpointChanged = draft.endpoint_url !== stored.endpoint_url;
  if ((keyChanged || endpointChanged) && draft.key !== null) {
    const what = keyChanged ? 'the AWS Key' : 'the Custom URL';
    if (patch.secret === undefined && stored.secret !== null) {
      issues.push({
        field: 'secret',
        type: 'secret_required',
        message: `You changed ${what}: enter the AWS Secret Key again, so saved credentials never go where they were not entered for`,
      });
    }
    if (patch.token === undefined && stored.token !== null) {
      issues.push({
        field: 'token',
        type: 'token_required',
        message: `You changed ${what}: enter the STS Token again (or clear it), so saved credentials never go where they were not entered for`,
      });
    }
  }
  return { merged: draft, issues };
}

/**
 * The mask a response shows for a saved secret or token, sent back (a client that read a destination and sends it
 * again, as Unstructured's SDK does), counts as omitted: the saved value stays — and the rules above still ask for it
 * again when the key or the Custom URL changes.
 */
export function unmaskPatch(patch: S3ConfigPatch): S3ConfigPatch {
  return Object.fromEntries(
    Object.entries(patch).filter(([field, value]) => !((field === 'secret' || field === 'token') && value === SECRET_MASK)),
  ) as S3ConfigPatch;
}
