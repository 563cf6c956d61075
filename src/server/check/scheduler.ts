import type { FastifyBaseLogger } from 'fastify';
import type { ChecksRepository } from '../store/checks-repository.ts';

export type CheckSchedulerOptions = {
  checks: Pick<ChecksRepository, 'startScheduled'>;
  /** Tells the local worker a check is queued (other instances' workers find it at their poll). */
  kick: () => void;
  log: Pick<FastifyBaseLogger, 'error'>;
  /** The clock (a test moves it by hand). */
  now?: () => Date;
  pollMs?: number;
  /** Checks started per transaction: a backlog is worked off in batches, the worker's concurrency paces the runs. */
  batch?: number;
};

/**
 * Starts each destination's scheduled check when its time comes, through the same queue as a check someone starts.
 * Every instance runs one; the store hands each due slot to one of them (checks-repository `startScheduled`).
 */
export class CheckScheduler {
  private timer: NodeJS.Timeout | null = null;
  private ticking: Promise<string[]> | null = null;
  private readonly now: () => Date;

  constructor(private readonly options: CheckSchedulerOptions) {
    this.now = options.now ?? (() => new Date());
  }

  start() {
    this.timer = setInterval(() => void this.tick(), this.options.pollMs ?? 15_000);
    this.timer.unref();
    void this.tick();
  }

  async stop() {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
    await this.ticking;
  }

  /** Starts every check that is due now, in batches; resolves with their ids. One tick at a time. */
  tick(): Promise<string[]> {
    this.ticking ??= this.startDue().finally(() => (this.ticking = null));
    return this.ticking;
  }

  private async startDue(): Promise<string[]> {
    const batch = this.options.batch ?? 100;
    const started: string[] = [];
    try {
      for (;;) {
        const ids = await this.options.checks.startScheduled(this.now(), batch);
        started.push(...ids);
        if (ids.length > 0) this.options.kick();
        if (ids.length < batch) break;
      }
    } catch (error) {
      this.options.log.error({ err: error }, 'scheduled connection checks could not be started');
    }
    return started;
  }
}
