/** An error answer: HTTP status, S3 code, message (the body's <Message>). */
export type ErrorAnswer = readonly [status: number, code: string, message: string];

/**
 * How the local endpoint answers when it plays another service than Amazon S3: one row per service, each answer as
 * that service documents it (or as a real one was seen to answer, where it says so). An answer left out is AWS's.
 */
export type Dialect = {
  /** Its `Server` header. */
  server: string | null;
  /** An access key it does not know; `length` is the key's (R2 judges it first). */
  unknownKey?: (length: number) => ErrorAnswer;
  /** A key it knows with a wrong secret. */
  badSignature?: ErrorAnswer;
  /** A request its policies do not allow. */
  denied?: ErrorAnswer;
  /** Any STS request. */
  sts?: ErrorAnswer;
  /** A key whose user is disabled (LocalS3.suspended). */
  suspended?: ErrorAnswer;
  /** A write to a bucket whose quota is full (LocalS3.quotaFull). */
  quotaFull?: ErrorAnswer;
  /** A write while its storage is full (LocalS3.storageFull). */
  storageFull?: ErrorAnswer;
  /** Every request while LocalS3.throttleSeconds is set, with that Retry-After. */
  throttled?: ErrorAnswer;
  /** A key ID must be this long, else `unknownKey` (R2's 32). */
  keyLength?: number;
  /** Its own version of a successful answer's XML, by operation. */
  rewrite?: Partial<Record<string, (xml: string) => string>>;
  /** Every bucket answers in whatever region a request is signed for (R2's "auto"): no redirect to the bucket's. */
  anyRegion?: boolean;
};

const AWS_SIGNATURE = 'The request signature we calculated does not match the signature you provided. Check your key and signing method.';

export const DIALECTS = {
  /**
   * Amazon S3 (API Reference, "Error responses"). No Server header: tests also use it as "any S3-compatible service"
   * behind a Custom URL, which a header naming Amazon S3 would contradict.
   */
  aws: { server: null, throttled: [503, 'SlowDown', 'Please reduce your request rate.'] },
  /**
   * Ceph's RADOS Gateway with its STS engine on, as a real gateway answered (issue 26): an unknown key and a wrong
   * secret are both 403 AccessDenied, every AccessDenied has an empty <Message>, STS's GetCallerIdentity is 405. Its
   * own codes (Red Hat Ceph Storage Developer Guide, "S3 common response status codes"): UserSuspended, QuotaExceeded.
   */
  rgw: {
    server: 'Ceph Object Gateway (squid)',
    unknownKey: () => [403, 'AccessDenied', ''],
    badSignature: [403, 'AccessDenied', ''],
    denied: [403, 'AccessDenied', ''],
    sts: [405, 'MethodNotAllowed', ''],
    suspended: [403, 'UserSuspended', ''],
    quotaFull: [403, 'QuotaExceeded', ''],
    rewrite: {
      // The gateway names its zonegroup's placement as the location ("default" out of the box), not a region.
      GetBucketLocation: () =>
        '<?xml version="1.0" encoding="UTF-8"?>\n<LocationConstraint xmlns="http://s3.amazonaws.com/doc/2006-03-01/">default</LocationConstraint>',
      // A real gateway answered CompleteMultipartUpload with an empty <ETag> (issue 26).
      CompleteMultipartUpload: (xml) => xml.replace(/<ETag>[^<]*<\/ETag>/, '<ETag></ETag>'),
    },
  },
  /** MinIO (its server's cmd/api-errors.go: ErrInvalidAccessKeyID, ErrSignatureDoesNotMatch, ErrAccessDenied, ErrAccessKeyDisabled, ErrAdminBucketQuotaExceeded, ErrStorageFull, ErrSlowDown). */
  minio: {
    server: 'MinIO',
    unknownKey: () => [403, 'InvalidAccessKeyId', 'The Access Key Id you provided does not exist in our records.'],
    badSignature: [403, 'SignatureDoesNotMatch', AWS_SIGNATURE],
    denied: [403, 'AccessDenied', 'Access Denied.'],
    suspended: [403, 'InvalidAccessKeyId', 'Your account is disabled; please contact your administrator.'],
    quotaFull: [400, 'XMinioAdminBucketQuotaExceeded', 'Bucket quota exceeded'],
    storageFull: [507, 'XMinioStorageFull', 'Storage backend has reached its minimum free disk threshold. Please delete a few objects to proceed.'],
    throttled: [503, 'SlowDown', 'Please reduce your request rate'],
  },
  /**
   * Cloudflare R2 (its "Error codes" page: Unauthorized 401, SignatureDoesNotMatch 403, AccessDenied 403,
   * TooManyRequests 429). A key ID of another length than 32 is refused before anything else with InvalidArgument
   * "Credential access key has length N, should be 32", as R2 answers it.
   */
  r2: {
    server: 'cloudflare',
    keyLength: 32,
    // R2's S3 API: "region: auto" (us-east-1 and an empty region stand for it too).
    anyRegion: true,
    unknownKey: (length) =>
      length === 32 ? [401, 'Unauthorized', 'Unauthorized'] : [400, 'InvalidArgument', `Credential access key has length ${length}, should be 32`],
    badSignature: [
      403,
      'SignatureDoesNotMatch',
      'The request signature we calculated does not match the signature you provided. Check your secret access key and signing method.',
    ],
    denied: [403, 'AccessDenied', 'Access Denied'],
    throttled: [429, 'TooManyRequests', 'Reduce your concurrent request rate for the same object.'],
  },
  /** Backblaze B2's S3-compatible API: rate limits are 503 SlowDown with a Retry-After (its "Rate Limits" page). */
  b2: { server: null, throttled: [503, 'SlowDown', 'Please reduce your request rate.'] },
} satisfies Record<string, Dialect>;

export type DialectName = keyof typeof DIALECTS;
