import {
  AbortMultipartUploadCommand,
  CompleteMultipartUploadCommand,
  CreateMultipartUploadCommand,
  DeleteObjectCommand,
  ListObjectsV2Command,
  PutObjectCommand,
  UploadPartCommand,
  type S3Client,
} from '@aws-sdk/client-s3';
import { GetCallerIdentityCommand } from '@aws-sdk/client-sts';
import { randomUUID } from 'node:crypto';
import { parseBucketUri } from '../../shared/bucket-uri.ts';
import { pendingSteps, type Step, type StepName } from '../../shared/check-schemas.ts';
import { describeError } from '../../shared/error-catalogue.ts';
import { objectsArn, partitionOf } from '../../shared/s3-arn.ts';
import { checkS3Config, type S3Config } from '../../shared/s3-config.ts';
import { collectWarnings } from '../../shared/warnings.ts';
import { createSsrfGuard } from '../security/ssrf-guard.ts';
import { classifyError } from './classify-error.ts';
import { createS3Client, createStsClient, fipsRegion, type ClientOptions } from './s3-clients.ts';

export type CheckOutcome = {
  status: 'SUCCESS' | 'FAILURE';
  reason: string | null;
  steps: Step[];
  identity: { arn: string; account: string } | null;
  region: string | null;
  /** S3 or STS answered ExpiredToken / TokenRefreshRequired. */
  expiredToken: boolean;
};

export type RunCheckOptions = {
  budgetMs: number;
  allowAmbientCredentials: boolean;
  /** Aborts the whole check (the destination was deleted, the server is stopping). */
  signal?: AbortSignal;
  onProgress?: (steps: Step[]) => void;
  clientOptions?: Partial<ClientOptions>;
  /** Opens the TCP connection of the endpoint step (the SSRF guard plugs in here). */
  connect?: (host: string, port: number, signal: AbortSignal) => Promise<string | void>;
};

const CLEANUP_GRACE_MS = 3_000;
/** STS only shows who the credentials are: a silent STS endpoint gets this much of the budget, never all of it. */
const IDENTITY_BUDGET_MS = 3_000;
/** What STS can answer about credentials (GetCallerIdentity cannot be denied by IAM): these fail the check. */
const CREDENTIAL_ERRORS = new Set(['InvalidClientTokenId', 'SignatureDoesNotMatch', 'ExpiredToken', 'TokenRefreshRequired', 'InvalidToken']);
/** STS not reached, or not answering: common where S3 is reached through a VPC gateway endpoint and STS is not. */
const UNREACHABLE = new Set([
  'Timeout', 'ConnectionRefused', 'ConnectionReset', 'DnsNotFound', 'NetworkError', 'AddressNotAllowed', 'ServiceUnavailable', 'InternalError',
  'TlsError', 'TlsNotHttps', 'TlsSelfSigned', 'TlsCertExpired', 'TlsWrongHost', 'TlsUnknownAuthority',
]);

/** Where STS requests go: the SDK's endpoint override when set, else the regional endpoint. */
function stsEndpointOf(region: string, fips: boolean): string {
  return process.env.AWS_ENDPOINT_URL_STS ?? `https://sts${fips ? '-fips' : ''}.${region}.amazonaws.com`;
}

/** A failure the step already described itself (wrong region, invalid config). */
class StepFailure extends Error {
  constructor(readonly patch: Pick<Step, 'code' | 'message' | 'hint'>) {
    super(patch.message ?? 'step failed');
  }
}
const STEP_ACTION: Partial<Record<StepName, string>> = {
  bucket: 's3:ListBucket',
  write: 's3:PutObject',
  multipart: 's3:PutObject',
  cleanup: 's3:DeleteObject',
};

/**
 * The connection check: validate → endpoint → (identity ‖ bucket) → write → multipart → cleanup, each step timed and
 * explained through the shared catalogue, within one total budget that a silent endpoint cannot stretch.
 */
