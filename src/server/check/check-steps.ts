import {
  AbortMultipartUploadCommand,
  CompleteMultipartUploadCommand,
  CreateMultipartUploadCommand,
  DeleteObjectCommand,
  ListMultipartUploadsCommand,
  ListObjectVersionsCommand,
  ListObjectsV2Command,
  PutObjectCommand,
  UploadPartCommand,
  type S3Client,
} from '@aws-sdk/client-s3';
import { GetCallerIdentityCommand, type STSClient } from '@aws-sdk/client-sts';
import type { Step, StepName } from '#shared/check-schemas';
import { describeError } from '#shared/error-catalogue';
import { profileOf } from '#shared/provider-profiles';
import type { Provider } from '#shared/providers';
import { checkS3Config, type CheckOptions, type S3Config } from '#shared/s3-config';
import { isRoleSessionArn, parseRoleArn } from '#shared/iam-role';
import { objectsArn, partitionOf } from '#shared/s3-arn';
import { collectWarnings } from '#shared/warnings';
import { createSsrfGuard } from '../security/ssrf-guard.ts';
import { classifyError } from './classify-error.ts';
import type { Agent as HttpsAgent } from 'node:https';
import type { AssumedCredentials, RoleSessions } from './role-sessions.ts';
import { fipsRegion, type ClientOptions } from './s3-clients.ts';

/**
 * The connection check as data (house style 14): stages run in order, the steps of a stage at once; each step says when
 * it does not apply, which IAM action an AccessDenied on it names, and what it does over one explicit context. The
 * runner (`run-check.ts`) owns timing, error classification, skipping and progress.
 */
export type CheckStep = {
  name: StepName;
  /** The IAM action an AccessDenied on this step names. */
  iamAction?: string;
  /**
   * Its requests are signed with the check's credentials: when it passes, the endpoint accepted them, and an
   * AccessDenied elsewhere is about permissions (run-check.ts reviews the words once its stage has settled).
   */
  signed?: boolean;
  /** Why the step does not apply to this check (it is skipped with these words), or null to run it. */
  skipIf?: (ctx: CheckContext) => string | null;
  /**
   * Steps of its stage it starts beside rather than after, because their outcome cannot change what it does (a
   * write needs the bucket step's region only when S3 redirects it: see `inBucketRegion`). When one of them fails,
   * this step's own failure is theirs and it is shown skipped; a pass stays a pass (what it wrote is deleted).
   */
  alongside?: StepName[];
  /** Resolves with what the step found (a message, or a warning); throws what S3 or STS answered. */
  run: (ctx: CheckContext) => Promise<Partial<Step> | void>;
};

export type CheckStage = {
  steps: CheckStep[];
  /** When a step of this stage fails, every step after it is skipped with these words. */
  skipAfterFailure?: (failed: StepName[]) => string;
  /** Runs after a failure, a cancel or an unexpected error too, when it applies: what was written is deleted. */
  always?: boolean;
};

