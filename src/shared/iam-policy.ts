import { bucketArn, objectsArn } from './s3-arn.ts';

/**
 * The least-privilege IAM policy for a destination: list the bucket (limited to the prefix), and write, abort and
 * delete objects under the prefix — exactly what the connection check and a pipeline writing there need — plus
 * deleting object versions, only of the check's own probes (in a versioned bucket a delete without a version id only
 * adds a delete marker). Object actions name the objects' ARN, ListBucket the bucket's; the partition follows the region.
 */
export function buildLeastPrivilegePolicy(bucket: string, prefix: string, partition = 'aws'): string {
  const list: Record<string, unknown> = {
    Sid: 'ListTheDestinationPrefix',
    Effect: 'Allow',
    Action: 's3:ListBucket',
    Resource: bucketArn(bucket, partition),
  };
  if (prefix) list.Condition = { StringLike: { 's3:prefix': [`${prefix}*`] } };
  const policy = {
    Version: '2012-10-17',
    Statement: [
      list,
      {
        Sid: 'WriteUnderThePrefix',
        Effect: 'Allow',
        Action: ['s3:PutObject', 's3:AbortMultipartUpload', 's3:DeleteObject'],
        Resource: objectsArn(bucket, prefix, partition),
      },
      {
        Sid: 'CleanUpConnectionTestVersions',
        Effect: 'Allow',
        Action: 's3:DeleteObjectVersion',
        Resource: objectsArn(bucket, `${prefix}.connection-test/`, partition),
      },
    ],
  };
  return JSON.stringify(policy, null, 2);
}