export async function runConnectionCheck(config: S3Config, options: RunCheckOptions): Promise<CheckOutcome> {
  const steps = pendingSteps();
  const budget = AbortSignal.timeout(options.budgetMs);
  const signal = options.signal ? AbortSignal.any([options.signal, budget]) : budget;
  const step = (name: StepName) => steps.find((s) => s.name === name) as Step;
  const publish = () => options.onProgress?.(steps.map((s) => ({ ...s })));
  const began = performance.now();
  const set = (name: StepName, patch: Partial<Step>) => {
    // A step's place on the timeline: when it started, from the start of the check.
    Object.assign(step(name), patch.status === 'running' ? { ...patch, started_ms: Math.round(performance.now() - began) } : patch);
    publish();
  };
  const skip = (names: StepName[], message: string) => {
    for (const name of names) if (step(name).status === 'pending') Object.assign(step(name), { status: 'skipped', message });
    publish();
  };

  const parsed = parseBucketUri(config.remote_url, { customEndpoint: config.endpoint_url !== null, ambientCredentials: config.ambient_credentials });
  const bucket = parsed.ok ? parsed.value.bucket : '';
  const prefix = parsed.ok ? parsed.value.prefix : '';
  const context = { bucket, prefix, region: config.region, anonymous: config.anonymous };
  // ARNs in hints carry the partition of the region the check ends up in (a Custom URL's service uses "aws").
  const partition = () => (config.endpoint_url === null ? partitionOf(regionFound ?? region) : 'aws');
  let region = fipsRegion(config.remote_url) ?? config.region ?? 'us-east-1';
  let regionFound: string | null = config.region;
  let identity: CheckOutcome['identity'] = null;
  const clientOptions: ClientOptions = { connectionTimeoutMs: Math.min(options.budgetMs, 5_000), ...options.clientOptions };
  let s3: S3Client | null = null;
  const s3For = (r: string) => (s3 && r === region ? s3 : (s3 = createS3Client(config, (region = r), clientOptions)));

  /** Runs one step: times it, and turns an error into the catalogue's words. */
  const run = async (name: StepName, body: () => Promise<Partial<Step> | void>) => {
    set(name, { status: 'running' });
    const started = performance.now();
    try {
      const result = (await body()) ?? {};
      set(name, { status: 'passed', ...result, duration_ms: Math.round(performance.now() - started) });
    } catch (error) {
      const duration_ms = Math.round(performance.now() - started);
      if (options.signal?.aborted) throw error;
      if (error instanceof StepFailure) {
        set(name, { status: 'failed', duration_ms, iam_action: null, ...error.patch });
        return;
      }
      const classified = budget.aborted ? { code: 'Timeout', bucketRegion: null } : classifyError(error);
      const described = describeError(classified.code, {
        ...context,
        customEndpoint: config.endpoint_url !== null,
        action: STEP_ACTION[name],
        address: 'address' in classified ? classified.address : undefined,
        port: 'port' in classified ? classified.port : undefined,
        partition: partition(),
        denial: classified.denial,
        skewMs: classified.skewMs,
        temporaryKeyWithoutToken: config.key?.startsWith('ASIA') === true && config.token === null,
      });
      const message =
        classified.code === 'Timeout' && budget.aborted
          ? `No answer within the check's time budget of ${Number((options.budgetMs / 1000).toFixed(1))} s.`
          : described.message;
      set(name, {
        status: 'failed',
        duration_ms,
        code: classified.code,
        message,
        hint: described.hint,
        iam_action: classified.code === 'AccessDenied' ? (STEP_ACTION[name] ?? null) : null,
      });
    }
  };
  const failed = (...names: StepName[]) => names.some((name) => step(name).status === 'failed');

  // 1. validate — never trust the client: the shared rules again.
  await run('validate', async () => {
    const { issues } = checkS3Config(config, { allowAmbientCredentials: options.allowAmbientCredentials });
    if (issues.length > 0) {
      throw new StepFailure({
        code: 'InvalidConfig',
        message: issues.map((issue) => issue.message).join('; '),
        hint: 'Fix these fields and test again.',
      });
    }
    const warnings = collectWarnings(config, new Date());
    return warnings.length > 0 ? { status: 'warning', code: warnings[0]?.code ?? null, message: warnings.map((w) => w.message).join(' ') } : {};
  });
  if (failed('validate')) {
    skip(['endpoint', 'identity', 'bucket', 'write', 'multipart', 'cleanup'], 'Skipped: the configuration is not valid.');
    return outcome();
  }

  // 2. endpoint — DNS and TCP for a Custom URL.
  if (config.endpoint_url === null) {
    skip(['endpoint'], 'Skipped: AWS endpoint.');
  } else {
    const url = new URL(config.endpoint_url);
    const port = Number(url.port || (url.protocol === 'https:' ? 443 : 80));
    // Without a guard of the app's, the strictest one: no allowlist.
    const connect = options.connect ?? createSsrfGuard([]).connect;
    await run('endpoint', async () => {
      const said = await connect(url.hostname.replace(/^\[|\]$/g, ''), port, signal);
      return { message: said || `Connected to ${url.host}.` };
    });
    if (failed('endpoint')) {
      skip(['identity', 'bucket', 'write', 'multipart', 'cleanup'], 'Skipped: the endpoint could not be reached.');
      return outcome();
    }
  }

  // 3. identity ‖ bucket
  const identityStep = async () => {
    if (config.endpoint_url !== null) return skip(['identity'], 'Skipped: S3-compatible services have no STS identity to show.');
    if (config.anonymous) return skip(['identity'], 'Skipped: anonymous access has no identity.');
    await run('identity', async () => {
      const sts = createStsClient(config, region, clientOptions);
      const own = AbortSignal.timeout(Math.min(IDENTITY_BUDGET_MS, options.budgetMs / 2));
      try {
        const answer = await sts.send(new GetCallerIdentityCommand({}), { abortSignal: AbortSignal.any([signal, own]) });
        identity = { arn: answer.Arn ?? '', account: answer.Account ?? '' };
        return { message: `Signed in as ${identity.arn}.` };
      } catch (error) {
        if (signal.aborted) throw error;
        const classified = own.aborted ? { code: 'Timeout', bucketRegion: null } : classifyError(error);
        const code = classified.code;
        if (CREDENTIAL_ERRORS.has(code)) throw error;
        if (!UNREACHABLE.has(code)) {
          // STS answered something else (a skewed clock, throttling): said, but S3's own answers below decide.
          const described = describeError(code, { ...context, customEndpoint: false, skewMs: classified.skewMs });
          return { status: 'warning', code, message: `STS answered: ${described.message} The S3 steps below decide.`, hint: described.hint } satisfies Partial<Step>;
        }
        // STS unreachable while S3 may well answer (a VPC with an S3 gateway endpoint and no route to STS): the S3
        // steps below are the test that matters.
        const endpoint = stsEndpointOf(region, fipsRegion(config.remote_url) !== null);
        return {
          status: 'warning',
          code,
          message: `STS at ${endpoint} ${code === 'Timeout' ? 'did not answer in time' : 'could not be reached'}, so the identity is not shown; S3 itself is checked below.`,
          hint: `Allow this server outbound HTTPS to ${endpoint.replace(/^https?:\/\//, '')} to see which identity the credentials belong to; writing to S3 does not need it.`,
        } satisfies Partial<Step>;
      }
    });
  };
  const listDenied = (error: unknown): Partial<Step> | null => {
    const classified = classifyError(error);
    if (classified.code !== 'AccessDenied') return null;
    const described = describeError('AccessDenied', { ...context, action: 's3:ListBucket', partition: partition(), denial: classified.denial });
    return {
      status: 'warning',
      code: 'AccessDenied',
      message: 'Listing the bucket is denied: that is fine for a write-only role; the write step below is what matters.',
      hint: described.hint,
      iam_action: 's3:ListBucket',
    };
  };
  const bucketStep = () =>
    run('bucket', async () => {
      const list = (r: string) =>
        s3For(r)
          .send(new ListObjectsV2Command({ Bucket: bucket, Prefix: prefix || undefined, MaxKeys: 1 }), { abortSignal: signal })
          .then(() => null, (error: unknown) => error);
      let error = await list(region);
      const redirect = error === null ? null : classifyError(error);
      if (redirect?.code === 'PermanentRedirect') {
        const found = redirect.bucketRegion;
        if (!found || found === region) throw new StepFailure(describeError('RegionRedirectLoop', context));
        // The region S3 named is the bucket's, whatever the retry answers: shown everywhere from here on.
        regionFound = found;
        if (config.region !== null) throw new StepFailure(describeError('WrongRegion', { ...context, bucketRegion: found }));
        error = await list(found);
      }
      if (error !== null) {
        // A write-only role may not list, before or after the redirect: a warning, not a failure.
        const denied = listDenied(error);
        if (denied) return denied;
        throw error;
      }
      regionFound = config.endpoint_url === null ? region : config.region;
      return { message: config.endpoint_url === null ? `Bucket "${bucket}" found in ${region}.` : `Bucket "${bucket}" found.` };
    });
  await Promise.all([identityStep(), bucketStep()]);
  if (failed('identity', 'bucket')) {
    skip(['write', 'multipart', 'cleanup'], `Skipped: the ${failed('identity') ? 'credentials were' : 'bucket was'} not accepted.`);
    return outcome();
  }

  // 4 ‖ 5. write and multipart, at once: each writes a probe of its own. The write is the step that matters for a
  // destination; multipart is how large outputs are written.
  const probe = `${prefix}.connection-test/${randomUUID()}`;
  // Each object written, with the version S3 gave it in a versioned bucket: cleanup deletes exactly that version (a
  // delete without one only adds a delete marker, and every probe would stay).
  const written: { key: string; versionId: string | undefined }[] = [];
  const writeStep = () =>
    run('write', async () => {
      const put = await s3For(region).send(
        new PutObjectCommand({ Bucket: bucket, Key: probe, Body: Buffer.from('Connection test by S3 destinations admin.\n'), ContentType: 'text/plain' }),
        { abortSignal: signal },
      );
      written.push({ key: probe, versionId: put.VersionId });
      return { message: `Wrote ${probe}.` };
    });
  const multipartStep = () =>
    run('multipart', async () => {
      const key = `${probe}-multipart`;
      const client = s3For(region);
      const { UploadId } = await client.send(new CreateMultipartUploadCommand({ Bucket: bucket, Key: key }), { abortSignal: signal });
      try {
        const part = await client.send(
          new UploadPartCommand({ Bucket: bucket, Key: key, UploadId, PartNumber: 1, Body: Buffer.from('multipart probe\n') }),
          { abortSignal: signal },
        );
        const completed = await client.send(
          new CompleteMultipartUploadCommand({ Bucket: bucket, Key: key, UploadId, MultipartUpload: { Parts: [{ ETag: part.ETag, PartNumber: 1 }] } }),
          { abortSignal: signal },
        );
        written.push({ key, versionId: completed.VersionId });
      } catch (error) {
        // Abort only on failure, so no half-finished upload is left to be billed.
        await client
          .send(new AbortMultipartUploadCommand({ Bucket: bucket, Key: key, UploadId }), { abortSignal: AbortSignal.timeout(CLEANUP_GRACE_MS) })
          .catch(() => undefined);
        throw error;
      }
      return { message: 'Uploaded and completed a one-part multipart upload.' };
    });
  // Both settle before anything else: a probe written by one while the other failed (or the check was cancelled) is
  // still known, and so cleaned up.
  const writes = await Promise.allSettled([writeStep(), multipartStep()]);
  const cancelled = () => options.signal?.aborted === true;
  const broken = writes.find((result) => result.status === 'rejected');
  if (broken && !cancelled()) throw broken.reason;

  // 6. cleanup — always after any write, cancelled or not, on a short grace of its own so that neither a spent budget
  // nor a cancel leaves probes behind.
  if (written.length === 0) {
    skip(['cleanup'], 'Skipped: nothing was written.');
  } else {
    const cleanupSignal = AbortSignal.timeout(CLEANUP_GRACE_MS);
    set('cleanup', { status: 'running' });
    const started = performance.now();
    // All at once: each delete is independent.
    const results = await Promise.all(
      written.map(async (object) => {
        try {
          const version = object.versionId ? { VersionId: object.versionId } : {};
          await s3For(region).send(new DeleteObjectCommand({ Bucket: bucket, Key: object.key, ...version }), { abortSignal: cleanupSignal });
          return null;
        } catch (error) {
          return { object, code: classifyError(error).code };
        }
      }),
    );
    const left = results.filter((result) => result !== null);
    const versioned = written.some((object) => object.versionId !== undefined);
    const things = versioned ? 'test object versions' : 'test objects';
    const duration_ms = Math.round(performance.now() - started);
    if (left.length === 0) {
      set('cleanup', { status: 'passed', duration_ms, message: `Deleted the ${written.length} ${things} written.` });
    } else {
      const code = left[0]?.code ?? null;
      const action = versioned ? 's3:DeleteObjectVersion' : 's3:DeleteObject';
      const listed = left.map(({ object }) => (object.versionId ? `${object.key} (version ${object.versionId})` : object.key)).join(', ');
      const probes = objectsArn(bucket, `${prefix}.connection-test/`, partition());
      set('cleanup', {
        status: 'warning',
        duration_ms,
        code,
        message: `Could not delete ${left.length === written.length ? 'the' : `${left.length} of the`} ${things}; left in the bucket: ${listed}.`,
        hint:
          code === 'AccessDenied'
            ? `Delete them by hand${versioned ? ' (each version: aws s3api delete-object --version-id …)' : ''}; allow ${action} on ${probes} to let the check clean up after itself.`
            : describeError(code ?? 'Unknown', { ...context, customEndpoint: config.endpoint_url !== null }).hint,
        iam_action: code === 'AccessDenied' ? action : null,
      });
    }
  }
  // A cancel is the outcome, whatever the steps said: the caller ends the check with the steps as they are now.
  if (cancelled()) throw options.signal?.reason ?? new Error('cancelled');
  return outcome();

  function outcome(): CheckOutcome {
    const firstFailure = steps.find((s) => s.status === 'failed');
    return {
      status: firstFailure ? 'FAILURE' : 'SUCCESS',
      reason: firstFailure?.message ?? null,
      steps: steps.map((s) => ({ ...s })),
      identity,
      // Listing may be denied (a write-only role): a write accepted in this region is as good a proof of it.
      region: regionFound ?? (config.endpoint_url === null && step('write').status === 'passed' ? region : null),
      expiredToken: steps.some((s) => s.code === 'ExpiredToken' || s.code === 'TokenRefreshRequired'),
    };
  }
}