/** Everything the steps share: what they were given, and what earlier steps found. */
export type CheckContext = {
  readonly config: S3Config;
  readonly bucket: string;
  readonly prefix: string;
  /** The whole check: its budget and the caller's cancel. */
  readonly signal: AbortSignal;
  readonly budgetMs: number;
  readonly clientOptions: ClientOptions;
  readonly checkOptions: CheckOptions;
  /** The server's role sessions (the "IAM role" method), when it offers them. */
  readonly roles: RoleSessions | undefined;
  /** The assumed role's credentials: every S3 and STS request after assume_role signs with them. */
  roleCredentials: AssumedCredentials | null;
  readonly connect?: (host: string, port: number, signal: AbortSignal) => Promise<string | void>;
  /** Where requests go now: the bucket step moves it to the region S3 names. */
  region: string;
  /** The region shown: the one S3 confirmed or named (the config's, for a Custom URL). */
  regionFound: string | null;
  identity: { arn: string; account: string } | null;
  /**
   * The endpoint showed it accepted the check's credentials without a step passing: AWS named the policy that refused
   * (it evaluates policies only for requests it authenticated).
   */
  credentialsAccepted: boolean;
  /** The `Server` header of the endpoint's first S3 answer (who it says it is), cut to 64 printable characters. */
  server: string | null;
  /** The key of the single write's probe; multipart writes `<probe>-multipart`. */
  readonly probe: string;
  /** Each object written, with the version S3 gave it in a versioned bucket: cleanup deletes exactly that version. */
  readonly written: { key: string; versionId: string | undefined }[];
  /** An S3 client for the current region (or for `region`, which becomes the current one). */
  s3(region?: string): S3Client;
  /** An STS client for the current region. */
  sts(): STSClient;
  /** Resolves once that step of this check has its outcome (the runner's; at once for a step this check does not plan). */
  settled(name: StepName): Promise<void>;
  /** The ARN partition of the region the check is in ("aws" for a Custom URL's service). */
  partition(): string;
};

/** A failure the step already described itself (wrong region, invalid config). */
export class StepFailure extends Error {
  constructor(readonly patch: Pick<Step, 'code' | 'message' | 'hint'>) {
    super(patch.message ?? 'step failed');
  }
}

export const CLEANUP_GRACE_MS = 3_000;
/** A region of each partition, for STS when the check's own region is of another partition. */
const PARTITION_REGION: Record<string, string> = { aws: 'us-east-1', 'aws-cn': 'cn-north-1', 'aws-us-gov': 'us-gov-west-1' };
/** STS only shows who the credentials are: a silent STS endpoint gets this much of the budget, never all of it. */
const IDENTITY_BUDGET_MS = 3_000;
/** What STS can answer about credentials (GetCallerIdentity cannot be denied by IAM): these fail the check. */
const CREDENTIAL_ERRORS = new Set(['InvalidClientTokenId', 'SignatureDoesNotMatch', 'ExpiredToken', 'TokenRefreshRequired', 'InvalidToken']);
/** STS not reached, or not answering: common where S3 is reached through a VPC gateway endpoint and STS is not. */
const UNREACHABLE = new Set([
  'Timeout',
  'ConnectionRefused',
  'ConnectionReset',
  'DnsNotFound',
  'NetworkError',
  'AddressNotAllowed',
  'ServiceUnavailable',
  'InternalError',
  'TlsError',
  'TlsNotHttps',
  'TlsSelfSigned',
  'TlsCertExpired',
  'TlsWrongHost',
  'TlsUnknownAuthority',
]);

/** Where STS requests go: the SDK's endpoint override when set, else the regional endpoint. */
function stsEndpointOf(region: string, fips: boolean): string {
  return process.env.AWS_ENDPOINT_URL_STS ?? `https://sts${fips ? '-fips' : ''}.${region}.amazonaws.com`;
}

/** What the error catalogue needs to know of this check to word an error. */
export const describeContext = (ctx: CheckContext) => ({
  bucket: ctx.bucket,
  prefix: ctx.prefix,
  region: ctx.config.region,
  anonymous: ctx.config.anonymous,
  customEndpoint: ctx.config.endpoint_url !== null,
  // A saved connector's config carries the provider it was saved with (its form's); an unsaved one may not.
  provider: (ctx.config as S3Config & { provider?: Provider | null }).provider ?? null,
});

/** validate — never trust the client: the shared rules again. */
const validate: CheckStep = {
  name: 'validate',
  async run(ctx) {
    const { issues } = checkS3Config(ctx.config, ctx.checkOptions);
    if (issues.length > 0) {
      throw new StepFailure({
        code: 'InvalidConfig',
        message: issues.map((issue) => issue.message).join('; '),
        hint: 'Fix these fields and test again.',
      });
    }
    const warnings = collectWarnings(ctx.config, new Date());
    return warnings.length > 0 ? { status: 'warning', code: warnings[0]?.code ?? null, message: warnings.map((w) => w.message).join(' ') } : {};
  },
};

