import { EventEmitter } from 'node:events';
import { randomUUID } from 'node:crypto';
import type { FastifyBaseLogger } from 'fastify';
import type { ConnectionCheck, Step } from '#shared/check-schemas';
import {
  CANCELLED_REASON,
  cutOffSteps,
  INTERRUPTED_REASON,
  type CheckResult,
  type CheckUpdate,
  type ChecksRepository,
  type ClaimedCheck,
  type NewCheck,
} from '../store/checks-repository.ts';
import type { ActivityRepository } from '../store/activity-repository.ts';
import type { DestinationsRepository } from '../store/destinations-repository.ts';
import { holdSecrets } from '../logger.ts';
import type { CheckOptions } from '#shared/s3-config';
import type { Sql } from '../store/sql.ts';
import { LEFTOVER_STAGES } from './check-steps.ts';
import { runConnectionCheck, type RunCheckOptions } from './run-check.ts';

/** The cleanup step of a cut-off check whose connector was deleted before anyone could clean up after it. */
const LEFTOVER_UNREACHABLE: Partial<Step> & { message: string } = {
  status: 'warning',
  code: null,
  message: 'The check was interrupted before its cleanup, and its connector was deleted since: its test objects (<probe>) may be left in the bucket.',
  hint: 'Delete the objects under .connection-test/ in the bucket by hand.',
  iam_action: null,
};

/** At most one progress write per this many ms per check (see execute). */
const PROGRESS_EVERY_MS = 25;

export type CheckWorkerOptions = {
  checks: ChecksRepository;
  destinations: DestinationsRepository;
  activity?: ActivityRepository;
  concurrency: number;
  budgetMs: number;
  /** Which credentials methods the server offers (the validate step's field rules). */
  checkOptions: CheckOptions;
  log: FastifyBaseLogger;
  /** How long a claim holds without renewal; a crashed worker's checks fail once it runs out. */
  leaseMs?: number;
  pollMs?: number;
  runOptions?: Partial<RunCheckOptions>;
  /** A saved connector's check ended: true when that queued an alert (the alerts' `onCheckFinished`). */
  onVerdict?: (tx: Sql, destinationId: string, check: { id: string; status: 'SUCCESS' | 'FAILURE'; reason: string | null }) => Promise<boolean>;
  /** After the commit of a verdict that queued an alert: send it. */
  onAlerted?: () => void;
  /** A check ended on this instance (the metrics count it). */
  onFinished?: (ended: { outcome: CheckOutcome; trigger: 'manual' | 'scheduled'; durationMs: number; steps: Step[] }) => void;
};

export type CheckOutcome = 'success' | 'failure' | 'cancelled' | 'interrupted';

/**
 * The worker's change channel. `change`: a check changed — with its new state when this instance wrote it (so a
 * listener can pass on every step in order), without when the listener must read the store; `relayed` when another
 * instance announced it. `stopped`: this instance will say nothing more (shutdown).
 */
export type CheckEvents = {
  change: [id: string, update?: CheckUpdate, origin?: 'relayed'];
  /** A cancel was asked for (the store is marked): the instance running the check stops it. */
  cancel: [id: string, origin?: 'relayed'];
  stopped: [];
};

/**
 * Runs connection checks from the queue in the store: claims rows with a lease, runs at most `concurrency` at once,
 * renews the lease while running, and publishes each step change. A check is claimed once and so runs at most once.
 */
export class CheckWorker {
  readonly id = `worker-${randomUUID()}`;
  readonly events = new EventEmitter<CheckEvents>().setMaxListeners(0);
  private readonly running = new Map<string, { controller: AbortController; destinationId: string | null; done: Promise<void> }>();
  private readonly leaseMs: number;
  private timer: NodeJS.Timeout | null = null;
  private claiming = false;
  /** Kicked while a claim was in progress: that claim may have looked before the new check was there. */
  private kickedWhileClaiming = false;
  /** The claim in progress (or the last one): stop() waits for it, so a check claimed as it stops is stopped too. */
  private claimed: Promise<void> = Promise.resolve();
  private started = false;
  private stopped = false;
  /** Slots taken by checks being scheduled straight onto this instance (see schedule), not yet running. */
  private reserved = 0;
  /** Checks being scheduled straight onto this instance: stop() waits for them, as for a claim. */
  private readonly scheduling = new Set<Promise<unknown>>();
  /**
   * A claim left checks in the queue for want of a free slot (or may have): the next check to end here claims
   * again. Otherwise an ending check has nothing to claim, and the next kick or poll finds what comes later.
   */
  private heldBack = false;
  /**
   * Expired leases (an instance that died mid-check) are looked for at each poll, not at every kick: they expire
   * over seconds, and a check started by a user should not wait for that query first.
   */
  private sweepDue = true;
  /** Probes of checks cut off before their cleanup, being deleted (stop() aborts it, then waits for it). */
  private cleaning: Promise<void> | null = null;
  private readonly cleaningStopped = new AbortController();

