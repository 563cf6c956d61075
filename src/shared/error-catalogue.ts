import type { Denial } from './access-denied.ts';
import { CODE_ALIASES, CODE_FAMILIES, type Family } from './error-families.ts';
import { profileOf, PROPAGATION_NOTE } from './provider-profiles.ts';
import type { Provider } from './providers.ts';
import { resourceFor } from './s3-arn.ts';

/**
 * Every S3, STS and network error the connection check can meet, as a user should read it: one sentence, what to
 * do, and the IAM action involved. Never a raw SDK message.
 */
export type ErrorContext = {
  bucket: string;
  prefix: string;
  region: string | null;
  bucketRegion?: string | null;
  action?: string | undefined;
  address?: string | undefined;
  port?: number | undefined;
  /** The ARN partition of the region (aws, aws-cn, aws-us-gov…). */
  partition?: string | undefined;
  /** Which policy refused, when AWS's AccessDenied message said so. */
  denial?: Denial | null | undefined;
  /** The request went to a Custom URL (network hints speak of it), not to Amazon S3. */
  customEndpoint?: boolean | undefined;
  /** The request was unsigned (anonymous access). */
  anonymous?: boolean | undefined;
  /** The AWS Key is a temporary one (ASIA…) and no STS Token was given. */
  temporaryKeyWithoutToken?: boolean | undefined;
  /** RequestTimeTooSkewed: this server's clock minus the endpoint's, when the endpoint said. */
  skewMs?: number | null | undefined;
  /** How long the endpoint asked to wait before the next request (its Retry-After), in seconds. */
  retryAfterS?: number | null | undefined;
  /** AccessKeyLength: the length of the AWS Key sent, and the one the endpoint expects. */
  keyLength?: { sent: number; expected: number } | undefined;
  /** The service the connector names (its `provider`). */
  provider?: Provider | null | undefined;
  /** The code the endpoint answered (set by describeError). */
  code?: string | undefined;
};

const profile = (c: ErrorContext) => profileOf(c.provider, c.customEndpoint);
/** Where a code is looked up: the provider's own page of error codes, when it has one. */
const errorPage = (c: ErrorContext) => {
  const { errorCodes, label } = profile(c);
  return errorCodes ? `${label}'s list of S3 error codes (${errorCodes})` : "your service's documentation of its S3 error codes";
};
/** Says, for codes that retrying cannot fix, that it cannot. */
const UNTIL_FIXED = 'testing again will not help until then';

function describeSkew(ms: number): string {
  const minutes = Math.round(Math.abs(ms) / 60_000);
  const amount = minutes >= 120 ? `${Math.round(minutes / 60)} hours` : `${minutes} minutes`;
  return `${amount} ${ms > 0 ? 'ahead of' : 'behind'}`;
}

/** Where a network failure points: the Custom URL the user typed, or the way from this server to Amazon S3. */
const toAws = 'the network between this server and Amazon S3 (a firewall, a missing route, or an outbound proxy that HTTPS_PROXY should name)';

type Entry = { message: (c: ErrorContext) => string; hint: (c: ErrorContext) => string; propagation?: boolean; iamAction?: string };

export { PROPAGATION_NOTE };

