/**
 * The ARNs an S3 permission is granted on. Object actions are authorised on the object's ARN (`bucket/key`), bucket
 * actions on the bucket's: a statement granting s3:PutObject on `arn:aws:s3:::bucket` allows no write at all.
 * ARNs carry the partition of the region (IAM User Guide, "IAM identifiers": aws, aws-cn, aws-us-gov, …).
 */
const OBJECT_ACTIONS = new Set(['s3:PutObject', 's3:GetObject', 's3:DeleteObject', 's3:DeleteObjectVersion', 's3:AbortMultipartUpload']);

export function partitionOf(region: string | null | undefined): string {
  if (!region) return 'aws';
  if (region.startsWith('cn-')) return 'aws-cn';
  if (region.startsWith('us-gov-')) return 'aws-us-gov';
  if (region.startsWith('us-isob-')) return 'aws-iso-b';
  if (region.startsWith('us-iso-')) return 'aws-iso';
  if (region.startsWith('eusc-')) return 'aws-eusc';
  return 'aws';
}

export const bucketArn = (bucket: string, partition = 'aws') => `arn:${partition}:s3:::${bucket}`;

/** Every object under `prefix` (the whole bucket when it is empty). */
export const objectsArn = (bucket: string, prefix: string, partition = 'aws') => `arn:${partition}:s3:::${bucket}/${prefix}*`;

export const isObjectAction = (action: string) => OBJECT_ACTIONS.has(action);

/** The resource a statement must name for `action` on the destination's bucket and prefix. */
export function resourceFor(action: string, bucket: string, prefix: string, partition = 'aws'): string {
  return isObjectAction(action) ? objectsArn(bucket, prefix, partition) : bucketArn(bucket, partition);
}
