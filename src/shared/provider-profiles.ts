import { PROVIDERS, type Provider } from './providers.ts';

/**
 * What the connection check says differs by service: where keys come from, where permissions live and how to grant
 * one, whether a policy change takes time to apply, and where the service lists its error codes. One row per
 * service (`PROVIDERS` names them); a new service is one more row. Nothing AWS-only is said of a service that is not
 * AWS: on Ceph's RADOS Gateway a bucket policy applies at the next request, and the bucket's owner is who grants access.
 */
export type ProviderProfile = {
  label: string;
  /** Where the access key and its secret are found or made, in the service's own words. */
  keysFrom: string;
  /** A key that may write but not list, as the service would call it. */
  writeOnly: string;
  /** How to let these credentials use `action` on `resource`, in the service's terms. */
  grant: (action: string, resource: string) => string;
  /** Said after a hint about permissions or a missing bucket when changes take time to apply there; null: they do not. */
  propagation: string | null;
  /** The service's own page of S3 error codes, or null where it publishes none we could verify. */
  errorCodes: string | null;
  /** How its administrator re-enables a disabled user or key, in its own terms. */
  enableUser: string;
  /** How a full quota is raised there. */
  raiseQuota: string;
  /** Its answers' `Server` header, as the service sends it; null where we could not confirm one. */
  server: RegExp | null;
  /** What its multipart uploads ask beyond S3's rules (parts of at least 5 MiB but the last), said when the check's passes; null: nothing. */
  multipart: string | null;
};

export const PROPAGATION_NOTE =
  'New buckets and changes to bucket or IAM policies can take from minutes to hours to reach every S3 endpoint: if you just made the change, wait and test again.';

