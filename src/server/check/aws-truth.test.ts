import net from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startLocalS3, type LocalS3 } from '../../../e2e/local-s3/gateway.ts';
import { IDENTITIES } from '../../../e2e/local-s3/identities.ts';
import type { PolicyDocument } from '../../../e2e/local-s3/policy.ts';
import type { ConnectionCheck } from '#shared/check-schemas';
import { buildLeastPrivilegePolicy } from '#shared/iam-policy';
import { allPassed, credentialsOf, stepOf, stepSummary, waitForCheck } from '../test-support/checks.ts';
import { buildTestApp, type TestApp } from '../test-support/test-app.ts';

let s3: LocalS3;
let t: TestApp;
// An STS endpoint that accepts connections and never answers, and one where nothing listens.
const held: net.Socket[] = [];
const silentSts = net.createServer((socket) => void held.push(socket));
let silentPort = 0;
let closedPort = 0;
beforeAll(async () => {
  s3 = await startLocalS3();
  process.env.AWS_ENDPOINT_URL_S3 = s3.endpoint;
  process.env.AWS_ENDPOINT_URL_STS = s3.endpoint;
  await new Promise<void>((resolve) => silentSts.listen(0, '127.0.0.1', resolve));
  silentPort = (silentSts.address() as net.AddressInfo).port;
  const closed = net.createServer();
  await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
  closedPort = (closed.address() as net.AddressInfo).port;
  await new Promise((resolve) => closed.close(resolve));
  const allow = [s3.port, silentPort, closedPort].map((port) => `127.0.0.1:${port}`);
  t = await buildTestApp({ checkTimeoutMs: 8_000, checkRatePerMin: 1_000, s3EndpointAllowlist: allow });
});
afterAll(async () => {
  await t.close();
  await s3.close();
  for (const socket of held) socket.destroy();
  silentSts.close();
});

const credentials = credentialsOf;

/** Checks an unsaved config (AWS path: the SDK's endpoint overrides send it to the local endpoint). */
async function check(config: Record<string, unknown>): Promise<ConnectionCheck> {
  const started = await t.request({ method: 'POST', url: '/api/v1/connection-checks', body: { type: 's3', config } });
  expect(started.statusCode, started.body).toBe(202);
  return waitForCheck(t, started.json().id);
}

const policyUnderTest = IDENTITIES.policyUnderTest;
const withPolicy = async (policy: PolicyDocument, remoteUrl: string) => {
  s3.setPolicy(policyUnderTest.accessKeyId, policy);
  try {
    return await check({ remote_url: remoteUrl, ...credentials(policyUnderTest) });
  } finally {
    s3.setPolicy(policyUnderTest.accessKeyId, null);
  }
};

describe('the least-privilege policy the app generates, held by an identity whose policy the endpoint evaluates', () => {
  it.each([
    ['a prefix', 'least/', 's3://local-bucket/least/'],
    ['the whole bucket', '', 's3://local-bucket/'],
  ])('with %s: passes every step', async (_label, prefix, remoteUrl) => {
    const policy = JSON.parse(buildLeastPrivilegePolicy('local-bucket', prefix)) as PolicyDocument;
    const result = await withPolicy(policy, remoteUrl);
    expect(stepSummary(result)).toEqual(allPassed('aws'));
  });

  it('without its list statement: the bucket step says s3:ListBucket is missing (a warning: write-only roles are legitimate)', async () => {
    const policy = JSON.parse(buildLeastPrivilegePolicy('local-bucket', 'least/')) as PolicyDocument;
    const result = await withPolicy({ ...policy, Statement: policy.Statement.slice(1) }, 's3://local-bucket/least/');
    expect(stepOf(result, 'bucket')).toMatchObject({ status: 'warning', code: 'AccessDenied', iam_action: 's3:ListBucket' });
    expect(stepOf(result, 'bucket').hint).toContain('arn:aws:s3:::local-bucket ');
  });

  it.each([
    ['a prefix', 'least/', 's3://local-bucket/least/', 'arn:aws:s3:::local-bucket/least/*'],
    ['the whole bucket', '', 's3://local-bucket/', 'arn:aws:s3:::local-bucket/*'],
  ])(
    'with %s, without its write statement: fails the write, and granting exactly the hinted statement fixes it',
    async (_label, prefix, remoteUrl, arn) => {
      const policy = JSON.parse(buildLeastPrivilegePolicy('local-bucket', prefix)) as PolicyDocument;
      const listOnly = { ...policy, Statement: policy.Statement.slice(0, 1) };
      const failed = await withPolicy(listOnly, remoteUrl);
      expect(failed.status).toBe('FAILURE');
      const write = stepOf(failed, 'write');
      expect(write).toMatchObject({ status: 'failed', code: 'AccessDenied', iam_action: 's3:PutObject' });
      // The object ARN, never the bucket's: a statement on arn:aws:s3:::local-bucket allows no write.
      expect(write.hint).toContain(`Allow s3:PutObject on ${arn} `);

      const hinted = /Allow (s3:\w+) on (arn:aws:s3:::\S+)/.exec(write.hint ?? '');
      const fixed = await withPolicy(
        { ...listOnly, Statement: [...listOnly.Statement, { Effect: 'Allow', Action: hinted?.[1] ?? '', Resource: hinted?.[2] ?? '' }] },
        remoteUrl,
      );
      expect(stepOf(fixed, 'write').status).toBe('passed');
    },
  );
});