/** endpoint — DNS and TCP for a Custom URL. */
const endpoint: CheckStep = {
  name: 'endpoint',
  skipIf: (ctx) => (ctx.config.endpoint_url === null ? 'Skipped: AWS endpoint.' : null),
  async run(ctx) {
    const url = new URL(ctx.config.endpoint_url ?? '');
    const port = Number(url.port || (url.protocol === 'https:' ? 443 : 80));
    // Without a guard of the app's, the strictest one: no allowlist.
    const connect = ctx.connect ?? createSsrfGuard([]).connect;
    const said = await connect(url.hostname.replace(/^\[|\]$/g, ''), port, ctx.signal);
    return { message: said || `Connected to ${url.host}.` };
  },
};

/** identity — who the credentials are (STS). Only a credential error fails it: STS out of reach is a warning. */
const identity: CheckStep = {
  name: 'identity',
  signed: true,
  skipIf: (ctx) =>
    ctx.config.endpoint_url !== null
      ? `Skipped: ${profileOf(describeContext(ctx).provider, true).label} shows no STS identity for these keys; the steps below show whether it accepts them.`
      : ctx.config.anonymous
        ? 'Skipped: anonymous access has no identity.'
        : null,
  async run(ctx) {
    const sts = ctx.sts();
    const own = AbortSignal.timeout(Math.min(IDENTITY_BUDGET_MS, ctx.budgetMs / 2));
    try {
      const answer = await sts.send(new GetCallerIdentityCommand({}), { abortSignal: AbortSignal.any([ctx.signal, own]) });
      ctx.identity = { arn: answer.Arn ?? '', account: answer.Account ?? '' };
      return { message: `Signed in as ${ctx.identity.arn}.` };
    } catch (error) {
      if (ctx.signal.aborted) throw error;
      const classified = own.aborted ? { code: 'Timeout', skewMs: undefined } : classifyError(error);
      const code = classified.code;
      if (CREDENTIAL_ERRORS.has(code)) throw error;
      if (!UNREACHABLE.has(code)) {
        // STS answered something else (a skewed clock, throttling): said, but S3's own answers below decide.
        const described = describeError(code, { ...describeContext(ctx), customEndpoint: false, skewMs: classified.skewMs });
        return { status: 'warning', code, message: `STS answered: ${described.message} The S3 steps below decide.`, hint: described.hint };
      }
      // STS unreachable while S3 may well answer (a VPC with an S3 gateway endpoint and no route to STS): the S3
      // steps below are the test that matters.
      const sts = stsEndpointOf(ctx.region, fipsRegion(ctx.config.remote_url) !== null);
      return {
        status: 'warning',
        code,
        message: `STS at ${sts} ${code === 'Timeout' ? 'did not answer in time' : 'could not be reached'}, so the identity is not shown; S3 itself is checked below.`,
        hint: `Allow this server outbound HTTPS to ${sts.replace(/^https?:\/\//, '')} to see which identity the credentials belong to; writing to S3 does not need it.`,
      };
    }
  },
};

/**
 * assume_role — the server assumes the customer's role with its own base identity. First without the external ID: AWS
 * must refuse, else the trust policy lacks the sts:ExternalId condition and anyone using this server could name the
 * role (the confused deputy, IAM User Guide). Then with it; the credentials are the server's to keep and refresh.
 */
