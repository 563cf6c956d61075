import { allowing, type PolicyDocument } from './policy.ts';

/**
 * The identities and buckets the local S3 endpoint knows: one per case the connection check must tell apart.
 * Keys look like AWS keys so the product's AWS-side field rules accept them. Each identity holds an IAM policy, which
 * the endpoint evaluates as AWS does (policy.ts).
 */
export const ACCOUNT = '123456789012';

export type S3Action = 's3:ListBucket' | 's3:GetObject' | 's3:PutObject' | 's3:DeleteObject' | 's3:DeleteObjectVersion' | 's3:AbortMultipartUpload';
const ALL = allowing(['s3:*']);

export type Identity = {
  accessKeyId: string;
  secretAccessKey: string;
  sessionToken?: string;
  /** Temporary credentials stop working at this time. */
  expiresAt?: Date;
  arn: string;
  userId: string;
  /** The identity-based policy; tests may replace it while the endpoint runs (LocalS3.setPolicy). */
  policy: PolicyDocument;
};

const secret = (seed: string) => `${seed.replace(/[^A-Za-z0-9]/g, '')}/LocalS3TestSecretKey+`.padEnd(40, 'x').slice(0, 40);
const hour = 3600_000;

export const IDENTITIES = {
  /** Long-term key with every permission a destination needs. */
  writer: {
    accessKeyId: 'AKIALOCALWRITER00001',
    secretAccessKey: secret('writer'),
    arn: `arn:aws:iam::${ACCOUNT}:user/local-writer`,
    userId: 'AIDALOCALWRITER00001',
    policy: ALL,
  },
  /** Temporary credentials (as from sts assume-role), valid for 12 hours from start. */
  temporary: {
    accessKeyId: 'ASIALOCALTEMPORARY01',
    secretAccessKey: secret('temporary'),
    sessionToken: 'IQoJb3JpZ2luX2VjELocalTemporarySessionToken0123456789+/=',
    expiresAt: new Date(Date.now() + 12 * hour),
    arn: `arn:aws:sts::${ACCOUNT}:assumed-role/local-writer-role/check-session`,
    userId: 'AROALOCALWRITERROLE01:check-session',
    policy: ALL,
  },
  /** Temporary credentials that expired an hour before start. */
  expired: {
    accessKeyId: 'ASIALOCALEXPIRED0001',
    secretAccessKey: secret('expired'),
    sessionToken: 'IQoJb3JpZ2luX2VjELocalExpiredSessionToken0123456789+/=',
    expiresAt: new Date(Date.now() - hour),
    arn: `arn:aws:sts::${ACCOUNT}:assumed-role/local-writer-role/expired-session`,
    userId: 'AROALOCALWRITERROLE01:expired-session',
    policy: ALL,
  },
  /** Expired temporary credentials whose secret and token are the leak test's markers (ExpiredToken with markers). */
  expiredMarked: {
    accessKeyId: 'ASIALOCALEXPIREDMARK',
    secretAccessKey: 'LEAKqz7SECRETexpired/'.padEnd(40, 'E'),
    sessionToken: `LEAKqz7TOKENexpired${'E'.repeat(120)}`,
    expiresAt: new Date(Date.now() - hour),
    arn: `arn:aws:sts::${ACCOUNT}:assumed-role/local-writer-role/expired-marked`,
    userId: 'AROALOCALWRITERROLE01:expired-marked',
    policy: ALL,
  },
  /** Can list and read, not write. */
  readOnly: {
    accessKeyId: 'AKIALOCALREADONLY001',
    secretAccessKey: secret('read-only'),
    arn: `arn:aws:iam::${ACCOUNT}:user/local-reader`,
    userId: 'AIDALOCALREADONLY001',
    policy: allowing(['s3:ListBucket', 's3:GetObject']),
  },
  /** Can write but not delete. */
  noDelete: {
    accessKeyId: 'AKIALOCALNODELETE001',
    secretAccessKey: secret('no-delete'),
    arn: `arn:aws:iam::${ACCOUNT}:user/local-no-delete`,
    userId: 'AIDALOCALNODELETE001',
    policy: allowing(['s3:ListBucket', 's3:GetObject', 's3:PutObject', 's3:AbortMultipartUpload']),
  },
  /** A write-only role: may not list the bucket. */
  writeOnly: {
    accessKeyId: 'AKIALOCALWRITEONLY01',
    secretAccessKey: secret('write-only'),
    arn: `arn:aws:iam::${ACCOUNT}:user/local-write-only`,
    userId: 'AIDALOCALWRITEONLY01',
    policy: allowing(['s3:PutObject', 's3:DeleteObject', 's3:AbortMultipartUpload']),
  },
  /** May do everything but write to local-bucket: an explicit Deny in its own policy. */
  explicitDeny: {
    accessKeyId: 'AKIALOCALEXPLICITDNY',
    secretAccessKey: secret('explicit-deny'),
    arn: `arn:aws:iam::${ACCOUNT}:user/local-explicit-deny`,
    userId: 'AIDALOCALEXPLICITDNY',
    policy: {
      Version: '2012-10-17',
      Statement: [
        { Effect: 'Allow', Action: 's3:*', Resource: '*' },
        { Effect: 'Deny', Action: 's3:PutObject', Resource: 'arn:aws:s3:::local-bucket/*' },
      ],
    },
  },
  /** What a destination needed before versioned buckets: may delete objects, not their versions. */
  noVersionDelete: {
    accessKeyId: 'AKIALOCALNOVERSIONDL',
    secretAccessKey: secret('no-version-delete'),
    arn: `arn:aws:iam::${ACCOUNT}:user/local-no-version-delete`,
    userId: 'AIDALOCALNOVERSIONDL',
    policy: allowing(['s3:ListBucket', 's3:PutObject', 's3:DeleteObject', 's3:AbortMultipartUpload']),
  },
  /** The app server's own identity for the IAM role method (AWS_ROLE_BASE_*): may assume roles, nothing else. */
  roleBase: {
    accessKeyId: 'AKIALOCALROLEBASE001',
    secretAccessKey: secret('role-base'),
    arn: `arn:aws:iam::${ACCOUNT}:user/local-role-base`,
    userId: 'AIDALOCALROLEBASE001',
    policy: allowing(['sts:AssumeRole']),
  },
  /** A base identity whose own policy does not allow sts:AssumeRole (whatever the role's trust policy says). */
  noAssumeBase: {
    accessKeyId: 'AKIALOCALNOASSUME001',
    secretAccessKey: secret('no-assume'),
    arn: `arn:aws:iam::${ACCOUNT}:user/local-no-assume`,
    userId: 'AIDALOCALNOASSUME001',
    policy: allowing(['s3:ListBucket']),
  },
  /** The customer's administrator, in the customer's account: puts trust policies on its roles (IAM). */
  customerAdmin: {
    accessKeyId: 'AKIACUSTOMERADMIN001',
    secretAccessKey: secret('customer-admin'),
    arn: 'arn:aws:iam::210987654321:user/customer-admin',
    userId: 'AIDACUSTOMERADMIN001',
    policy: allowing(['iam:UpdateAssumeRolePolicy']),
  },
  /** Holds no permission of its own: tests give it the policy under test (the app's least-privilege policy). */
  policyUnderTest: {
    accessKeyId: 'AKIALOCALPOLICYTEST1',
    secretAccessKey: secret('policy-under-test'),
    arn: `arn:aws:iam::${ACCOUNT}:user/local-policy-under-test`,
    userId: 'AIDALOCALPOLICYTEST1',
    policy: { Version: '2012-10-17', Statement: [] },
  },
  /**
   * A Cloudflare R2 API token's key pair, as R2 shows it when the token is made: a 32-character access key ID and a
   * 64-character secret (both hex), with Object Read & Write.
   */
  r2Token: {
    accessKeyId: '0f1e2d3c4b5a69788796a5b4c3d2e1f0',
    secretAccessKey: 'a1b2c3d4e5f60718293a4b5c6d7e8f90a1b2c3d4e5f60718293a4b5c6d7e8f90',
    arn: `arn:aws:iam::${ACCOUNT}:user/r2-token`,
    userId: 'R2TOKEN0F1E2D3C4B5A',
    policy: ALL,
  },
} satisfies Record<string, Identity>;