describe('who denied: the hint sends the user to the policy that refused', () => {
  it('an explicit deny in the identity’s own policy: find the Deny statement, not "allow it"', async () => {
    const result = await check({ remote_url: 's3://local-bucket/denied/', ...credentials(IDENTITIES.explicitDeny) });
    const write = stepOf(result, 'write');
    expect(write).toMatchObject({ status: 'failed', code: 'AccessDenied', iam_action: 's3:PutObject' });
    expect(write.message).toBe(
      'Access denied: an IAM policy of these credentials explicitly denies s3:PutObject on arn:aws:s3:::local-bucket/denied/*.',
    );
    expect(write.hint).toMatch(/^Find the Deny statement for s3:PutObject/);
  });

  it.each(['deny-writes-bucket', 'kms-only-bucket'])(
    'an explicit deny in the bucket policy of %s: look at the bucket policy, it may require SSE-KMS',
    async (bucket) => {
      const result = await check({ remote_url: `s3://${bucket}/out/`, ...credentials(IDENTITIES.writer) });
      const write = stepOf(result, 'write');
      expect(write).toMatchObject({ status: 'failed', code: 'AccessDenied' });
      expect(write.message).toBe(`Access denied: the bucket policy of "${bucket}" explicitly denies s3:PutObject to these credentials.`);
      expect(write.hint).toContain('server-side encryption (SSE-KMS)');
      expect(write.hint).not.toMatch(/Allow s3:PutObject/);
      expect(stepOf(result, 'bucket').status).toBe('passed');
    },
  );

  it('a 403 with no body at all is still AccessDenied, not an error this app does not know', async () => {
    const result = await check({ remote_url: 's3://bare-403-bucket/out/', ...credentials(IDENTITIES.writer) });
    expect(stepOf(result, 'bucket')).toMatchObject({ status: 'warning', code: 'AccessDenied' });
    expect(stepOf(result, 'write')).toMatchObject({ status: 'failed', code: 'AccessDenied', iam_action: 's3:PutObject' });
    expect(stepOf(result, 'write').message).toContain('may not use s3:PutObject');
  });
});

describe('regions', () => {
  it('a write-only role with its bucket in another region and Region empty: listing denied after the redirect is a warning, the write passes', async () => {
    const result = await check({ remote_url: 's3://eu-bucket/write-only/', ...credentials(IDENTITIES.writeOnly) });
    expect(stepSummary(result)).toEqual([
      'validate:passed',
      'endpoint:skipped',
      'identity:passed',
      'bucket:warning:AccessDenied',
      'write:passed',
      'multipart:passed',
      'cleanup:passed',
    ]);
    expect(result.status).toBe('SUCCESS');
    expect(result.region).toBe('eu-west-1');
  });

  it('a wrong Region: fails with the bucket’s region, and the check names that region too', async () => {
    const result = await check({ remote_url: 's3://eu-bucket/x/', region: 'us-east-1', ...credentials(IDENTITIES.writer) });
    expect(stepOf(result, 'bucket')).toMatchObject({ status: 'failed', code: 'WrongRegion' });
    expect(stepOf(result, 'bucket').message).toContain('is in eu-west-1, not in us-east-1');
    expect(result.region).toBe('eu-west-1');
  });
});