const assumeRole: CheckStep = {
  name: 'assume_role',
  signed: true,
  iamAction: 'sts:AssumeRole',
  skipIf: (ctx) => (ctx.config.role_arn === null ? 'Skipped: not an IAM role.' : null),
  async run(ctx) {
    const roleArn = ctx.config.role_arn ?? '';
    const externalId = ctx.config.external_id;
    if (!ctx.roles || !externalId) {
      throw new StepFailure({
        code: 'InvalidConfig',
        message: ctx.roles ? 'This connector has no external ID to assume its role with.' : 'IAM roles are turned off on this server.',
        hint: ctx.roles
          ? 'Save the connector again to get one, then update the trust policy.'
          : 'An administrator can allow them with ALLOW_IAM_ROLES=true.',
      });
    }
    // STS of the role's partition (a role in aws-cn is assumed through China's STS), in the check's region when it is one.
    const partition = parseRoleArn(roleArn);
    const stsRegion =
      partition.ok && partitionOf(ctx.region) !== partition.value.partition
        ? (PARTITION_REGION[partition.value.partition] ?? ctx.region)
        : ctx.region;
    const principal = await ctx.roles.principal(stsRegion);
    if (!principal.ok)
      throw new StepFailure({
        code: principal.code,
        message: principal.problem,
        hint: 'The operator of this server sets its base identity; see the README, "IAM roles".',
      });
    const via = { httpAgent: ctx.clientOptions.httpAgent, httpsAgent: ctx.clientOptions.httpsAgent as HttpsAgent | undefined };
    if (await ctx.roles.acceptsWithoutExternalId(roleArn, stsRegion, ctx.signal, via)) {
      throw new StepFailure({
        code: 'RoleTrustsWithoutExternalId',
        message: `AWS let this server assume ${roleArn} without the external ID: its trust policy would let anyone using this server name the role.`,
        hint: 'Replace the role\'s trust policy with the one shown for this connector: it allows this server only with the condition "sts:ExternalId" set to this connector\'s external ID.',
      });
    }
    let assumed;
    try {
      assumed = await ctx.roles.credentials(roleArn, externalId, stsRegion, ctx.signal, via);
    } catch (error) {
      if (classifyError(error).code !== 'AccessDenied') throw error;
      throw new StepFailure({
        code: 'AssumeRoleDenied',
        message: `AWS refused to let ${principal.principalArn} assume ${roleArn}.`,
        hint:
          `Check, in this order: the role's trust policy names ${principal.principalArn} as its principal; its condition "sts:ExternalId" is exactly ${externalId}; ` +
          `the server's own identity is allowed sts:AssumeRole on ${roleArn}; the role ARN is spelled right (AWS gives the same answer for a role that does not exist).`,
      });
    }
    ctx.roleCredentials = assumed.credentials;
    const until = assumed.credentials.expiration.toISOString().replace(/\.\d{3}Z$/, 'Z');
    const by = isRoleSessionArn(principal.callerArn) ? ` (this server runs as ${principal.callerArn})` : '';
    return {
      message: `Assumed ${roleArn} as ${assumed.assumedArn}${by}; ${assumed.reused ? 'reusing' : 'new'} credentials valid until ${until}, renewed by the server before then.`,
    };
  },
};

/**
 * Notes the endpoint's `Server` header from the command's answer, an error's too, in `ctx.server` (the first one
 * heard): what the endpoint says it is, which the runner compares with the provider the connector names.
 */
function heard<C extends { middlewareStack: { add: (middleware: never, options: { step: 'deserialize'; name: string }) => void } }>(
  ctx: CheckContext,
  command: C,
): C {
  const note = (response: unknown) => {
    const header = (response as { headers?: Record<string, string | undefined> } | undefined)?.headers?.server;
    if (ctx.server === null && typeof header === 'string') ctx.server = header.replace(/[^\x20-\x7E]/g, '').slice(0, 64) || null;
  };
  const middleware = (next: (args: unknown) => Promise<{ response: unknown }>) => async (args: unknown) => {
    try {
      const out = await next(args);
      note(out.response);
      return out;
    } catch (error) {
      note((error as { $response?: unknown }).$response);
      throw error;
    }
  };
  command.middlewareStack.add(middleware as never, { step: 'deserialize', name: 'serverHeader' });
  return command;
}

