import type { S3Client } from '@aws-sdk/client-s3';
import { randomUUID } from 'node:crypto';
import { parseBucketUri } from '#shared/bucket-uri';
import { pendingSteps, STEP_LABELS, type Step, type StepName } from '#shared/check-schemas';
import { describeError, describeUnprovenDenial } from '#shared/error-catalogue';
import { describeProviderMismatch, providerFromServer } from '#shared/provider-profiles';
import { partitionOf } from '#shared/s3-arn';
import type { CheckOptions, S3Config } from '#shared/s3-config';
import type { RoleSessions } from './role-sessions.ts';
import { CHECK_STAGES, describeContext, StepFailure, type CheckContext, type CheckStage, type CheckStep } from './check-steps.ts';
import { classifyError } from './classify-error.ts';
import type { ClientLoan, PooledClient } from './client-pool.ts';
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

export type RunCheckOptions = CheckOptions & {
  budgetMs: number;
  /** The server's IAM role sessions (ALLOW_IAM_ROLES): the assume_role step's. */
  roles?: RoleSessions;
  /** Aborts the whole check (the destination was deleted, the server is stopping). */
  signal?: AbortSignal;
  onProgress?: (steps: Step[]) => void;
  clientOptions?: Partial<ClientOptions>;
  /** Opens the TCP connection of the endpoint step (the SSRF guard plugs in here). */
  connect?: (host: string, port: number, signal: AbortSignal) => Promise<string | void>;
  /**
   * Names the probes (`<prefix>.connection-test/<probeId>`): the check's id, so the keys are on record before any
   * PutObject is sent, and a check cut off before its cleanup can be cleaned up by whichever instance finds it.
   */
  probeId?: string;
};

/**
 * Runs the check's stages (`check-steps.ts`) in order within one total budget that a silent endpoint cannot stretch:
 * times each step, turns what it threw into the catalogue's words, skips what a failure makes pointless, and publishes
 * every change. A cancel (or an error no step could word) stops after the stage in progress; the stages that always
 * run (cleanup) still do, and then it throws.
 */
