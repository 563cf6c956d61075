/**
 * Bucket URI parsing and the bucket naming rules of S3 general-purpose buckets.
 *
 * "Structural" problems make a URI unusable anywhere. AWS's naming rules are errors on AWS and only warnings with a
 * Custom URL, because MinIO, Ceph and friends accept names AWS would refuse.
 */

export type BucketUriProblem = { type: string; message: string };

export type ParsedBucketUri = {
  bucket: string;
  /** '' or a prefix ending in '/'. */
  prefix: string;
  /** The URI in its canonical form (trailing slash added). */
  normalized: string;
  /** True for the https:// FIPS form accepted with ambient credentials. */
  fips: boolean;
};

export type BucketUriResult = { ok: true; value: ParsedBucketUri; awsNameProblems: BucketUriProblem[] } | { ok: false; problem: BucketUriProblem };

export type BucketUriContext = { customEndpoint: boolean; ambientCredentials: boolean };

const EXAMPLE = 's3://my-bucket/ or s3://my-bucket/exports/';
const FIPS_HOST = /^(?<bucket>[^/]+?)\.(?<endpoint>s3-fips(?:\.dualstack)?\.[a-z]{2}(?:-[a-z]+)+-\d+\.amazonaws\.com)$/;
const RESERVED_PREFIXES = ['xn--', 'sthree-', 'amzn-s3-demo-'];
const RESERVED_SUFFIXES = ['-s3alias', '--ol-s3', '.mrap', '--x-s3', '--table-s3'];

const fail = (type: string, message: string): BucketUriResult => ({ ok: false, problem: { type, message } });

export function parseBucketUri(input: string, context: BucketUriContext): BucketUriResult {
  const uri = input.trim();
  if (uri === '') return fail('missing', `Enter a Bucket URI, like ${EXAMPLE}`);
  if (/\s/.test(uri)) return fail('bucket_uri_whitespace', "Bucket URIs can't contain spaces or line breaks");
  if (/[?#]/.test(uri)) return fail('bucket_uri_query', "Bucket URIs can't contain ? or #");

  let scheme: 's3' | 'fips';
  let bucket: string;
  let rest: string;
  const lower = uri.toLowerCase();
  if (lower.startsWith('s3://')) {
    scheme = 's3';
    const body = uri.slice('s3://'.length);
    const slash = body.indexOf('/');
    bucket = slash === -1 ? body : body.slice(0, slash);
    rest = slash === -1 ? '' : body.slice(slash + 1);
  } else if (lower.startsWith('https://')) {
    const body = uri.slice('https://'.length);
    const slash = body.indexOf('/');
    const host = slash === -1 ? body : body.slice(0, slash);
    const fips = FIPS_HOST.exec(host);
    if (!fips?.groups) {
      return fail('bucket_uri_scheme', `Use the s3:// form of the Bucket URI, like ${EXAMPLE}`);
    }
    if (!context.ambientCredentials) {
      return fail('bucket_uri_fips', 'The https:// FIPS form of the Bucket URI is accepted only with ambient credentials; use s3://bucket/prefix/');
    }
    scheme = 'fips';
    bucket = fips.groups.bucket ?? '';
    rest = slash === -1 ? '' : body.slice(slash + 1);
  } else {
    return fail('bucket_uri_scheme', `Bucket URIs start with s3:// — for example ${EXAMPLE}`);
  }

  if (bucket === '') return fail('bucket_missing', 'Add the bucket name after s3://, like s3://my-bucket/');
  if (!/^[A-Za-z0-9._-]+$/.test(bucket)) {
    if (!context.customEndpoint) {
      const awsProblem = awsBucketNameProblems(bucket)[0];
      if (awsProblem) return { ok: false, problem: awsProblem };
    }
    return fail('bucket_chars', 'Bucket names can contain only letters, digits, dots (.), hyphens (-) and underscores (_)');
  }
  if (rest.startsWith('/')) return fail('prefix_leading_slash', "Remove the extra / after the bucket name: the prefix can't start with /");
  if (rest.includes('//')) return fail('prefix_double_slash', "The prefix can't contain // (an empty folder name)");

  const prefix = rest === '' || rest.endsWith('/') ? rest : `${rest}/`;
  const awsNameProblems = awsBucketNameProblems(bucket);
  if (!context.customEndpoint && awsNameProblems[0]) return { ok: false, problem: awsNameProblems[0] };

  const normalized = scheme === 's3' ? `s3://${bucket}/${prefix}` : `https://${uri.slice('https://'.length).split('/')[0]}/${prefix}`;
  return { ok: true, value: { bucket, prefix, normalized, fips: scheme === 'fips' }, awsNameProblems };
}

/** AWS's general-purpose bucket naming rules, in the order a person would fix them. */
export function awsBucketNameProblems(bucket: string): BucketUriProblem[] {
  const problems: BucketUriProblem[] = [];
  const add = (type: string, message: string) => problems.push({ type, message });
  if (/[A-Z]/.test(bucket)) add('bucket_uppercase', "Bucket names can't contain uppercase letters");
  const odd = bucket.replace(/[A-Za-z0-9.-]/g, '');
  if (odd !== '') {
    add('bucket_chars', `Bucket names can contain only lowercase letters, digits, dots (.) and hyphens (-), not "${odd[0]}"`);
  }
  if (bucket.length < 3 || bucket.length > 63) {
    add('bucket_length', `Bucket names must be 3 to 63 characters long (this one has ${bucket.length})`);
  }
  if (!/^[A-Za-z0-9]/.test(bucket) || !/[A-Za-z0-9]$/.test(bucket)) {
    add('bucket_edges', 'Bucket names must start and end with a letter or a digit');
  }
  if (bucket.includes('..')) add('bucket_double_dot', "Bucket names can't contain two dots in a row");
  if (/^\d{1,3}(\.\d{1,3}){3}$/.test(bucket)) {
    add('bucket_ip', "Bucket names can't look like an IP address (such as 192.168.5.4)");
  }
  const lower = bucket.toLowerCase();
  const reservedPrefix = RESERVED_PREFIXES.find((p) => lower.startsWith(p));
  if (reservedPrefix) add('bucket_reserved_prefix', `Bucket names can't start with "${reservedPrefix}" (reserved by AWS)`);
  const reservedSuffix = RESERVED_SUFFIXES.find((s) => lower.endsWith(s));
  if (reservedSuffix) add('bucket_reserved_suffix', `Bucket names can't end with "${reservedSuffix}" (reserved by AWS)`);
  return problems;
}