describe('STS does not block S3', () => {
  const withSts = async (endpoint: string) => {
    process.env.AWS_ENDPOINT_URL_STS = endpoint;
    try {
      const started = Date.now();
      const result = await check({ remote_url: 's3://local-bucket/sts-down/', ...credentials(IDENTITIES.writer) });
      return { result, elapsed: Date.now() - started };
    } finally {
      process.env.AWS_ENDPOINT_URL_STS = s3.endpoint;
    }
  };

  it('a silent STS endpoint: identity is a warning after its own short budget, and every S3 step runs and passes', async () => {
    const { result, elapsed } = await withSts(`http://127.0.0.1:${silentPort}`);
    expect(stepSummary(result)).toEqual([
      'validate:passed',
      'endpoint:skipped',
      'identity:warning:Timeout',
      'bucket:passed',
      'write:passed',
      'multipart:passed',
      'cleanup:passed',
    ]);
    expect(result.status).toBe('SUCCESS');
    expect(stepOf(result, 'identity').message).toBe(
      `STS at http://127.0.0.1:${silentPort} did not answer in time, so the identity is not shown; S3 itself is checked below.`,
    );
    expect(stepOf(result, 'identity').duration_ms).toBeLessThan(4_000);
    // Far inside the 8 s budget: the silent endpoint did not eat it.
    expect(elapsed).toBeLessThan(6_000);
  });

  it('an STS endpoint where nothing listens: a warning, and S3 is checked', async () => {
    const { result } = await withSts(`http://127.0.0.1:${closedPort}`);
    expect(stepOf(result, 'identity')).toMatchObject({ status: 'warning', code: 'ConnectionRefused' });
    expect(stepOf(result, 'write').status).toBe('passed');
  });

  it('credential errors from STS still fail the check', async () => {
    const result = await check({ remote_url: 's3://local-bucket/sts-creds/', ...credentials(IDENTITIES.expired) });
    expect(stepOf(result, 'identity')).toMatchObject({ status: 'failed', code: 'ExpiredToken' });
    expect(result.status).toBe('FAILURE');
  });

  it('a network failure on the Amazon S3 path says nothing of a Custom URL', async () => {
    process.env.AWS_ENDPOINT_URL_S3 = `http://127.0.0.1:${closedPort}`;
    try {
      const result = await check({ remote_url: 's3://local-bucket/s3-down/', ...credentials(IDENTITIES.writer) });
      const bucket = stepOf(result, 'bucket');
      expect(bucket).toMatchObject({ status: 'failed', code: 'ConnectionRefused' });
      expect(bucket.hint).toContain('between this server and Amazon S3');
      expect(bucket.hint).not.toContain('Custom URL');
    } finally {
      process.env.AWS_ENDPOINT_URL_S3 = s3.endpoint;
    }
  });
});

describe('smaller truths', () => {
  it('a clock 20 minutes off: the check says how far and which way', async () => {
    s3.clockOffsetMs = -20 * 60_000;
    try {
      const result = await check({ remote_url: 's3://local-bucket/skew/', ...credentials(IDENTITIES.writer) });
      const bucket = stepOf(result, 'bucket');
      expect(bucket).toMatchObject({ status: 'failed', code: 'RequestTimeTooSkewed' });
      expect(bucket.message).toBe("This server's clock is 20 minutes ahead of the endpoint's; signatures more than 15 minutes off are refused.");
      expect(bucket.hint).toContain('NTP');
    } finally {
      s3.clockOffsetMs = 0;
    }
  });

  it('a clock off is told by every check: the SDK client kept from the check before does not correct it away', async () => {
    s3.clockOffsetMs = -20 * 60_000;
    try {
      const config = { remote_url: 's3://local-bucket/skew-again/', ...credentials(IDENTITIES.writer) };
      for (let run = 0; run < 2; run++)
        expect(stepOf(await check(config), 'bucket'), `check ${run + 1}`).toMatchObject({ code: 'RequestTimeTooSkewed' });
    } finally {
      s3.clockOffsetMs = 0;
    }
  });

  it('a temporary key without its STS Token on a Custom URL: says the key is temporary, not that it is unknown', async () => {
    const { accessKeyId, secretAccessKey } = IDENTITIES.temporary;
    const result = await check({ remote_url: 's3://local-bucket/asia/', endpoint_url: s3.endpoint, key: accessKeyId, secret: secretAccessKey });
    const bucket = stepOf(result, 'bucket');
    expect(bucket).toMatchObject({ status: 'failed', code: 'InvalidAccessKeyId' });
    expect(bucket.message).toBe('This AWS Key (ASIA…) is a temporary key: it is refused without the STS Token issued with it.');
    expect(bucket.hint).toMatch(/^Choose Temporary credentials and paste the STS Token/);
  });
});

