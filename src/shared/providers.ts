/**
 * The storage services the wizard knows by name; `other` is any S3-compatible service. Stored as a connector's
 * `provider`. `errorCodes`: the service's own page of S3 error codes, where an answer this app does not describe is
 * looked up (null where the service publishes none we could verify).
 */
export const PROVIDERS = {
  aws: {
    label: 'Amazon S3',
    endpointExample: null,
    region: null,
    help: 'Buckets on Amazon S3 itself.',
    errorCodes: 'https://docs.aws.amazon.com/AmazonS3/latest/API/ErrorResponses.html',
  },
  minio: {
    label: 'MinIO',
    endpointExample: 'https://minio.example.com:9000',
    region: 'us-east-1',
    help: 'The address of the MinIO S3 API (port 9000 by default), not of its console. MinIO signs for us-east-1 unless configured otherwise.',
    // MinIO publishes its S3 error codes in its server's source, the table its API answers from.
    errorCodes: 'https://github.com/minio/minio/blob/master/cmd/api-errors.go',
  },
  r2: {
    label: 'Cloudflare R2',
    endpointExample: 'https://<ACCOUNT_ID>.r2.cloudflarestorage.com',
    region: 'auto',
    help: 'Your account’s R2 endpoint (R2 → Overview → S3 API). R2 uses the region "auto".',
    errorCodes: 'https://developers.cloudflare.com/r2/api/error-codes/',
  },
  b2: {
    label: 'Backblaze B2',
    endpointExample: 'https://s3.us-west-004.backblazeb2.com',
    region: 'us-west-004',
    help: 'The S3 endpoint shown on the bucket’s page; its region is the part after "s3." (for example us-west-004).',
    errorCodes: null,
  },
  ceph: {
    label: 'Ceph (RADOS Gateway)',
    endpointExample: 'https://rgw.example.com',
    region: null,
    help: 'The address of the RADOS Gateway. Set Region only if your zonegroup expects one.',
    errorCodes: 'https://docs.redhat.com/en/documentation/red_hat_ceph_storage/6/html/developer_guide/s3-common-response-status-codes_dev',
  },
  wasabi: {
    label: 'Wasabi',
    endpointExample: 'https://s3.eu-central-1.wasabisys.com',
    region: 'us-east-1',
    // Wasabi's "Service URLs for Wasabi's Storage Regions": s3.wasabisys.com is us-east-1; the others name their region.
    help: 'The service URL of your bucket’s region (s3.<region>.wasabisys.com; s3.wasabisys.com is us-east-1), not the console’s. Set Region to that region.',
    errorCodes: null,
  },
  gcs: {
    label: 'Google Cloud Storage (XML API)',
    endpointExample: 'https://storage.googleapis.com',
    region: 'auto',
    // Cloud Storage's "Interoperability" page: the XML API at storage.googleapis.com with HMAC keys.
    help: 'Cloud Storage’s XML API, https://storage.googleapis.com, with an HMAC key (Cloud Storage → Settings → Interoperability) as the AWS Key and AWS Secret Key.',
    errorCodes: null,
  },
  other: {
    label: 'Other S3-compatible',
    endpointExample: 'https://s3.example.com',
    region: null,
    help: 'Any service that speaks the S3 API.',
    errorCodes: null,
  },
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