/** The customer's AWS account, where the roles the app assumes live (cross-account, as with a real customer). */
export const CUSTOMER_ACCOUNT = '210987654321';

export type Role = {
  /** What the role may do once assumed. */
  policy: PolicyDocument;
  /** Who may assume it: tests install the trust policy the app shows (LocalS3.setTrustPolicy), as a customer pastes it. */
  trust: PolicyDocument;
};

const NOBODY: PolicyDocument = { Version: '2012-10-17', Statement: [] };

/** Roles STS knows, by ARN. Any other ARN is refused as AWS refuses a role that does not exist: AccessDenied. */
export const ROLES: Record<string, Role> = {
  /** Trusts nobody until a test installs a trust policy. */
  [`arn:aws:iam::${CUSTOMER_ACCOUNT}:role/customer-s3-writer`]: { policy: ALL, trust: NOBODY },
  /** Trusts the role base without any external ID condition: the confused deputy's door. */
  [`arn:aws:iam::${CUSTOMER_ACCOUNT}:role/open-trust`]: {
    policy: ALL,
    trust: {
      Version: '2012-10-17',
      Statement: [{ Effect: 'Allow', Principal: { AWS: `arn:aws:iam::${ACCOUNT}:user/local-role-base` }, Action: 'sts:AssumeRole' }],
    },
  },
};

