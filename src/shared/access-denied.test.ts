import { describe, expect, it } from 'vitest';
import { parseAccessDenied, type Denial } from './access-denied.ts';
import { describeError } from './error-catalogue.ts';
import { buildLeastPrivilegePolicy } from './iam-policy.ts';
import { partitionOf, resourceFor } from './s3-arn.ts';

const USER = 'User: arn:aws:iam::123456789012:user/MaryMajor is not authorized to perform: s3:PutObject on resource: "arn:aws:s3:::b/k"';

describe('parseAccessDenied reads which policy refused, from AWS’s message', () => {
  it.each<[string, Denial | null]>([
    [`${USER} because no identity-based policy allows the s3:PutObject action`, { explicit: false, policy: 'identity-based' }],
    [`${USER} with an explicit deny in an identity-based policy`, { explicit: true, policy: 'identity-based' }],
    [`${USER} with an explicit deny in a resource-based policy`, { explicit: true, policy: 'resource-based' }],
    [`${USER} because no resource-based policy allows the s3:PutObject action`, { explicit: false, policy: 'resource-based' }],
    [`${USER} with an explicit deny in a service control policy`, { explicit: true, policy: 'service control' }],
    [`${USER} with an explicit deny in a resource control policy`, { explicit: true, policy: 'resource control' }],
    [`${USER} because no permissions boundary allows the s3:PutObject action`, null],
    [`${USER} with an explicit deny in a permissions boundary policy`, { explicit: true, policy: 'permissions boundary' }],
    [`${USER} because no permissions boundary policy allows the s3:PutObject action`, { explicit: false, policy: 'permissions boundary' }],
    [`${USER} with an explicit deny in a session policy`, { explicit: true, policy: 'session' }],
    [`${USER} with an explicit deny in a VPC endpoint policy`, { explicit: true, policy: 'VPC endpoint' }],
    [`${USER} because no VPC endpoint policy allows the s3:PutObject action`, { explicit: false, policy: 'VPC endpoint' }],
    ['Access Denied', null],
    ['', null],
  ])('%s', (message, denial) => {
    expect(parseAccessDenied(message)).toEqual(denial);
  });
});

describe('AccessDenied, described by the policy that refused', () => {
  const context = { bucket: 'b', prefix: 'out/', region: null, action: 's3:PutObject' };
  const describe_ = (denial: Denial | null, partition?: string) => describeError('AccessDenied', { ...context, denial, partition });

  it.each<[Denial | null, RegExp, RegExp]>([
    [
      null,
      /may not use s3:PutObject on bucket "b"/,
      /^Allow s3:PutObject on arn:aws:s3:::b\/out\/\* in an IAM policy.*look for a Deny in the bucket policy/,
    ],
    [{ explicit: false, policy: 'identity-based' }, /no IAM policy of these credentials allows/, /^Allow s3:PutObject on arn:aws:s3:::b\/out\/\*/],
    [{ explicit: true, policy: 'identity-based' }, /an IAM policy of these credentials explicitly denies/, /^Find the Deny statement/],
    [{ explicit: true, policy: 'resource-based' }, /bucket policy of "b" explicitly denies/, /server-side encryption \(SSE-KMS\)/],
    [{ explicit: false, policy: 'resource-based' }, /bucket policy of "b" does not allow/, /another account/],
    [
      { explicit: true, policy: 'service control' },
      /service control policy \(SCP\) of your AWS Organization explicitly denies/,
      /organization's administrators/,
    ],
    [{ explicit: true, policy: 'resource control' }, /resource control policy \(RCP\)/, /organization's administrators/],
    [{ explicit: false, policy: 'permissions boundary' }, /permissions boundary of these credentials does not allow/, /Permissions boundary/],
    [{ explicit: true, policy: 'session' }, /session policy of these temporary credentials explicitly denies/, /assume-role --policy/],
    [{ explicit: true, policy: 'VPC endpoint' }, /VPC endpoint this server reaches S3 through explicitly denies/, /VPC endpoint's policy/],
  ])('%j', (denial, message, hint) => {
    const described = describe_(denial);
    expect(described.message).toMatch(message);
    expect(described.hint).toMatch(hint);
  });

  it('never tells the user to allow the action for this identity when a bucket policy, SCP, boundary, session or endpoint policy denies', () => {
    for (const policy of ['resource-based', 'service control', 'permissions boundary', 'session', 'VPC endpoint'] as const) {
      expect(describe_({ explicit: true, policy }).hint, policy).not.toMatch(/^Allow s3:PutObject .* in an IAM policy of this identity/);
    }
  });

  it('names the object ARN for object actions and the bucket ARN for ListBucket, in the region’s partition', () => {
    expect(describeError('AccessDenied', { ...context, prefix: '', partition: 'aws-cn', denial: null }).hint).toContain('arn:aws-cn:s3:::b/*');
    expect(describeError('AccessDenied', { ...context, action: 's3:ListBucket', partition: 'aws-us-gov', denial: null }).hint).toContain(
      'arn:aws-us-gov:s3:::b in',
    );
  });
});

describe('ARNs', () => {
  it.each([
    [null, 'aws'],
    ['us-east-1', 'aws'],
    ['cn-north-1', 'aws-cn'],
    ['us-gov-west-1', 'aws-us-gov'],
    ['us-iso-east-1', 'aws-iso'],
    ['us-isob-east-1', 'aws-iso-b'],
  ])('region %s is in partition %s', (region, partition) => {
    expect(partitionOf(region)).toBe(partition);
  });

  it('object actions on the objects, bucket actions on the bucket', () => {
    expect(resourceFor('s3:PutObject', 'b', '', 'aws')).toBe('arn:aws:s3:::b/*');
    expect(resourceFor('s3:DeleteObject', 'b', 'p/', 'aws')).toBe('arn:aws:s3:::b/p/*');
    expect(resourceFor('s3:ListBucket', 'b', 'p/', 'aws')).toBe('arn:aws:s3:::b');
  });

  it('the least-privilege policy follows the partition', () => {
    const policy = JSON.parse(buildLeastPrivilegePolicy('b', 'p/', 'aws-cn')) as { Statement: { Resource: string }[] };
    expect(policy.Statement.map((s) => s.Resource)).toEqual(['arn:aws-cn:s3:::b', 'arn:aws-cn:s3:::b/p/*', 'arn:aws-cn:s3:::b/p/.connection-test/*']);
  });
});

describe('expired credentials', () => {
  it.each(['ExpiredToken', 'TokenRefreshRequired'])(
    '%s: the advice reads right inside the Update credentials dialog too (it names no button)',
    (code) => {
      const { hint } = describeError(code, { bucket: 'b', prefix: '', region: null });
      expect(hint).toContain('replace the AWS Key, AWS Secret Key and STS Token');
      expect(hint).not.toContain('Update credentials');
    },
  );
});