const CATALOGUE: Record<string, Entry> = {
  AccessDenied: {
    message: (c) => accessDenied(c).message,
    hint: (c) => accessDenied(c).hint,
    propagation: true,
  },
  ObjectLocked: {
    message: (c) =>
      c.code === 'ObjectLockedByBucketPolicy'
        ? "A bucket lock rule protects these objects: they cannot be deleted until the rule's retention period ends."
        : 'S3 Object Lock protects these versions: they cannot be deleted until their retention period ends.',
    hint: (c) =>
      `Writing works — ${c.code === 'ObjectLockedByBucketPolicy' ? 'the lock rule' : 'Object Lock'} only keeps what is written. The test objects are a few bytes each under ${c.prefix}.connection-test/ and can be deleted once the bucket's retention period ends.`,
  },
  NoSuchBucket: {
    message: (c) => `The bucket "${c.bucket}" does not exist (or not in this account's view of the endpoint).`,
    hint: () => 'Check the bucket name in the Bucket URI; with a Custom URL, check that the bucket exists on that service.',
    propagation: true,
  },
  InvalidAccessKeyId: {
    message: (c) =>
      c.temporaryKeyWithoutToken
        ? 'This AWS Key (ASIA…) is a temporary key: it is refused without the STS Token issued with it.'
        : `${c.customEndpoint ? 'The endpoint' : 'S3'} does not know this AWS Key: it was deleted, deactivated or mistyped.`,
    hint: (c) =>
      c.temporaryKeyWithoutToken
        ? 'Choose Temporary credentials and paste the STS Token (and its expiry) that came with this key.'
        : `Copy the access key ID again from ${profile(c).keysFrom}, or create a new access key.`,
  },
  AccessKeyDisabled: {
    message: () => 'The endpoint says the user or access key these credentials belong to is disabled.',
    hint: (c) => `It must be re-enabled: ${profile(c).enableUser}; ${UNTIL_FIXED}.`,
  },
  AccessKeyLength: {
    message: (c) =>
      c.keyLength
        ? `The endpoint expects an AWS Key of ${c.keyLength.expected} characters; this one has ${c.keyLength.sent}.`
        : 'The endpoint refused the length of this AWS Key.',
    hint: (c) => {
      const { sent, expected } = c.keyLength ?? { sent: 0, expected: 0 };
      // The value that was pasted instead, by its length: a secret (R2's are 64 characters) or an AWS key (20).
      const instead =
        sent === 64
          ? ' A 64-character value is a Secret Access Key: the two are shown side by side when the token is made.'
          : sent === 20
            ? ' A 20-character key is an Amazon S3 (IAM) access key, not one of this service.'
            : '';
      return `Copy the access key ID${expected ? ` (${expected} characters)` : ''} from ${profile(c).keysFrom} into AWS Key, and its secret into AWS Secret Key.${instead}`;
    },
  },
  InvalidClientTokenId: {
    message: () => 'AWS does not recognise these credentials: the AWS Key is unknown or the STS Token does not belong to it.',
    hint: () => 'Copy the AWS Key, AWS Secret Key and STS Token again from the same source; temporary credentials must be used together.',
  },
  SignatureDoesNotMatch: {
    message: () => 'The AWS Secret Key does not match the AWS Key: requests signed with it are refused.',
    hint: () => 'Paste the secret access key that was issued with this key (no spaces); if it is lost, create a new access key.',
  },
  ExpiredToken: {
    message: () => 'These temporary credentials have expired.',
    hint: () => 'Get fresh credentials (for example aws sts assume-role) and replace the AWS Key, AWS Secret Key and STS Token with them.',
  },
  TokenRefreshRequired: {
    message: () => 'These temporary credentials must be refreshed.',
    hint: () => 'Get fresh credentials and replace the AWS Key, AWS Secret Key and STS Token with them.',
  },
  InvalidToken: {
    message: () => 'The STS Token is malformed or does not belong to this AWS Key.',
    hint: () => 'Copy the session token again, together with the AWS Key and AWS Secret Key it was issued with.',
  },
  WrongRegion: {
    message: (c) => `The bucket "${c.bucket}" is in ${c.bucketRegion}, not in ${c.region}.`,
    hint: (c) => `Set Region to ${c.bucketRegion}, or leave it empty to have it found automatically.`,
  },
  RegionRedirectLoop: {
    message: (c) => `S3 keeps redirecting requests for bucket "${c.bucket}" without saying which region it is in.`,
    hint: () => 'Set the Region of the bucket explicitly.',
  },
  RequestTimeTooSkewed: {
    message: (c) =>
      typeof c.skewMs === 'number'
        ? `This server's clock is ${describeSkew(c.skewMs)} the endpoint's; signatures more than 15 minutes off are refused.`
        : "The server's clock differs from S3's by more than 15 minutes, so its signatures are refused.",
    hint: () => 'Synchronise the clock of the machine running this app (NTP).',
  },
  AuthorizationHeaderMalformed: {
    message: () => 'The endpoint refused the request signature as malformed (often a region mismatch).',
    hint: () => 'Check the Region; with a Custom URL use the region your provider documents (us-east-1 for MinIO, auto for R2).',
  },
  AllAccessDisabled: {
    message: (c) => `All access to bucket "${c.bucket}" has been disabled.`,
    hint: () => 'Contact the bucket owner or AWS Support.',
  },
  AccountProblem: {
    message: () => 'The AWS account has a problem that prevents this operation.',
    hint: () => 'Check the account status and billing in the AWS console.',
  },
  NotImplemented: {
    message: () => 'The endpoint does not implement this S3 operation.',
    hint: () => 'Your S3-compatible service may not support multipart uploads: check its documentation.',
  },
  MethodNotAllowed: {
    message: () => 'The endpoint does not allow this S3 operation here.',
    hint: () => 'Check that the Custom URL points at the S3 API of your service, not at its console.',
  },
  XAmzContentSHA256Mismatch: {
    message: () => 'The endpoint received different bytes from the ones that were signed.',
    hint: () => 'A proxy between this app and the endpoint changes request bodies; send the traffic to the endpoint directly.',
  },
  SlowDown: {
    message: () => 'The endpoint asked to slow down (too many requests).',
    hint: (c) =>
      typeof c.retryAfterS === 'number'
        ? `It asked to wait ${c.retryAfterS} s (Retry-After): test again after that. If it keeps happening, other clients of these keys or of this bucket are sending many requests.`
        : 'Wait a minute and test again. If it keeps happening, other clients of these keys or of this bucket are sending many requests.',
  },
  ServiceUnavailable: {
    message: () => 'The endpoint is temporarily unavailable.',
    hint: () => 'Wait a minute and test again; check the provider’s status page.',
  },
  InternalError: {
    message: () => 'The endpoint answered with an internal error.',
    hint: () => 'Test again; if it persists, check the provider’s status page.',
  },
  InvalidBucketName: {
    message: (c) => `The endpoint does not accept "${c.bucket}" as a bucket name.`,
    hint: () => 'Use a name of 3–63 lowercase letters, digits, dots and hyphens.',
  },
  AddressNotAllowed: {
    message: (c) => `This server may not connect to ${c.address ?? 'that address'}: it is a loopback, private, link-local or metadata address.`,
    hint: (c) =>
      `If the endpoint really lives in your private network, an administrator can allow it with S3_ENDPOINT_ALLOWLIST=${c.address ?? 'ADDRESS'}${c.port ? `:${c.port}` : ''} (a CIDR, host or host:port).`,
  },
  Timeout: {
    message: () => 'The endpoint did not answer in time.',
    hint: (c) =>
      c.customEndpoint === false ? `Check ${toAws}.` : 'Check the Custom URL, the port, and any firewall between this server and the endpoint.',
  },
  ConnectionRefused: {
    message: () => 'The connection was refused: nothing is listening at this address and port.',
    hint: (c) => (c.customEndpoint === false ? `Check ${toAws}.` : 'Check the host and port of the Custom URL, and that the service is running.'),
  },
  ConnectionReset: {
    message: () => 'The endpoint closed the connection unexpectedly.',
    hint: (c) =>
      c.customEndpoint === false ? `Check ${toAws}.` : 'Check that the Custom URL uses the right scheme (https:// or http://) for that port.',
  },
  DnsNotFound: {
    message: () => 'The host name of the endpoint could not be resolved.',
    hint: (c) =>
      c.customEndpoint === false
        ? 'Check that this server can resolve Amazon S3 host names (its DNS settings).'
        : 'Check the spelling of the Custom URL host, and that this server can resolve it.',
  },
  TlsError: {
    message: () => 'The secure (TLS) connection to the endpoint failed.',
    hint: () => 'Check that the Custom URL uses the scheme and port your service documents for its S3 API.',
  },
  TlsNotHttps: {
    message: () => 'This port does not speak HTTPS: it answered in plain HTTP.',
    hint: () => 'Is the Custom URL http://…? Use http:// for this port (unencrypted), or the port where your service serves HTTPS.',
  },
  TlsSelfSigned: {
    message: () => "The endpoint's certificate is self-signed, so no authority vouches for it.",
    hint: () =>
      'Give the service a certificate from your internal certificate authority and trust that authority with S3_CA_BUNDLE (a PEM file), or one from a public authority.',
  },
  TlsCertExpired: {
    message: () => "The endpoint's certificate has expired (or is not valid yet).",
    hint: () => 'Renew the certificate of the service; check this server’s clock too.',
  },
  TlsWrongHost: {
    message: () => "The endpoint's certificate is for another host name than the one in the Custom URL.",
    hint: () => 'Use the host name the certificate names in the Custom URL, or get a certificate that includes this one.',
  },
  TlsUnknownAuthority: {
    message: () => "The endpoint's certificate is signed by an authority this server does not trust.",
    hint: () =>
      'If it is your organisation’s internal certificate authority (common with MinIO and Ceph), an administrator can trust it with S3_CA_BUNDLE, a PEM file of extra authorities.',
  },
  NetworkError: {
    message: () => 'The endpoint could not be reached.',
    hint: (c) => (c.customEndpoint === false ? `Check ${toAws}.` : 'Check the Custom URL and the network between this server and the endpoint.'),
  },
  // Codes Ceph's RADOS Gateway documents (Red Hat Ceph Storage Developer Guide, "S3 common response status codes"),
  // and what AWS and other services answer alike (Amazon S3 API Reference, "Error responses").
  UserSuspended: {
    message: () => 'The endpoint says the user these keys belong to is suspended.',
    hint: (c) => `The user must be re-enabled: ${profile(c).enableUser}; ${UNTIL_FIXED}.`,
  },
  QuotaExceeded: {
    message: (c) =>
      c.code === 'XMinioAdminBucketQuotaExceeded'
        ? `The quota of the bucket "${c.bucket}" is full: the endpoint refuses writes.`
        : 'The quota of this user or of the bucket on the endpoint is full: it refuses writes.',
    hint: (c) => `Delete objects to free space, or have the quota raised: ${profile(c).raiseQuota}; ${UNTIL_FIXED}.`,
  },
  XMinioStorageFull: {
    message: () => 'The MinIO server’s disks have reached their minimum free space: it refuses writes.',
    hint: () => `A MinIO administrator must free space or add capacity (mc admin info shows each drive's use); ${UNTIL_FIXED}.`,
  },
  XMinioParentIsObject: {
    message: (c) => `On this endpoint an object already has the name of a folder the test object goes under (${c.prefix || 'the prefix'}…).`,
    hint: () =>
      'MinIO keeps objects as files: an object and a folder cannot share a name. Delete or rename the object named like a part of the prefix, or choose another prefix in the Bucket URI.',
  },
  XMinioInsecureClientRequest: {
    message: () => 'The endpoint serves HTTPS, and the Custom URL asks for plain HTTP.',
    hint: () => 'Use https:// in the Custom URL.',
  },
  EntityTooSmall: {
    message: () => 'The endpoint refused the test multipart upload’s only part as too small.',
    hint: (c) =>
      `S3 allows the last part of an upload (here the only one) to be of any size; this service wants more.${profile(c).multipart ? ` ${profile(c).multipart}` : ''} Large outputs with parts above its minimum may still work: check its documentation of multipart uploads.`,
  },
  KeyTooLongError: {
    message: (c) => `The key of the test object under ${c.prefix}.connection-test/ is longer than the endpoint allows.`,
    hint: () =>
      'Shorten the prefix in the Bucket URI: S3 keys are at most 1,024 bytes, and your pipeline’s outputs are written under the same prefix.',
  },
  MissingAuthenticationToken: {
    message: () => 'The endpoint requires signed requests, and received this one unsigned.',
    hint: (c) =>
      c.anonymous
        ? 'This bucket does not accept anonymous requests: choose Access keys and give the keys of a user who may write to it.'
        : 'A proxy between this app and the endpoint removes the Authorization header: send the traffic to the endpoint directly.',
  },
  EntityTooLarge: {
    message: () => 'The endpoint refused the request as too large.',
    hint: () => 'The check sends a few bytes: a proxy or gateway in front of the endpoint limits request sizes below that; raise its limit.',
  },
  InvalidArgument: {
    message: () => 'The endpoint refused an argument of the request as invalid.',
    hint: () => 'Often a region the service does not expect, or a Custom URL that is not its S3 API: check both.',
  },
  InvalidDigest: {
    message: () => 'The endpoint could not read the checksum (Content-MD5) of the request.',
    hint: () => 'A proxy between this app and the endpoint changes request headers or bodies; send the traffic to the endpoint directly.',
  },
  BadDigest: {
    message: () => 'The endpoint received other bytes than the checksum (Content-MD5) the request carried.',
    hint: () => 'A proxy between this app and the endpoint changes request bodies; send the traffic to the endpoint directly.',
  },
  InvalidObjectName: {
    message: (c) => `The endpoint does not accept the name of the test object under ${c.prefix}.connection-test/.`,
    hint: () => 'Check that the prefix in the Bucket URI holds only characters the service allows in object names.',
  },
  UnresolvableGrantByEmailAddress: {
    message: () => 'The endpoint could not resolve an e-mail address in an access grant of the request.',
    hint: () => 'The check sends no grants: a proxy or gateway in front of the endpoint adds them; correct or remove that grant.',
  },
  InvalidPart: {
    message: () => 'The endpoint refused a part of the test multipart upload.',
    hint: () =>
      'The check uploads one small part, which S3 allows; a service that refuses it handles multipart uploads unlike S3: check its documentation, as large outputs are written that way.',
  },
  InvalidPartOrder: {
    message: () => 'The endpoint refused the order of the parts of the test multipart upload.',
    hint: () => 'The check uploads one part, numbered 1; a service that refuses it handles multipart uploads unlike S3: check its documentation.',
  },
  RequestTimeout: {
    message: () => 'The endpoint gave up waiting for the body of the request.',
    hint: () => 'Check the network between this server and the endpoint: a slow or lossy link, or a proxy holding request bodies back.',
  },
  NoSuchKey: {
    message: () => 'An object the check wrote was gone when it came back to it.',
    hint: () =>
      'Something else deletes new objects under this prefix at once (a lifecycle rule or a cleanup job): writing works, but your pipeline’s outputs would go the same way.',
  },
  NoSuchUpload: {
    message: () => 'The test multipart upload was gone before it was completed.',
    hint: () =>
      'A lifecycle rule that aborts incomplete multipart uploads almost at once, or another process, removed it: check the bucket’s lifecycle rules.',
  },
  BucketAlreadyExists: {
    message: (c) => `The bucket name "${c.bucket}" is taken by another account or user.`,
    hint: () => 'The check creates no bucket: check that the Bucket URI names a bucket these keys may use.',
  },
  BucketNotEmpty: {
    message: (c) => `The endpoint refused to delete the bucket "${c.bucket}" because it is not empty.`,
    hint: () => 'The check never deletes buckets: something between this app and the endpoint sent that request.',
  },
  MissingContentLength: {
    message: () => 'The endpoint requires a Content-Length that the request did not carry.',
    hint: () => 'A proxy between this app and the endpoint strips it or re-sends the body in chunks; send the traffic to the endpoint directly.',
  },
  PreconditionFailed: {
    message: () => 'A condition of the request did not hold at the endpoint.',
    hint: () =>
      'The check sends no conditions: a proxy adds them, or a bucket policy requires one on writes (for example If-None-Match), which your pipeline would have to send too.',
  },
  InvalidRange: {
    message: () => 'The endpoint refused a byte range of the request.',
    hint: () => 'The check asks for no ranges: a proxy in front of the endpoint adds one.',
  },
  UnprocessableEntity: {
    message: () => 'The endpoint could not process the request.',
    hint: () => "Check that the Custom URL is the service's S3 API, and the service's logs for this request.",
  },
  InvalidBucketState: {
    message: (c) => `The bucket "${c.bucket}" is in a state that does not allow this request.`,
    hint: () => 'Often a bucket being created or deleted, or its versioning or Object Lock being changed: test again once that change is done.',
  },
  Unknown: {
    message: (c) =>
      c.code && c.code !== 'Unknown'
        ? `The endpoint answered ${c.code}, an error this app does not describe.`
        : 'The endpoint answered with an error that names no code.',
    hint: (c) =>
      c.code && c.code !== 'Unknown'
        ? `Look ${c.code} up in ${errorPage(c)}: it says what causes it and what fixes it.`
        : `The endpoint's own logs say what it refused; ${errorPage(c)} lists what its codes mean.`,
  },
};