/** A write-only role may not list, before or after a redirect: a warning, not a failure. */
function listDenied(ctx: CheckContext, error: unknown): Partial<Step> | null {
  const classified = classifyError(error);
  if (classified.code !== 'AccessDenied') return null;
  if (classified.denial) ctx.credentialsAccepted = true;
  const described = describeError('AccessDenied', {
    ...describeContext(ctx),
    action: 's3:ListBucket',
    partition: ctx.partition(),
    denial: classified.denial,
  });
  return {
    status: 'warning',
    code: 'AccessDenied',
    message: ctx.config.anonymous
      ? 'Listing the bucket is denied to anonymous requests: that is fine where a bucket lets anyone write but not list; the write step below is what matters.'
      : `Listing the bucket is denied: that is fine for ${profileOf(describeContext(ctx).provider, ctx.config.endpoint_url !== null).writeOnly}; the write step below is what matters.`,
    hint: described.hint,
    iam_action: 's3:ListBucket',
  };
}

/** bucket — it exists, in which region (following S3's 301 once), and may be listed. */
const bucket: CheckStep = {
  name: 'bucket',
  signed: true,
  iamAction: 's3:ListBucket',
  async run(ctx) {
    const list = (region: string) =>
      ctx
        .s3(region)
        .send(heard(ctx, new ListObjectsV2Command({ Bucket: ctx.bucket, Prefix: ctx.prefix || undefined, MaxKeys: 1 })), { abortSignal: ctx.signal })
        .then(
          () => null,
          (error: unknown) => error,
        );
    let error = await list(ctx.region);
    const redirect = error === null ? null : classifyError(error);
    if (redirect?.code === 'PermanentRedirect') {
      const found = redirect.bucketRegion;
      if (!found || found === ctx.region) throw new StepFailure(describeError('RegionRedirectLoop', describeContext(ctx)));
      // The region S3 named is the bucket's, whatever the retry answers: shown everywhere from here on.
      ctx.regionFound = found;
      if (ctx.config.region !== null) throw new StepFailure(describeError('WrongRegion', { ...describeContext(ctx), bucketRegion: found }));
      error = await list(found);
    }
    if (error !== null) {
      const denied = listDenied(ctx, error);
      if (denied) return denied;
      throw error;
    }
    const aws = ctx.config.endpoint_url === null;
    ctx.regionFound = aws ? ctx.region : ctx.config.region;
    return { message: aws ? `Bucket "${ctx.bucket}" found in ${ctx.region}.` : `Bucket "${ctx.bucket}" found.` };
  },
};

/**
 * Runs `work` in the region the check is in; when it fails and the bucket step then finds the bucket in another
 * region (S3's redirect), once more there. The writes start beside the bucket step: a round trip sooner, and with no
 * Region given most buckets are where the check first looks.
 */
async function inBucketRegion<T>(ctx: CheckContext, work: (client: S3Client) => Promise<T>): Promise<T> {
  const region = ctx.region;
  try {
    return await work(ctx.s3(region));
  } catch (error) {
    await ctx.settled('bucket');
    if (ctx.region === region || ctx.signal.aborted) throw error;
    return work(ctx.s3());
  }
}

/** write — the step that matters for a destination: one small object under the prefix. */
const write: CheckStep = {
  name: 'write',
  signed: true,
  iamAction: 's3:PutObject',
  alongside: ['identity', 'bucket'],
  async run(ctx) {
    const body = Buffer.from('Connection test by S3 destinations admin.\n');
    const put = await inBucketRegion(ctx, (client) =>
      client.send(heard(ctx, new PutObjectCommand({ Bucket: ctx.bucket, Key: ctx.probe, Body: body, ContentType: 'text/plain' })), {
        abortSignal: ctx.signal,
      }),
    );
    ctx.written.push({ key: ctx.probe, versionId: put.VersionId });
    return { message: `Wrote ${ctx.probe}.` };
  },
};