export const PROVIDER_PROFILES: Record<Provider, ProviderProfile> = {
  aws: {
    label: PROVIDERS.aws.label,
    keysFrom: 'IAM (the user → Security credentials → Access keys)',
    writeOnly: 'a write-only role',
    grant: (action, resource) =>
      `Allow ${action} on ${resource} in an IAM policy of this identity (the least-privilege policy shown with the check does); if it is allowed there, look for a Deny in the bucket policy.`,
    propagation: PROPAGATION_NOTE,
    errorCodes: PROVIDERS.aws.errorCodes,
    server: /^AmazonS3$/,
    enableUser: 'an administrator of the AWS account re-activates the access key (IAM → the user → Security credentials)',
    raiseQuota: "S3 has no storage quota: ask whoever set the limit that refuses writes (a bucket policy or an organization's rule)",
    multipart: null,
  },
  minio: {
    label: PROVIDERS.minio.label,
    keysFrom: 'the MinIO Console (Access Keys) or mc admin user svcacct',
    writeOnly: 'a key that may write but not list',
    grant: (action, resource) =>
      `Attach a policy allowing ${action} on ${resource} to this user or access key (MinIO Console → Policies, or mc admin policy attach); a bucket policy can allow it too.`,
    propagation: null,
    errorCodes: PROVIDERS.minio.errorCodes,
    server: /^MinIO$/,
    enableUser: 'a MinIO administrator re-enables the user or access key (MinIO Console → Identity, or mc admin user enable)',
    raiseQuota: "a MinIO administrator raises the bucket's quota (mc quota set ALIAS/BUCKET --size …)",
    multipart: null,
  },
  r2: {
    label: PROVIDERS.r2.label,
    keysFrom: 'R2 → Manage API tokens (the Access Key ID and Secret Access Key are shown once, when the token is made)',
    writeOnly: 'a token that may write but not list',
    grant: (action) =>
      `R2 API tokens carry their permissions: use a token with Object Read & Write on this bucket (R2 → Manage API tokens), which includes ${action}.`,
    propagation: null,
    errorCodes: PROVIDERS.r2.errorCodes,
    server: /^cloudflare$/,
    enableUser: 'an administrator of the Cloudflare account makes a new R2 API token (tokens cannot be re-enabled)',
    raiseQuota: "R2 sets no storage quota on a bucket: check the account's R2 subscription and limits",
    multipart: 'R2 needs every part of an upload but the last to be of one size, at least 5 MiB.',
  },
  b2: {
    label: PROVIDERS.b2.label,
    keysFrom: 'the Backblaze web console → Application Keys (keyID and applicationKey, shown once)',
    writeOnly: 'a key that may write but not list',
    grant: (action) =>
      `B2 application keys carry their capabilities: use a key allowed to read and write this bucket (Application Keys → Add a New Application Key, not restricted to another bucket), which includes ${action}.`,
    propagation: null,
    errorCodes: PROVIDERS.b2.errorCodes,
    server: null,
    enableUser: 'an administrator of the Backblaze account makes a new application key (a deleted key cannot be restored)',
    raiseQuota: "raise the account's storage or transaction cap (Backblaze web console → Caps & Alerts)",
    multipart: null,
  },
  ceph: {
    label: PROVIDERS.ceph.label,
    keysFrom: 'the gateway user (radosgw-admin user info --uid=USER shows its keys)',
    writeOnly: 'a key that may write but not list',
    grant: (action, resource) =>
      `On Ceph the bucket's owner grants access: a bucket policy allowing ${action} on ${resource} to this user, set with the owner's keys (aws s3api put-bucket-policy --endpoint-url …), or an ACL; or use the owner's own keys.`,
    propagation: null,
    errorCodes: PROVIDERS.ceph.errorCodes,
    server: /^Ceph Object Gateway\b/,
    enableUser: 'a Ceph administrator re-enables the user (radosgw-admin user enable --uid=USER)',
    raiseQuota: "a Ceph administrator raises the user's or the bucket's quota (radosgw-admin quota set --quota-scope=user|bucket …)",
    multipart: null,
  },
  wasabi: {
    label: PROVIDERS.wasabi.label,
    keysFrom: 'the Wasabi Console → Access Keys (a sub-user’s keys need policies attached; the root account’s need none)',
    writeOnly: 'a key that may write but not list',
    grant: (action, resource) =>
      `Attach a policy allowing ${action} on ${resource} to the sub-user these keys belong to (Wasabi Console → Users → Policies; Wasabi's policies are AWS IAM's), or a bucket policy allowing it.`,
    propagation: null,
    errorCodes: PROVIDERS.wasabi.errorCodes,
    server: null,
    enableUser: "the Wasabi account's root user re-activates the access key or sub-user (Wasabi Console → Access Keys)",
    raiseQuota: 'Wasabi sets no bucket quota of its own: ask whoever set the limit that refuses writes',
    multipart: null,
  },
  gcs: {
    label: PROVIDERS.gcs.label,
    keysFrom: 'Cloud Storage → Settings → Interoperability (an HMAC key of a service account: its access ID and secret)',
    writeOnly: 'a key that may write but not list',
    grant: (action) =>
      `Give the service account the HMAC key belongs to a role on this bucket that includes writing and deleting objects (for example Storage Object User), which covers ${action}.`,
    propagation: null,
    errorCodes: PROVIDERS.gcs.errorCodes,
    server: /^UploadServer$/,
    enableUser: 'a project administrator re-activates the HMAC key (Cloud Storage → Settings → Interoperability)',
    raiseQuota: "ask the project's administrator about the quota or retention rule that refuses writes",
    multipart: null,
  },
  other: {
    label: PROVIDERS.other.label,
    keysFrom: "your service's console",
    writeOnly: 'a key that may write but not list',
    grant: (action, resource) =>
      `Allow ${action} on ${resource} for this key in the service's access policies (the key's or user's policy, or the bucket's).`,
    propagation: 'If you just made the change, some services apply it only after a while: wait a minute and test again.',
    errorCodes: PROVIDERS.other.errorCodes,
    server: null,
    enableUser: "the service's administrator re-enables the user or key",
    raiseQuota: "the service's administrator raises the user's or the bucket's quota",
    multipart: null,
  },
};

/** The profile of a connector: its provider's; Amazon S3 without a Custom URL, any S3-compatible service with one. */
export function profileOf(provider: Provider | null | undefined, customEndpoint: boolean | undefined): ProviderProfile {
  return PROVIDER_PROFILES[provider ?? (customEndpoint ? 'other' : 'aws')];
}

/**
 * The service an endpoint's `Server` header names (MinIO's "MinIO", the RADOS Gateway's "Ceph Object Gateway
 * (squid)", Cloudflare's "cloudflare", S3's "AmazonS3"), or null when it names none we know.
 */
export function providerFromServer(header: string | null | undefined): Provider | null {
  if (!header) return null;
  const found = (Object.entries(PROVIDER_PROFILES) as [Provider, ProviderProfile][]).find(([, profile]) => profile.server?.test(header));
  return found ? found[0] : null;
}

/** The warning when an endpoint's `Server` header names another service than the connector's provider. */
export function describeProviderMismatch(said: Provider, chosen: Provider, header: string): { message: string; hint: string } {
  const saidLabel = PROVIDER_PROFILES[said].label;
  return {
    message:
      chosen === 'other'
        ? `The endpoint says it is ${saidLabel} (Server: ${header}); this connector names no service, so its hints speak in general terms.`
        : `The endpoint says it is ${saidLabel} (Server: ${header}), but this connector names ${PROVIDER_PROFILES[chosen].label}: its hints speak of ${PROVIDER_PROFILES[chosen].label}.`,
    hint: `If it is ${saidLabel}, choose ${saidLabel} as the Provider (Edit): every hint then uses its terms — where its keys come from and how it grants access.`,
  };
}