/** Where a request that is not what the check sent points: a proxy, or a Custom URL that is not the S3 API. */
const rewritten = (c: ErrorContext) =>
  c.customEndpoint === false
    ? 'A proxy or gateway between this server and Amazon S3 changes the requests: send them to S3 directly, or ask whoever runs it.'
    : "Something between this app and the endpoint changes the requests, or the Custom URL leads to something other than the service's S3 API (a console, or a path under it): check the Custom URL, and send the traffic to the endpoint directly.";

/** Each family's words (error-families.ts): `about` is a few words of what the code is about. */
const FAMILY_WORDS: Record<Family, { message: (code: string, about: string, c: ErrorContext) => string; hint: (c: ErrorContext) => string }> = {
  unused: {
    message: (code, about) =>
      `The endpoint answered ${code}, about ${about}, which none of the check's requests (list, write, multipart upload, delete) ask for.`,
    hint: rewritten,
  },
  malformed: {
    message: (code, about) => `The endpoint could not accept a request of the check as it arrived (${code}: ${about}).`,
    hint: (c) => `The check sends plain S3 requests signed with Signature Version 4. ${rewritten(c)}`,
  },
  region: {
    message: (code, about) => `The endpoint says the bucket must be reached through another region or endpoint (${code}: ${about}).`,
    hint: (c) =>
      c.customEndpoint === false
        ? "Leave Region empty to have the bucket's region found, or set it to the bucket's region (S3 console → the bucket → Properties)."
        : `Set Region to the one ${profile(c).label} documents for this endpoint, and check that the Custom URL is the endpoint of the bucket's region.`,
  },
  credentials: {
    message: (code, about) => `The endpoint refused these credentials (${code}: ${about}).`,
    hint: (c) =>
      `Copy the access key and secret key again from ${profile(c).keysFrom}, and check that the key is active; temporary credentials need the STS Token issued with them.`,
  },
  account: {
    message: (code, about) => `The endpoint refuses this account's requests (${code}: ${about}).`,
    hint: (c) =>
      `No setting of this connector changes that: the account's owner must resolve it with ${profile(c).label} (its console says why); ${UNTIL_FIXED}.`,
  },
  transient: {
    message: (code, about) => `The endpoint could not serve the request just then (${code}: ${about}).`,
    hint: (c) => `Test again in a minute; if it keeps happening, check ${profile(c).label}'s status page or the endpoint's logs.`,
  },
  kms: {
    message: (code, about) => `The bucket encrypts new objects with an AWS KMS key that ${about} (${code}): every write fails.`,
    hint: () =>
      `Enable or replace the key in AWS KMS, or change the bucket's default encryption (S3 console → the bucket → Properties → Default encryption); these credentials also need kms:GenerateDataKey on the key. Testing again will not help until then.`,
  },
  tooLarge: {
    message: (code, about) => `The endpoint refused a request of the check as too large (${code}: ${about}).`,
    hint: (c) => CATALOGUE.EntityTooLarge!.hint(c),
  },
};