  constructor(private readonly options: CheckWorkerOptions) {
    this.leaseMs = options.leaseMs ?? options.budgetMs + 15_000;
    this.events.on('cancel', (id) => this.cancel(id));
  }

  start() {
    this.started = true;
    this.timer = setInterval(() => {
      this.sweepDue = true;
      void this.tick();
    }, this.options.pollMs ?? 1_000);
    this.timer.unref();
    void this.tick();
  }

  /** A new check was scheduled: look now rather than at the next poll. */
  kick() {
    void this.tick();
  }

  /**
   * Schedules a check. With a slot free here it is claimed in the commit that queues it and starts at once (no
   * second durable write, no trip through the queue); otherwise it waits in the queue for the first free slot, here
   * or on another instance sharing the database.
   */
  async schedule(input: NewCheck): Promise<ConnectionCheck> {
    if (!this.started || this.stopped || this.freeSlots() <= 0) {
      const queued = await this.options.checks.create(input);
      this.kick();
      return queued;
    }
    this.reserved++;
    // Waited for by stop() until the check is running, so that stopping stops it too.
    const scheduled = (async () => {
      const check = await this.options.checks.create(input, { workerId: this.id, leaseUntil: new Date(Date.now() + this.leaseMs) });
      this.launch({
        id: check.id,
        destinationId: input.destinationId ?? input.baseDestinationId ?? null,
        config: input.config ?? null,
        startedBy: input.startedBy ?? null,
      });
      return check;
    })().finally(() => {
      this.reserved--;
      this.scheduling.delete(scheduled);
    });
    this.scheduling.add(scheduled);
    return scheduled;
  }

  private freeSlots() {
    return this.options.concurrency - this.running.size - this.reserved;
  }

  runningCount() {
    return this.running.size;
  }

  /** Stops a check this instance runs; its probes are still cleaned up, then it ends FAILURE "cancelled". */
  private cancel(id: string) {
    this.running.get(id)?.controller.abort(new Error('cancelled'));
  }

  /** Aborts the running checks of a destination that is being deleted. */
  cancelForDestination(destinationId: string) {
    for (const run of this.running.values()) if (run.destinationId === destinationId) run.controller.abort();
  }

  /**
   * Stops claiming; running checks are aborted and marked interrupted, so none is left SCHEDULED for good. Checks not
   * yet claimed stay queued for the next start. Then 'stopped', so that event streams can end.
   */
  /**
   * Stops taking work (no claims; a check started here from now on waits in the queue for another instance, or the
   * next start) and lets the running checks end on their own for up to `graceMs`; those still running then are
   * stopped — their cleanup runs, and they end "interrupted". Resolves once every one has ended.
   */
  async stop(graceMs = 0) {
    this.stopped = true;
    if (this.timer) clearInterval(this.timer);
    await Promise.allSettled([this.claimed, ...this.scheduling]);
    const runs = [...this.running.values()];
    if (graceMs > 0 && runs.length > 0) {
      this.options.log.info({ running: runs.length, graceMs }, 'stopping: letting the running connection checks finish');
      let timer: NodeJS.Timeout | undefined;
      await Promise.race([Promise.all(runs.map((run) => run.done)), new Promise((resolve) => (timer = setTimeout(resolve, graceMs)))]);
      clearTimeout(timer);
    }
    const left = [...this.running.values()];
    if (left.length > 0)
      this.options.log.warn({ running: left.length }, 'stopping: interrupting the connection checks still running (their probes are cleaned up)');
    for (const run of left) run.controller.abort(new Error('stopping'));
    // A cleanup after a cut-off check stopped half-way is taken again (its lease runs out) by the next sweep anywhere.
    this.cleaningStopped.abort(new Error('stopping'));
    await Promise.all([...runs.map((run) => run.done), this.cleaning]);
    this.events.emit('stopped');
  }

  /** Stops without a word to the store, as a crash would: the leases are left to run out. */
  abandon() {
    this.stopped = true;
    if (this.timer) clearInterval(this.timer);
    for (const run of this.running.values()) run.controller.abort(new Error('abandoned'));
  }

  private tick(): Promise<void> {
    if (this.claiming) this.kickedWhileClaiming = true;
    if (this.stopped || this.claiming) return this.claimed;
    this.claiming = true;
    this.claimed = this.claimAndLaunch();
    return this.claimed;
  }