/** multipart — how large outputs are written: a one-part upload, aborted if it fails half-way. */
const multipart: CheckStep = {
  name: 'multipart',
  signed: true,
  iamAction: 's3:PutObject',
  alongside: ['identity', 'bucket'],
  async run(ctx) {
    const key = `${ctx.probe}-multipart`;
    const { signal } = ctx;
    // Only the start may meet S3's redirect: once an upload is under way, the check is in the bucket's region.
    const [client, { UploadId }] = await inBucketRegion(
      ctx,
      async (client) =>
        [client, await client.send(new CreateMultipartUploadCommand({ Bucket: ctx.bucket, Key: key }), { abortSignal: signal })] as const,
    );
    try {
      const part = await client.send(
        new UploadPartCommand({ Bucket: ctx.bucket, Key: key, UploadId, PartNumber: 1, Body: Buffer.from('multipart probe\n') }),
        { abortSignal: signal },
      );
      const completed = await client.send(
        new CompleteMultipartUploadCommand({
          Bucket: ctx.bucket,
          Key: key,
          UploadId,
          MultipartUpload: { Parts: [{ ETag: part.ETag, PartNumber: 1 }] },
        }),
        { abortSignal: signal },
      );
      ctx.written.push({ key, versionId: completed.VersionId });
    } catch (error) {
      // Abort only on failure, so no half-finished upload is left to be billed.
      await client
        .send(new AbortMultipartUploadCommand({ Bucket: ctx.bucket, Key: key, UploadId }), { abortSignal: AbortSignal.timeout(CLEANUP_GRACE_MS) })
        .catch(() => undefined);
      throw error;
    }
    // What the service asks of parts beyond S3's rules, for the pipeline that writes large outputs there.
    const asks = profileOf(describeContext(ctx).provider, ctx.config.endpoint_url !== null).multipart;
    return { message: `Uploaded and completed a one-part multipart upload.${asks ? ` ${asks}` : ''}` };
  },
};

/**
 * cleanup — every object written, at once, each by the exact version written, on a short grace of its own so that
 * neither a spent budget nor a cancel leaves probes behind. What could not be deleted is a warning listing each one.
 */
const cleanup: CheckStep = {
  name: 'cleanup',
  iamAction: 's3:DeleteObject',
  skipIf: (ctx) => (ctx.written.length === 0 ? 'Skipped: nothing was written.' : null),
  async run(ctx) {
    const grace = AbortSignal.timeout(CLEANUP_GRACE_MS);
    const results = await Promise.all(
      ctx.written.map(async (object) => {
        try {
          const version = object.versionId ? { VersionId: object.versionId } : {};
          await ctx.s3().send(new DeleteObjectCommand({ Bucket: ctx.bucket, Key: object.key, ...version }), { abortSignal: grace });
          return null;
        } catch (error) {
          return { object, code: classifyError(error).code };
        }
      }),
    );
    const left = results.filter((result) => result !== null);
    const versioned = ctx.written.some((object) => object.versionId !== undefined);
    const things = versioned ? 'test object versions' : 'test objects';
    if (left.length === 0) return { message: `Deleted the ${ctx.written.length} ${things} written.` };
    const code = left[0]?.code ?? null;
    const action = versioned ? 's3:DeleteObjectVersion' : 's3:DeleteObject';
    const listed = left.map(({ object }) => (object.versionId ? `${object.key} (version ${object.versionId})` : object.key)).join(', ');
    const probes = objectsArn(ctx.bucket, `${ctx.prefix}.connection-test/`, ctx.partition());
    return {
      status: 'warning',
      code,
      message: `Could not delete ${left.length === ctx.written.length ? 'the' : `${left.length} of the`} ${things}; left in the bucket: ${listed}.`,
      hint:
        code === 'AccessDenied'
          ? `Delete them by hand${versioned ? ' (each version: aws s3api delete-object --version-id …)' : ''}; allow ${action} on ${probes} to let the check clean up after itself.`
          : describeError(code ?? 'Unknown', { ...describeContext(ctx), customEndpoint: ctx.config.endpoint_url !== null }).hint,
      iam_action: code === 'AccessDenied' ? action : null,
    };
  },
};