/** The entry for a code: its own, the one of the code it is another name for, its family's, or Unknown's. */
function entryOf(code: string): Entry {
  const own = CATALOGUE[code] ?? CATALOGUE[CODE_ALIASES[code] ?? ''];
  if (own) return own;
  const family = CODE_FAMILIES[code];
  if (!family) return CATALOGUE.Unknown!;
  const [name, about] = family;
  return { message: (c) => FAMILY_WORDS[name].message(code, about, c), hint: FAMILY_WORDS[name].hint };
}

const WRITE_ACTIONS = new Set(['s3:PutObject', 's3:AbortMultipartUpload']);

/**
 * AccessDenied in words that send the user to the policy that refused: advising "allow it for this identity" when a
 * bucket policy or an SCP denies explicitly would send them to the one place that cannot fix it.
 */
function accessDenied(c: ErrorContext): { message: string; hint: string } {
  const action = c.action ?? 'this request';
  const resource = c.action ? resourceFor(c.action, c.bucket, c.prefix, c.partition) : `the bucket "${c.bucket}"`;
  const denies = c.denial?.explicit ? 'explicitly denies' : 'does not allow';
  if (c.anonymous) {
    const what = c.action === 's3:ListBucket' ? 'listing' : c.action === 's3:DeleteObject' ? 'deletes' : 'writes';
    return {
      message: `Access denied: this bucket does not accept anonymous ${what} (${action}).`,
      hint: `Anonymous access works only where the bucket policy lets anyone (Principal "*") use ${action} on ${resource}, which is rarely wise: choose access keys instead.`,
    };
  }
  switch (c.denial?.policy) {
    case 'identity-based':
      return c.denial.explicit
        ? {
            message: `Access denied: an IAM policy of these credentials explicitly denies ${action} on ${resource}.`,
            hint: `Find the Deny statement for ${action} in the policies attached to this identity (and its groups) and remove or narrow it: no Allow overrides a Deny.`,
          }
        : {
            message: `Access denied: no IAM policy of these credentials allows ${action} on ${resource}.`,
            hint: `Allow ${action} on ${resource} in an IAM policy of this identity (the least-privilege policy shown with the check does).`,
          };
    case 'resource-based':
      return c.denial.explicit
        ? {
            message: `Access denied: the bucket policy of "${c.bucket}" explicitly denies ${action} to these credentials.`,
            hint:
              `Look for a Deny statement in the bucket policy (S3 console → the bucket → Permissions); an IAM Allow cannot override it.` +
              (c.action && WRITE_ACTIONS.has(c.action)
                ? ' Bucket policies often require server-side encryption (SSE-KMS) or a specific ACL on every object written: if this one does, the probe (which sends neither) is refused, and your pipeline must send them.'
                : ''),
          }
        : {
            message: `Access denied: the bucket policy of "${c.bucket}" does not allow ${action} to these credentials.`,
            hint: `The bucket belongs to another account, so its bucket policy must allow this identity too: ask its owner to allow ${action} on ${resource}.`,
          };
    case 'service control':
    case 'resource control': {
      const kind = c.denial.policy === 'service control' ? 'service control policy (SCP)' : 'resource control policy (RCP)';
      return {
        message: `Access denied: a ${kind} of your AWS Organization ${denies} ${action}.`,
        hint: `A ${kind} applies to whole accounts: ask your organization's administrators to allow ${action} on ${resource}; this identity's own policies cannot.`,
      };
    }
    case 'permissions boundary':
      return {
        message: `Access denied: the permissions boundary of these credentials ${denies} ${action}.`,
        hint: `Add ${action} on ${resource} to the identity's permissions boundary (IAM → the user or role → Permissions boundary): its IAM policy alone is not enough.`,
      };
    case 'session':
      return {
        message: `Access denied: the session policy of these temporary credentials ${denies} ${action}.`,
        hint: `The credentials were created with a session policy (aws sts assume-role --policy …): create them without it, or with ${action} on ${resource} allowed.`,
      };
    case 'VPC endpoint':
      return {
        message: `Access denied: the policy of the VPC endpoint this server reaches S3 through ${denies} ${action}.`,
        hint: `Allow ${action} on ${resource} in the S3 VPC endpoint's policy (VPC console → Endpoints).`,
      };
    default:
      return { message: `Access denied: these credentials may not use ${action} on bucket "${c.bucket}".`, hint: profile(c).grant(action, resource) };
  }
}