  private async claimAndLaunch() {
    try {
      if (this.sweepDue) {
        this.sweepDue = false;
        for (const id of await this.options.checks.failExpiredLeases(new Date())) this.events.emit('change', id);
        if (!this.cleaning) this.cleaning = this.cleanUpAfterCutOffChecks().finally(() => (this.cleaning = null));
      }
      // Once more when kicked meanwhile (in the same claim, which stop() waits for): else a check scheduled just after
      // the claim's query waited for the next poll, up to a second.
      do {
        this.kickedWhileClaiming = false;
        const free = this.freeSlots();
        if (free <= 0) {
          this.heldBack = true;
          return;
        }
        const claimed = await this.options.checks.claim(this.id, new Date(Date.now() + this.leaseMs), free);
        // As many as there was room for: more may be waiting.
        if (claimed.length === free) this.heldBack = true;
        for (const check of claimed) this.launch(check);
      } while (this.kickedWhileClaiming && !this.stopped);
    } catch (error) {
      this.options.log.error({ err: error }, 'connection check queue failed');
    } finally {
      this.claiming = false;
    }
  }

  private launch(check: ClaimedCheck) {
    const controller = new AbortController();
    const done = this.execute(check, controller).finally(() => {
      this.running.delete(check.id);
      if (!this.heldBack) return;
      this.heldBack = false;
      this.kick();
    });
    this.running.set(check.id, { controller, destinationId: check.destinationId, done });
  }

  /**
   * Deletes the probes of checks cut off before their own cleanup ran (an instance that died or was killed): their
   * keys follow from the check's id. A few at a time, in the background of the queue's sweep; what could not be
   * deleted is said on the check's cleanup step, as a check's own cleanup says it.
   */
  private async cleanUpAfterCutOffChecks() {
    const { checks, destinations } = this.options;
    try {
      // Held for the longest a cleanup can take (its budget) and more: another sweep must not take it meanwhile.
      const claimed = await checks.claimCleanups(
        this.id,
        new Date(),
        new Date(Date.now() + Math.max(this.leaseMs, this.options.budgetMs + 15_000)),
        4,
      );
      await Promise.all(
        claimed.map(async (check) => {
          const config =
            check.config ?? (check.destinationId ? await destinations.findConfigWithSecrets(check.destinationId).catch(() => null) : null);
          if (!config) {
            // The connector was deleted since: its credentials went with it, nothing can reach the bucket now.
            await checks.finishCleanup(check.id, {
              ...LEFTOVER_UNREACHABLE,
              message: LEFTOVER_UNREACHABLE.message.replace('<probe>', `.connection-test/${check.id}`),
            });
            this.options.log.warn({ checkId: check.id }, 'could not clean up after an interrupted connection check: its connector was deleted');
            return;
          }
          const release = holdSecrets([config.secret, config.token]);
          try {
            const outcome = await runConnectionCheck(
              config,
              {
                budgetMs: this.options.budgetMs,
                ...this.options.checkOptions,
                ...this.options.runOptions,
                probeId: check.id,
                signal: this.cleaningStopped.signal,
              },
              LEFTOVER_STAGES,
            );
            const cleanup = outcome.steps.find((step) => step.name === 'cleanup') as Step;
            await checks.finishCleanup(check.id, cleanup);
            this.options.log.info({ checkId: check.id, status: cleanup.status }, 'cleaned up after an interrupted connection check');
            this.events.emit('change', check.id);
          } finally {
            release();
          }
        }),
      );
    } catch (error) {
      this.options.log.warn({ err: error }, 'cleaning up after interrupted connection checks failed; it is tried again at the next sweep');
    }
  }

  /** One line for every check that ends here (what an operator asks about), and the metrics' count of it. */
  private finished(check: ClaimedCheck, ended: CheckResult, durationMs: number) {
    const outcome: CheckOutcome =
      ended.reason === CANCELLED_REASON
        ? 'cancelled'
        : ended.reason === INTERRUPTED_REASON
          ? 'interrupted'
          : ended.status === 'SUCCESS'
            ? 'success'
            : 'failure';
    const trigger = check.startedBy ? 'manual' : 'scheduled';
    this.options.log.info(
      {
        checkId: check.id,
        destinationId: check.destinationId,
        outcome,
        failingStep: ended.steps.find((step) => step.status === 'failed')?.name ?? null,
        durationMs: Math.round(durationMs),
        startedBy: check.startedBy ? `${check.startedBy.kind}:${check.startedBy.id}` : 'schedule',
      },
      'connection check finished',
    );
    this.options.onFinished?.({ outcome, trigger, durationMs, steps: ended.steps });
  }