/** Runs `work` in the check's region, and once more in the bucket's when S3 names another one (PermanentRedirect). */
async function followingRedirect<T>(ctx: CheckContext, work: (client: S3Client) => Promise<T>): Promise<T> {
  try {
    return await work(ctx.s3());
  } catch (error) {
    const { bucketRegion } = classifyError(error);
    if (!bucketRegion || bucketRegion === ctx.region) throw error;
    return work(ctx.s3(bucketRegion));
  }
}

/**
 * cleanup, for a check that was cut off (its process died or was killed) before its own cleanup ran: the probes'
 * keys follow from the check's id (`probeId`), so whichever instance finds the check afterwards deletes what may be
 * there — every version of each probe key (a versioned bucket keeps them), or the key itself where listing versions
 * is not allowed, and an upload begun and never completed. Deleting what is not there is not an error in S3.
 */
const leftovers: CheckStep = {
  name: 'cleanup',
  iamAction: 's3:DeleteObject',
  async run(ctx) {
    const keys = [ctx.probe, `${ctx.probe}-multipart`];
    const removed = await followingRedirect(ctx, async (client) => {
      const uploads = await client
        .send(new ListMultipartUploadsCommand({ Bucket: ctx.bucket, Prefix: ctx.probe }), { abortSignal: ctx.signal })
        .catch(() => null);
      for (const upload of uploads?.Uploads ?? []) {
        await client
          .send(new AbortMultipartUploadCommand({ Bucket: ctx.bucket, Key: upload.Key, UploadId: upload.UploadId }), { abortSignal: ctx.signal })
          .catch(() => null);
      }
      let count = 0;
      for (const key of keys) {
        const listed = await client
          .send(new ListObjectVersionsCommand({ Bucket: ctx.bucket, Prefix: key }), { abortSignal: ctx.signal })
          .catch(() => null);
        const versions = listed
          ? [...(listed.Versions ?? []), ...(listed.DeleteMarkers ?? [])].filter((version) => version.Key === key && version.VersionId)
          : null;
        if (versions === null || versions.length === 0) {
          await client.send(new DeleteObjectCommand({ Bucket: ctx.bucket, Key: key }), { abortSignal: ctx.signal });
          continue;
        }
        for (const version of versions) {
          await client.send(new DeleteObjectCommand({ Bucket: ctx.bucket, Key: key, VersionId: version.VersionId }), { abortSignal: ctx.signal });
          count++;
        }
      }
      return count;
    });
    return {
      message: `Cleaned up after the interruption: deleted ${keys.join(' and ')}${removed > 0 ? ` (${removed} versions)` : ''} where they were.`,
    };
  },
};

/** What a check cut off before its cleanup needs afterwards: its credentials (an IAM role's assumed), then the probes deleted. */
export const LEFTOVER_STAGES: CheckStage[] = [
  { steps: [assumeRole], skipAfterFailure: () => 'Skipped: the role could not be assumed.' },
  { steps: [leftovers], always: true },
];

/** validate → endpoint → assume_role → (identity ‖ bucket ‖ write ‖ multipart) → cleanup. */
export const CHECK_STAGES: CheckStage[] = [
  { steps: [validate], skipAfterFailure: () => 'Skipped: the configuration is not valid.' },
  { steps: [endpoint], skipAfterFailure: () => 'Skipped: the endpoint could not be reached.' },
  { steps: [assumeRole], skipAfterFailure: () => 'Skipped: the role could not be assumed.' },
  // The writes start beside identity and bucket (see `alongside`); each writes a probe of its own, and all four settle
  // before cleanup, so a probe written while another step failed (or the check was cancelled) is known, and deleted.
  {
    steps: [identity, bucket, write, multipart],
    skipAfterFailure: (failed) => `Skipped: the ${failed.includes('identity') ? 'credentials were' : 'bucket was'} not accepted.`,
  },
  { steps: [cleanup], always: true },
];
