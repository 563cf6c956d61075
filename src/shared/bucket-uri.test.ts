import { describe, expect, it } from 'vitest';
import { parseBucketUri } from './bucket-uri.ts';

const aws = { customEndpoint: false, ambientCredentials: false };
const custom = { customEndpoint: true, ambientCredentials: false };
const ambient = { customEndpoint: false, ambientCredentials: true };

describe('parseBucketUri: accepted', () => {
  it.each([
    ['s3://my-bucket/', aws, 'my-bucket', '', 's3://my-bucket/'],
    ['s3://my-bucket', aws, 'my-bucket', '', 's3://my-bucket/'],
    ['  s3://my-bucket/exports  ', aws, 'my-bucket', 'exports/', 's3://my-bucket/exports/'],
    ['s3://my.bucket-1/a/b/', aws, 'my.bucket-1', 'a/b/', 's3://my.bucket-1/a/b/'],
    ['s3://abc/', aws, 'abc', '', 's3://abc/'],
    [`s3://${'a'.repeat(63)}/`, aws, 'a'.repeat(63), '', `s3://${'a'.repeat(63)}/`],
    ['s3://My_Bucket/x', custom, 'My_Bucket', 'x/', 's3://My_Bucket/x/'],
    [
      'https://my-bucket.s3-fips.us-east-1.amazonaws.com/exports',
      ambient,
      'my-bucket',
      'exports/',
      'https://my-bucket.s3-fips.us-east-1.amazonaws.com/exports/',
    ],
    [
      'https://my-bucket.s3-fips.dualstack.us-gov-west-1.amazonaws.com/',
      ambient,
      'my-bucket',
      '',
      'https://my-bucket.s3-fips.dualstack.us-gov-west-1.amazonaws.com/',
    ],
  ])('%s', (uri, context, bucket, prefix, normalized) => {
    const result = parseBucketUri(uri, context);
    expect(result).toMatchObject({ ok: true, value: { bucket, prefix, normalized } });
  });
});

describe('parseBucketUri: refused', () => {
  it.each([
    ['', aws, 'missing', 'Enter a Bucket URI'],
    ['my-bucket', aws, 'bucket_uri_scheme', 'start with s3://'],
    ['https://my-bucket.s3.amazonaws.com/', aws, 'bucket_uri_scheme', 's3:// form'],
    ['https://my-bucket.s3-fips.us-east-1.amazonaws.com/', aws, 'bucket_uri_fips', 'only with ambient credentials'],
    ['s3://', aws, 'bucket_missing', 'Add the bucket name'],
    ['s3:///prefix/', aws, 'bucket_missing', 'Add the bucket name'],
    ['s3://my bucket/', aws, 'bucket_uri_whitespace', 'spaces'],
    ['s3://my-bucket/?versionId=1', aws, 'bucket_uri_query', '? or #'],
    ['s3://My-Bucket/', aws, 'bucket_uppercase', "can't contain uppercase letters"],
    ['s3://my_bucket/', aws, 'bucket_chars', 'not "_"'],
    ['s3://my*bucket/', custom, 'bucket_chars', 'only letters, digits'],
    ['s3://ab/', aws, 'bucket_length', '(this one has 2)'],
    [`s3://${'a'.repeat(64)}/`, aws, 'bucket_length', '(this one has 64)'],
    ['s3://-bucket/', aws, 'bucket_edges', 'start and end'],
    ['s3://bucket./', aws, 'bucket_edges', 'start and end'],
    ['s3://my..bucket/', aws, 'bucket_double_dot', 'two dots'],
    ['s3://192.168.5.4/', aws, 'bucket_ip', 'IP address'],
    ['s3://xn--bucket/', aws, 'bucket_reserved_prefix', '"xn--"'],
    ['s3://sthree-bucket/', aws, 'bucket_reserved_prefix', '"sthree-"'],
    ['s3://amzn-s3-demo-bucket/', aws, 'bucket_reserved_prefix', '"amzn-s3-demo-"'],
    ['s3://bucket-s3alias/', aws, 'bucket_reserved_suffix', '"-s3alias"'],
    ['s3://bucket--ol-s3/', aws, 'bucket_reserved_suffix', '"--ol-s3"'],
    ['s3://bucket.mrap/', aws, 'bucket_reserved_suffix', '".mrap"'],
    ['s3://bucket--x-s3/', aws, 'bucket_reserved_suffix', '"--x-s3"'],
    ['s3://bucket--table-s3/', aws, 'bucket_reserved_suffix', '"--table-s3"'],
    ['s3://my-bucket//exports/', aws, 'prefix_leading_slash', "can't start with /"],
    ['s3://my-bucket/a//b/', aws, 'prefix_double_slash', '//'],
    ['s3://my-bucket/a//b/', custom, 'prefix_double_slash', '//'],
  ])('%s → %s', (uri, context, type, words) => {
    const result = parseBucketUri(uri, context);
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.problem.type).toBe(type);
    expect(result.problem.message).toContain(words);
  });
});

describe('parseBucketUri with a Custom URL', () => {
  it('accepts names AWS would refuse, listing AWS problems for a warning', () => {
    const result = parseBucketUri('s3://My--Bucket--x-s3/', custom);
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    expect(result.awsNameProblems.map((p) => p.type)).toEqual(['bucket_uppercase', 'bucket_reserved_suffix']);
  });
});