export type DescribedError = { code: string; message: string; hint: string };

/**
 * AccessDenied when no signed request of the check was accepted: nothing shows the endpoint accepted these
 * credentials, and some services (Ceph's RADOS Gateway with its STS engine on, among others) answer a wrong secret or
 * an unknown key with AccessDenied rather than SignatureDoesNotMatch or InvalidAccessKeyId. Both causes, in the order
 * to check them, and the next step that tells them apart.
 */
export function describeUnprovenDenial(c: ErrorContext): DescribedError {
  const action = c.action ?? 'these requests';
  const resource = c.action ? resourceFor(c.action, c.bucket, c.prefix, c.partition) : `the bucket "${c.bucket}"`;
  const tellApart = c.customEndpoint
    ? 'To tell which: with the same key and secret, list a bucket the key can read (aws s3 ls s3://BUCKET --endpoint-url …); refused there too, the key or secret is wrong.'
    : 'To tell which: aws sts get-caller-identity with the same key and secret answers for any valid key, whatever its permissions.';
  const { keysFrom, grant, propagation } = profile(c);
  const hint = `First copy the access key and secret key again from ${keysFrom} and check that the key is active. Then: ${grant(action, resource)} ${tellApart}`;
  return {
    code: 'AccessDenied',
    message: `Access denied, and no request of this check was accepted: the access key or secret key may be wrong or disabled, or the key may not use ${action} on bucket "${c.bucket}".`,
    hint: propagation ? `${hint} ${propagation}` : hint,
  };
}

export function describeError(code: string, given: ErrorContext): DescribedError {
  const entry = entryOf(code);
  const context = { ...given, code };
  const hint = entry.hint(context);
  return {
    code,
    message: entry.message(context),
    // What it takes for a change to apply, where the service says it takes time (AWS; not Ceph's gateway, say).
    hint: entry.propagation && profile(context).propagation ? `${hint} ${profile(context).propagation}` : hint,
  };
}

export const isKnownErrorCode = (code: string) => code in CATALOGUE || code in CODE_ALIASES || code in CODE_FAMILIES;