describe('anonymous access', () => {
  it('passes against a bucket whose policy lets anyone write, with unsigned requests', async () => {
    const before = s3.requests.length;
    const result = await check({ remote_url: 's3://public-drop-bucket/anonymous/', anonymous: true });
    expect(stepSummary(result)).toEqual([
      'validate:warning:anonymous_not_recommended',
      'endpoint:skipped',
      'identity:skipped',
      'bucket:passed',
      'write:passed',
      'multipart:passed',
      'cleanup:passed',
    ]);
    expect(s3.requests.slice(before).every((request) => request.accessKeyId === 'anonymous')).toBe(true);
  });

  it('fails on a bucket that does not accept anonymous writes, saying so', async () => {
    const result = await check({ remote_url: 's3://local-bucket/anonymous/', anonymous: true });
    expect(stepOf(result, 'bucket')).toMatchObject({ status: 'warning', code: 'AccessDenied' });
    // Words for what was tried: no one's "write-only role" is involved in an unsigned request.
    expect(stepOf(result, 'bucket').message).toBe(
      'Listing the bucket is denied to anonymous requests: that is fine where a bucket lets anyone write but not list; the write step below is what matters.',
    );
    const write = stepOf(result, 'write');
    expect(write).toMatchObject({ status: 'failed', code: 'AccessDenied' });
    expect(write.message).toBe('Access denied: this bucket does not accept anonymous writes (s3:PutObject).');
    expect(write.hint).toContain('choose access keys instead');
  });
});

describe('versioned buckets keep nothing of the check', () => {
  const probeVersions = (bucket: string, prefix: string) => s3.versions(bucket, `${prefix}.connection-test/`);

  it('deletes the exact versions it wrote: no version and no delete marker is left', async () => {
    const result = await check({ remote_url: 's3://versioned-bucket/v1/', ...credentials(IDENTITIES.writer) });
    expect(stepOf(result, 'cleanup')).toMatchObject({ status: 'passed', message: 'Deleted the 2 test object versions written.' });
    expect(probeVersions('versioned-bucket', 'v1/')).toEqual([]);
  });

  it('with the app’s least-privilege policy (which allows s3:DeleteObjectVersion on the probes only): nothing is left', async () => {
    const policy = JSON.parse(buildLeastPrivilegePolicy('versioned-bucket', 'v2/')) as PolicyDocument;
    const result = await withPolicy(policy, 's3://versioned-bucket/v2/');
    expect(result.status).toBe('SUCCESS');
    expect(stepOf(result, 'cleanup').status).toBe('passed');
    expect(probeVersions('versioned-bucket', 'v2/')).toEqual([]);
  });

  it('without s3:DeleteObjectVersion: a warning that names the action and lists each key and version left behind', async () => {
    const result = await check({ remote_url: 's3://versioned-bucket/v3/', ...credentials(IDENTITIES.noVersionDelete) });
    const left = probeVersions('versioned-bucket', 'v3/');
    expect(left).toHaveLength(2);
    const cleanup = stepOf(result, 'cleanup');
    expect(cleanup).toMatchObject({ status: 'warning', code: 'AccessDenied', iam_action: 's3:DeleteObjectVersion' });
    for (const version of left) expect(cleanup.message).toContain(`${version.key} (version ${version.versionId})`);
    expect(cleanup.hint).toContain('allow s3:DeleteObjectVersion on arn:aws:s3:::versioned-bucket/v3/.connection-test/*');
    expect(result.status).toBe('SUCCESS');
  });

  it('under Object Lock: the write passes, and the cleanup warning says the versions are held, listing them', async () => {
    const result = await check({ remote_url: 's3://locked-bucket/v4/', ...credentials(IDENTITIES.writer) });
    expect(stepOf(result, 'write').status).toBe('passed');
    const cleanup = stepOf(result, 'cleanup');
    expect(cleanup).toMatchObject({ status: 'warning', code: 'ObjectLocked', iam_action: null });
    expect(cleanup.message).toMatch(/^Could not delete the test object versions; left in the bucket: v4\/\.connection-test\/.+ \(version .+\)/);
    expect(cleanup.hint).toContain('Object Lock only keeps what is written');
    expect(probeVersions('locked-bucket', 'v4/')).toHaveLength(2);
  });
});