export async function runConnectionCheck(config: S3Config, options: RunCheckOptions, stages: CheckStage[] = CHECK_STAGES): Promise<CheckOutcome> {
  const steps = pendingSteps(config.role_arn !== null);
  // Only the stages' steps this check has (assume_role is an IAM role's alone).
  const plan = stages
    .map((stage) => ({ ...stage, steps: stage.steps.filter((spec) => steps.some((s) => s.name === spec.name)) }))
    .filter((stage) => stage.steps.length > 0);
  const budget = AbortSignal.timeout(options.budgetMs);
  const signal = options.signal ? AbortSignal.any([options.signal, budget]) : budget;
  const step = (name: StepName) => steps.find((s) => s.name === name) as Step;
  const publish = () => options.onProgress?.(steps.map((s) => ({ ...s })));
  const began = performance.now();
  const cancelled = () => options.signal?.aborted === true;
  // Each planned step's outcome, for the steps that start alongside it (CheckStep.alongside); at once for a step
  // this check does not plan.
  const outcomes = new Map(
    plan
      .flatMap((stage) => stage.steps)
      .map(({ name }) => {
        let resolve = () => {};
        const promise = new Promise<void>((done) => (resolve = done));
        return [name, { promise, resolve }];
      }),
  );
  const settled = (name: StepName) => outcomes.get(name)?.promise ?? Promise.resolve();
  const ctx = createContext(config, options, signal, settled);

  const set = (name: StepName, patch: Partial<Step>) => {
    // A step's place on the timeline: when it started, from the start of the check.
    Object.assign(step(name), patch.status === 'running' ? { ...patch, started_ms: Math.round(performance.now() - began) } : patch);
    publish();
  };

  const describeFailure = (spec: CheckStep, error: unknown): Partial<Step> => {
    if (error instanceof StepFailure) return { iam_action: null, ...error.patch };
    const classified = budget.aborted ? { code: 'Timeout', bucketRegion: null } : classifyError(error);
    if ('denial' in classified && classified.denial) ctx.credentialsAccepted = true;
    const described = describeError(classified.code, {
      ...describeContext(ctx),
      customEndpoint: config.endpoint_url !== null,
      action: spec.iamAction,
      address: 'address' in classified ? classified.address : undefined,
      port: 'port' in classified ? classified.port : undefined,
      partition: ctx.partition(),
      denial: 'denial' in classified ? classified.denial : undefined,
      skewMs: 'skewMs' in classified ? classified.skewMs : undefined,
      retryAfterS: 'retryAfterS' in classified ? classified.retryAfterS : undefined,
      keyLength: 'keyLength' in classified ? classified.keyLength : undefined,
      temporaryKeyWithoutToken: config.key?.startsWith('ASIA') === true && config.token === null,
    });
    return {
      code: classified.code,
      message:
        classified.code === 'Timeout' && budget.aborted
          ? `No answer within the check's time budget of ${Number((options.budgetMs / 1000).toFixed(1))} s.`
          : described.message,
      hint: described.hint,
      iam_action: classified.code === 'AccessDenied' ? (spec.iamAction ?? null) : null,
    };
  };

  /** The steps of a stage whose failure skips what follows: not those that only run alongside them. */
  const failedGates = (stage: CheckStage, names: StepName[] = stage.steps.filter((spec) => !spec.alongside).map((spec) => spec.name)) =>
    names.filter((name) => step(name).status === 'failed');

  /**
   * Runs one step: skipped when it does not apply, else timed; what it throws becomes a failed step in words — or,
   * for a step run alongside others that failed, a skipped one: its failure is theirs (a missing bucket fails the
   * write too), and is told once.
   */
  const runStep = async (spec: CheckStep, stage: CheckStage) => {
    try {
      const skipped = spec.skipIf?.(ctx);
      if (skipped) return set(spec.name, { status: 'skipped', message: skipped });
      set(spec.name, { status: 'running' });
      const started = performance.now();
      const duration = () => Math.round(performance.now() - started);
      try {
        const result = (await spec.run(ctx)) ?? {};
        set(spec.name, { status: 'passed', ...result, duration_ms: duration() });
      } catch (error) {
        // Cancelled: the caller ends the check with the steps as they are now.
        if (cancelled()) throw error;
        const elapsed = duration();
        if (spec.alongside) await Promise.all(spec.alongside.map(settled));
        const before = spec.alongside ? failedGates(stage, spec.alongside) : [];
        // Skipped, as if it had waited for them: no place on the timeline either.
        if (before.length > 0 && stage.skipAfterFailure)
          set(spec.name, { status: 'skipped', started_ms: null, message: stage.skipAfterFailure(before) });
        else set(spec.name, { status: 'failed', duration_ms: elapsed, ...describeFailure(spec, error) });
      }
    } finally {
      outcomes.get(spec.name)?.resolve();
    }
  };
  /** What always runs, runs when it applies (what was written is deleted). */
  const runAlways = async (later: CheckStage[]) => {
    for (const stage of later.filter((s) => s.always))
      await Promise.allSettled(stage.steps.filter((spec) => !spec.skipIf?.(ctx)).map((spec) => runStep(spec, stage)));
  };

  /**
   * Once a stage has settled, each failure is told once and in the words of what the whole stage showed:
   * - AccessDenied when no signed request was accepted says both causes (wrong or disabled credentials, then
   *   permissions) rather than a permission alone — some services answer a wrong secret with AccessDenied;
   * - a failure with the same cause as one before it (in step order) says "Same cause as <step>" and no more.
   */
  const review = () => {
    const shown = steps.filter((s) => s.status === 'failed' || s.status === 'warning');
    const accepted = ctx.credentialsAccepted || plan.some((stage) => stage.steps.some((spec) => spec.signed && step(spec.name).status === 'passed'));
    const unproven = !accepted && !config.anonymous;
    const denied = shown.filter((s) => s.code === 'AccessDenied');
    if (unproven && denied.length > 0) {
      // Told where the check failed (a refused listing alone is a warning), with that step's action.
      const first = denied.find((s) => s.status === 'failed') ?? (denied[0] as Step);
      const spec = plan.flatMap((stage) => stage.steps).find((candidate) => candidate.name === first.name);
      const described = describeUnprovenDenial({
        ...describeContext(ctx),
        customEndpoint: config.endpoint_url !== null,
        action: spec?.iamAction,
        partition: ctx.partition(),
      });
      Object.assign(first, { message: described.message, hint: described.hint });
    }
    // The cause of a failure: its code, and for a permission the action (unless nothing proves the credentials).
    const cause = (s: Step) => (s.code === 'AccessDenied' && !unproven ? `${s.code} ${s.iam_action ?? ''}` : s.code);
    // Only failures, and a denied listing when the credentials are in doubt: a warning of its own kind (STS out of
    // reach, say) is not the cause of a failure that shares its code.
    const told = new Map<string, Step>();
    const ordered = [
      ...shown.filter((s) => s.status === 'failed'),
      ...shown.filter((s) => s.status === 'warning' && s.code === 'AccessDenied' && unproven),
    ];
    for (const s of ordered) {
      const key = cause(s);
      if (key === null) continue;
      const first = told.get(key);
      if (!first) told.set(key, s);
      else if (first !== s) Object.assign(s, { message: `Same cause as ${STEP_LABELS[first.name]}.`, hint: null });
    }
    // A Custom URL whose answers name another service than the connector's: said once, on the endpoint step.
    const said = providerFromServer(ctx.server);
    const chosen = describeContext(ctx).provider ?? 'other';
    const reached = step('endpoint');
    if (said && said !== chosen && ctx.server && config.endpoint_url !== null && reached.status === 'passed') {
      const { message, hint } = describeProviderMismatch(said, chosen, ctx.server);
      Object.assign(reached, { status: 'warning', code: 'ProviderMismatch', message: `${reached.message ?? ''} ${message}`.trim(), hint });
    }
  };

  const skipRest = (from: number, message: string) => {
    for (const { steps: later } of plan.slice(from))
      for (const { name } of later) if (step(name).status === 'pending') Object.assign(step(name), { status: 'skipped', message });
    publish();
  };

  try {
    for (const [index, stage] of plan.entries()) {
      const results = await Promise.allSettled(stage.steps.map((spec) => runStep(spec, stage)));
      review();
      publish();
      const broken = results.find((result) => result.status === 'rejected');
      if (cancelled() || broken) {
        // What does not apply stays as it is, for the caller to mark with the reason the check ended.
        await runAlways(plan.slice(index + 1));
        throw cancelled() ? (options.signal?.reason ?? new Error('cancelled')) : broken?.reason;
      }
      const failed = failedGates(stage);
      if (failed.length > 0 && stage.skipAfterFailure) {
        // A probe written alongside the step that failed is deleted all the same.
        await runAlways(plan.slice(index + 1));
        skipRest(index + 1, stage.skipAfterFailure(failed));
        break;
      }
    }

    const firstFailure = steps.find((s) => s.status === 'failed');
    return {
      status: firstFailure ? 'FAILURE' : 'SUCCESS',
      reason: firstFailure?.message ?? null,
      steps: steps.map((s) => ({ ...s })),
      identity: ctx.identity,
      // Listing may be denied (a write-only role): a write accepted in this region is as good a proof of it.
      region: ctx.regionFound ?? (config.endpoint_url === null && step('write').status === 'passed' ? ctx.region : null),
      expiredToken: steps.some((s) => s.code === 'ExpiredToken' || s.code === 'TokenRefreshRequired'),
    };
  } finally {
    // Pooled clients go back for the checks that follow: no request of this check is left to them.
    ctx.releaseClients();
  }
}