/** Buckets and their regions; any other name answers NoSuchBucket. */
export const BUCKETS: Record<string, string> = {
  'local-bucket': 'us-east-1',
  'eu-bucket': 'eu-west-1',
  'deny-writes-bucket': 'us-east-1',
  'kms-only-bucket': 'us-east-1',
  'bare-403-bucket': 'us-east-1',
  'public-drop-bucket': 'us-east-1',
  'versioned-bucket': 'us-east-1',
  'locked-bucket': 'us-east-1',
};

/**
 * Buckets with S3 Versioning on (s3rver has none: the endpoint keeps the versions itself). `objectLock`: every version
 * is under a default retention, so no version can be deleted — only hidden behind a delete marker.
 */
export const VERSIONED_BUCKETS: Record<string, { objectLock: boolean }> = {
  'versioned-bucket': { objectLock: false },
  'locked-bucket': { objectLock: true },
};

/** Bucket policies (resource-based), evaluated with the identity's. */
export const BUCKET_POLICIES: Record<string, PolicyDocument> = {
  // Anyone, signed or not, may list and drop objects here (a public drop box: what anonymous access needs).
  'public-drop-bucket': {
    Version: '2012-10-17',
    Statement: [
      { Sid: 'AnyoneLists', Effect: 'Allow', Principal: '*', Action: 's3:ListBucket', Resource: 'arn:aws:s3:::public-drop-bucket' },
      {
        Sid: 'AnyoneWrites',
        Effect: 'Allow',
        Principal: '*',
        Action: ['s3:PutObject', 's3:DeleteObject', 's3:AbortMultipartUpload'],
        Resource: 'arn:aws:s3:::public-drop-bucket/*',
      },
    ],
  },
  // Nobody may write here, whatever their own policy says.
  'deny-writes-bucket': {
    Version: '2012-10-17',
    Statement: [{ Sid: 'NoWrites', Effect: 'Deny', Principal: '*', Action: 's3:PutObject', Resource: 'arn:aws:s3:::deny-writes-bucket/*' }],
  },
  // The common policy that refuses every write not encrypted with SSE-KMS.
  'kms-only-bucket': {
    Version: '2012-10-17',
    Statement: [
      {
        Sid: 'DenyUnencryptedWrites',
        Effect: 'Deny',
        Principal: '*',
        Action: 's3:PutObject',
        Resource: 'arn:aws:s3:::kms-only-bucket/*',
        Condition: { StringNotEquals: { 's3:x-amz-server-side-encryption': 'aws:kms' } },
      },
    ],
  },
};

/** Buckets whose every answer is a 403 with no body at all, as some proxies and firewalls in front of S3 send. */
export const BARE_403_BUCKETS = new Set(['bare-403-bucket']);

export function findIdentity(accessKeyId: string): Identity | undefined {
  return Object.values(IDENTITIES).find((identity: Identity) => identity.accessKeyId === accessKeyId);
}
