/** The storage services the wizard knows by name; `other` is any S3-compatible service. Stored as a connector's `provider`. */
export const PROVIDERS = {
  aws: { label: 'Amazon S3', endpointExample: null, region: null, help: 'Buckets on Amazon S3 itself.' },
  minio: {
    label: 'MinIO',
    endpointExample: 'https://minio.example.com:9000',
    region: 'us-east-1',
    help: 'The address of the MinIO S3 API (port 9000 by default), not of its console. MinIO signs for us-east-1 unless configured otherwise.',
  },
  r2: {
    label: 'Cloudflare R2',
    endpointExample: 'https://<ACCOUNT_ID>.r2.cloudflarestorage.com',
    region: 'auto',
    help: 'Your account’s R2 endpoint (R2 → Overview → S3 API). R2 uses the region "auto".',
  },
  b2: {
    label: 'Backblaze B2',
    endpointExample: 'https://s3.us-west-004.backblazeb2.com',
    region: 'us-west-004',
    help: 'The S3 endpoint shown on the bucket’s page; its region is the part after "s3." (for example us-west-004).',
  },
  ceph: {
    label: 'Ceph (RADOS Gateway)',
    endpointExample: 'https://rgw.example.com',
    region: null,
    help: 'The address of the RADOS Gateway. Set Region only if your zonegroup expects one.',
  },
  other: { label: 'Other S3-compatible', endpointExample: 'https://s3.example.com', region: null, help: 'Any service that speaks the S3 API.' },
} as const;
export type Provider = keyof typeof PROVIDERS;
export const PROVIDER_IDS = Object.keys(PROVIDERS) as [Provider, ...Provider[]];

/**
 * The provider kept for a config: Amazon S3 when there is no Custom URL (whatever was sent), otherwise the one chosen —
 * `other` when none was, or when `aws` was sent with a Custom URL.
 */
export function providerFor(endpointUrl: string | null, chosen: Provider | null | undefined): Provider {
  if (endpointUrl === null) return 'aws';
  return chosen && chosen !== 'aws' ? chosen : 'other';
}