/**
 * The one context the steps share (S3 clients are made, or borrowed from the pool, per region as the check moves),
 * and the runner's hand-back of the clients it borrowed.
 */
function createContext(
  config: S3Config,
  options: RunCheckOptions,
  signal: AbortSignal,
  settled: (name: StepName) => Promise<void>,
): CheckContext & { releaseClients(): void } {
  const parsed = parseBucketUri(config.remote_url, { customEndpoint: config.endpoint_url !== null, ambientCredentials: config.ambient_credentials });
  const prefix = parsed.ok ? parsed.value.prefix : '';
  const clientOptions: ClientOptions = { connectionTimeoutMs: Math.min(options.budgetMs, 5_000), ...options.clientOptions };
  let client: { region: string; held: CheckContext['roleCredentials']; s3: S3Client } | null = null;
  const loans: ClientLoan<PooledClient>[] = [];
  // A pooled client is found by all it is built from. The server's own credential chain (ambient) is not pooled: its
  // credentials are the SDK's to cache and refresh, not a connector's.
  const lend = <T extends PooledClient>(kind: 's3' | 'sts', region: string, make: () => T): T => {
    if (!clientOptions.pool || config.ambient_credentials) return make();
    const loan = clientOptions.pool.borrow([kind, region, config, ctx.roleCredentials, clientOptions.connectionTimeoutMs], make);
    loans.push(loan);
    return loan.client;
  };
  const ctx: CheckContext & { releaseClients(): void } = {
    config,
    bucket: parsed.ok ? parsed.value.bucket : '',
    prefix,
    signal,
    budgetMs: options.budgetMs,
    clientOptions,
    checkOptions: {
      allowAmbientCredentials: options.allowAmbientCredentials,
      allowIamRoles: options.allowIamRoles,
      iamRoleAccounts: options.iamRoleAccounts,
    },
    roles: options.roles,
    roleCredentials: null,
    connect: options.connect,
    region: fipsRegion(config.remote_url) ?? config.region ?? 'us-east-1',
    regionFound: config.region,
    identity: null,
    credentialsAccepted: false,
    server: null,
    probe: `${prefix}.connection-test/${options.probeId ?? randomUUID()}`,
    settled,
    written: [],
    s3(region = ctx.region) {
      ctx.region = region;
      // A new client when the region moves, or when assume_role has just given the check its credentials.
      if (client?.region !== region || client.held !== ctx.roleCredentials) {
        client = {
          region,
          held: ctx.roleCredentials,
          s3: lend('s3', region, () => createS3Client(config, region, clientOptions, ctx.roleCredentials)),
        };
      }
      return client.s3;
    },
    sts: () => lend('sts', ctx.region, () => createStsClient(config, ctx.region, clientOptions, ctx.roleCredentials)),
    releaseClients: () => loans.splice(0).forEach((loan) => loan.release()),
    // ARNs in hints carry the partition of the region the check ends up in (a Custom URL's service uses "aws").
    partition: () => (config.endpoint_url === null ? partitionOf(ctx.regionFound ?? ctx.region) : 'aws'),
  };
  return ctx;
}