  private async execute(check: ClaimedCheck, controller: AbortController) {
    const { checks, destinations } = this.options;
    const startedAt = performance.now();
    let ended: CheckResult | null = null;
    // A cancel is announced on the change channel; a missed announcement is caught here and at each progress write.
    const renewal = setInterval(
      () => {
        void checks.renewLease(check.id, this.id, new Date(Date.now() + this.leaseMs));
        void checks.isCancelRequested(check.id).then(
          (asked) => asked && this.cancel(check.id),
          () => undefined,
        );
      },
      Math.max(250, Math.min(this.leaseMs / 3, 2_000)),
    );
    // Step changes are written one after another, in the order they happened: on a pooled database two writes in
    // flight at once could land out of order and a later state be overwritten by an earlier one. A write holds every
    // step, so states that arrive while one is in flight, or within PROGRESS_EVERY_MS of the last, fold into the next:
    // a check that ends in 40 ms costs one progress commit or two (its result is written by finish), and a step long
    // enough to watch is always seen running.
    let progress = Promise.resolve();
    let latest: Step[] | null = null;
    let writing = false;
    let timer: NodeJS.Timeout | null = null;
    let lastWrite = performance.now();
    const schedule = () => {
      if (writing || timer || !latest) return;
      const wait = lastWrite + PROGRESS_EVERY_MS - performance.now();
      if (wait > 0) timer = setTimeout(() => ((timer = null), schedule()), wait);
      else progress = writeProgress();
    };
    const writeProgress = async () => {
      writing = true;
      try {
        const steps = latest as Step[];
        latest = null;
        const update = await checks.saveProgress(check.id, this.id, steps);
        lastWrite = performance.now();
        if (update) this.events.emit('change', check.id, update);
        if (update?.cancelRequested) this.cancel(check.id);
      } catch (error) {
        this.options.log.warn({ err: error }, 'could not record a step of a connection check');
      } finally {
        writing = false;
        schedule();
      }
    };
    /** The outcome supersedes progress not yet written; a write in flight is let finish, so the order holds. */
    const settleProgress = async () => {
      if (timer) clearTimeout(timer);
      timer = null;
      latest = null;
      while (writing) await progress;
    };
    let release = () => {};
    try {
      const config = check.config ?? (check.destinationId ? await destinations.findConfigWithSecrets(check.destinationId) : null);
      // Whatever is logged while the check runs (an SDK error quotes the token, a canonical request its bytes).
      release = holdSecrets([config?.secret, config?.token]);
      if (!config) {
        ended = { status: 'FAILURE', reason: 'The destination was deleted before its check ran.', steps: [], identity: null, region: null };
        await checks.finish(check.id, ended);
        return;
      }
      const outcome = await runConnectionCheck(config, {
        budgetMs: this.options.budgetMs,
        ...this.options.checkOptions,
        ...this.options.runOptions,
        probeId: check.id,
        signal: controller.signal,
        onProgress: (steps: Step[]) => {
          latest = steps;
          schedule();
        },
      });
      await settleProgress();
      let alerted = false;
      ended = outcome;
      await checks.finish(check.id, outcome, async (tx, saved) => {
        if (!saved) return;
        await checks.prune(saved, tx);
        // Passing ↔ failing is an alert, decided in the transaction that records the verdict.
        alerted = (await this.options.onVerdict?.(tx, saved, { id: check.id, status: outcome.status, reason: outcome.reason })) ?? false;
        await this.options.activity?.record(
          {
            destinationId: saved,
            kind: 'check.finished',
            outcome: outcome.status === 'SUCCESS' ? 'ok' : 'failed',
            detail: outcome.reason,
            // Who started it (null: its schedule did).
            actor: check.startedBy,
          },
          tx,
        );
      });
      if (alerted) this.options.onAlerted?.();
    } catch (error) {
      if (controller.signal.reason instanceof Error && controller.signal.reason.message === 'abandoned') return;
      if (!controller.signal.aborted) this.options.log.error({ err: error }, 'connection check failed unexpectedly');
      // Progress held back is written first here: the steps cut off are judged from the latest state.
      const held = latest;
      await settleProgress();
      if (held) await checks.saveProgress(check.id, this.id, held).catch(() => null);
      const current = await checks.findById(check.id);
      const reason = !controller.signal.aborted
        ? 'The check failed unexpectedly; the details are in the server log.'
        : (controller.signal.reason as Error | undefined)?.message === 'stopping'
          ? INTERRUPTED_REASON
          : CANCELLED_REASON;
      ended = {
        status: 'FAILURE',
        reason,
        steps: cutOffSteps(current?.steps ?? [], reason),
        identity: null,
        region: null,
        cancelled: reason === CANCELLED_REASON,
      };
      await checks.finish(check.id, ended);
    } finally {
      if (timer) clearTimeout(timer);
      release();
      clearInterval(renewal);
      this.events.emit('change', check.id);
      if (ended) this.finished(check, ended, performance.now() - startedAt);
    }
  }
}
