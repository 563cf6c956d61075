/**
 * The identities and buckets the local S3 endpoint knows: one per case the connection check must tell apart.
 * Keys look like AWS keys so the product's AWS-side field rules accept them.
 */
export const ACCOUNT = '123456789012';

export type S3Action = 's3:ListBucket' | 's3:GetObject' | 's3:PutObject' | 's3:DeleteObject' | 's3:AbortMultipartUpload';
const ALL: S3Action[] = ['s3:ListBucket', 's3:GetObject', 's3:PutObject', 's3:DeleteObject', 's3:AbortMultipartUpload'];

export type Identity = {
  accessKeyId: string;
  secretAccessKey: string;
  sessionToken?: string;
  /** Temporary credentials stop working at this time. */
  expiresAt?: Date;
  arn: string;
  userId: string;
  allow: S3Action[];
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
    allow: ALL,
  },
  /** Temporary credentials (as from sts assume-role), valid for 12 hours from start. */
  temporary: {
    accessKeyId: 'ASIALOCALTEMPORARY01',
    secretAccessKey: secret('temporary'),
    sessionToken: 'IQoJb3JpZ2luX2VjELocalTemporarySessionToken0123456789+/=',
    expiresAt: new Date(Date.now() + 12 * hour),
    arn: `arn:aws:sts::${ACCOUNT}:assumed-role/local-writer-role/check-session`,
    userId: 'AROALOCALWRITERROLE01:check-session',
    allow: ALL,
  },
  /** Temporary credentials that expired an hour before start. */
  expired: {
    accessKeyId: 'ASIALOCALEXPIRED0001',
    secretAccessKey: secret('expired'),
    sessionToken: 'IQoJb3JpZ2luX2VjELocalExpiredSessionToken0123456789+/=',
    expiresAt: new Date(Date.now() - hour),
    arn: `arn:aws:sts::${ACCOUNT}:assumed-role/local-writer-role/expired-session`,
    userId: 'AROALOCALWRITERROLE01:expired-session',
    allow: ALL,
  },
  /** Expired temporary credentials whose secret and token are the leak test's markers (ExpiredToken with markers). */
  expiredMarked: {
    accessKeyId: 'ASIALOCALEXPIREDMARK',
    secretAccessKey: 'LEAKqz7SECRETexpired/'.padEnd(40, 'E'),
    sessionToken: `LEAKqz7TOKENexpired${'E'.repeat(120)}`,
    expiresAt: new Date(Date.now() - hour),
    arn: `arn:aws:sts::${ACCOUNT}:assumed-role/local-writer-role/expired-marked`,
    userId: 'AROALOCALWRITERROLE01:expired-marked',
    allow: ALL,
  },
  /** Can list and read, not write. */
  readOnly: {
    accessKeyId: 'AKIALOCALREADONLY001',
    secretAccessKey: secret('read-only'),
    arn: `arn:aws:iam::${ACCOUNT}:user/local-reader`,
    userId: 'AIDALOCALREADONLY001',
    allow: ['s3:ListBucket', 's3:GetObject'],
  },
  /** Can write but not delete. */
  noDelete: {
    accessKeyId: 'AKIALOCALNODELETE001',
    secretAccessKey: secret('no-delete'),
    arn: `arn:aws:iam::${ACCOUNT}:user/local-no-delete`,
    userId: 'AIDALOCALNODELETE001',
    allow: ['s3:ListBucket', 's3:GetObject', 's3:PutObject', 's3:AbortMultipartUpload'],
  },
  /** A write-only role: may not list the bucket. */
  writeOnly: {
    accessKeyId: 'AKIALOCALWRITEONLY01',
    secretAccessKey: secret('write-only'),
    arn: `arn:aws:iam::${ACCOUNT}:user/local-write-only`,
    userId: 'AIDALOCALWRITEONLY01',
    allow: ['s3:PutObject', 's3:DeleteObject', 's3:AbortMultipartUpload'],
  },
} satisfies Record<string, Identity>;

/** Buckets and their regions; any other name answers NoSuchBucket. */
export const BUCKETS: Record<string, string> = {
  'local-bucket': 'us-east-1',
  'eu-bucket': 'eu-west-1',
};

export function findIdentity(accessKeyId: string): Identity | undefined {
  return Object.values(IDENTITIES).find((identity: Identity) => identity.accessKeyId === accessKeyId);
}
