/**
 * The least-privilege IAM policy for a destination: list the bucket (limited to the prefix), and write, abort and
 * delete objects under the prefix — exactly what the connection check and a pipeline writing there need.
 */
export function buildLeastPrivilegePolicy(bucket: string, prefix: string): string {
  const list: Record<string, unknown> = {
    Sid: 'ListTheDestinationPrefix',
    Effect: 'Allow',
    Action: 's3:ListBucket',
    Resource: `arn:aws:s3:::${bucket}`,
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
        Resource: `arn:aws:s3:::${bucket}/${prefix}*`,
      },
    ],
  };
  return JSON.stringify(policy, null, 2);
}
