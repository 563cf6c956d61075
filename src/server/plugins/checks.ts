import type { FastifyInstance } from 'fastify';
import fp from 'fastify-plugin';
import { Gauge } from 'prom-client';
import type { Agent as HttpsAgent } from 'node:https';
import { checkOptionsOf, type AppConfig } from '../config.ts';
import { ClientPool } from '../check/client-pool.ts';
import type { RoleSessions } from '../check/role-sessions.ts';
import { CheckScheduler } from '../check/scheduler.ts';
import { CheckWorker, type CheckWorkerOptions } from '../check/worker.ts';
import { createSsrfGuard, parseAllowlist } from '../security/ssrf-guard.ts';
import type { Store } from '../store/index.ts';
import type { Notifications } from '../store/sql.ts';

export type ChecksPluginOptions = {
  config: AppConfig;
  store: Store;
  /** The IAM role sessions, when the server offers the method. */
  roles: RoleSessions | null;
  /** Overrides for the check worker (tests shorten leases and plug in a connect function). */
  worker?: Partial<Pick<CheckWorkerOptions, 'leaseMs' | 'pollMs' | 'runOptions'>>;
};

declare module 'fastify' {
  interface FastifyInstance {
    checkWorker: CheckWorker;
  }
}

/**
 * The connection-check worker and its lifecycle: it starts when the app is ready and stops first on close (running
 * checks are marked interrupted, not left SCHEDULED, and event streams, which would otherwise hold the close open,
 * end). Wrapped with fastify-plugin so every context reaches the worker as `app.checkWorker`.
 */
export const checksPlugin = fp<ChecksPluginOptions>(
  async (app, { config, store, roles, worker: overrides }) => {
    // Every connection a check opens goes through the SSRF guard: the SDK's agents and the endpoint step alike.
    const guard = createSsrfGuard(parseAllowlist(config.s3EndpointAllowlist), undefined, {
      caBundle: config.s3CaBundle,
      outboundProxy: config.outboundProxy,
    });
    roles?.useAgents({ httpAgent: guard.httpAgent, httpsAgent: guard.httpsAgent as HttpsAgent });
    // SDK clients kept between checks, over the guard's agents (decision 017).
    const pool = new ClientPool();
    const worker = new CheckWorker({
      checks: store.checks,
      destinations: store.destinations,
      activity: store.activity,
      concurrency: config.checkConcurrency,
      budgetMs: config.checkTimeoutMs,
      checkOptions: checkOptionsOf(config),
      log: app.log,
      onVerdict: (tx, destinationId, check) => app.alerts.onCheckFinished(tx, destinationId, check),
      onAlerted: () => app.deliveries.kick(),
      onFinished: ({ outcome, trigger, durationMs, steps }) => {
        app.metrics.checksFinished.inc({ outcome, trigger });
        app.metrics.checkDuration.observe({ outcome }, durationMs / 1000);
        for (const step of steps)
          if (step.duration_ms !== null) app.metrics.stepDuration.observe({ step: step.name, status: step.status }, step.duration_ms / 1000);
      },
      ...overrides,
      runOptions: {
        clientOptions: { httpAgent: guard.httpAgent, httpsAgent: guard.httpsAgent, pool },
        connect: guard.connect,
        ...(roles ? { roles } : {}),
        ...overrides?.runOptions,
      },
    });
    app.decorate('checkWorker', worker);
    new Gauge({
      name: 'connection_checks_running',
      help: 'Connection checks this instance is running',
      registers: [app.metrics.registry],
      collect() {
        this.set(worker.runningCount());
      },
    });
    await relayCheckChanges(app, worker, store.db.notifications);
    const scheduler = new CheckScheduler({ checks: store.checks, kick: () => worker.kick(), log: app.log });
    app.addHook('onReady', async () => {
      worker.start();
      if (config.scheduledChecks) scheduler.start();
    });
    app.addHook('preClose', async () => {
      // No new scheduled checks; the running ones may finish within the grace period (SIGTERM, main.ts).
      app.lifecycle.stopping = true;
      await scheduler.stop();
      await worker.stop(config.shutdownGraceMs);
    });
    // Kept-alive sockets to endpoints go with the app, not at their idle timeout.
    app.addHook('onClose', async () => {
      pool.clear();
      guard.httpAgent.destroy();
      guard.httpsAgent.destroy();
    });
  },
  { name: 'checks', dependencies: ['alerts', 'metrics'] },
);

const CHECK_CHANNEL = 'connection_check_changed';

/**
 * Several instances on one PostgreSQL: every change of a check this instance writes is announced with NOTIFY, and
 * every change another instance announces is passed to this instance's event streams, which then read the store. A
 * browser following a check sees each step at once whichever instance it reached (the streams' store poll remains
 * the fallback). `origin` keeps a relayed change from being announced again.
 */
async function relayCheckChanges(app: FastifyInstance, worker: CheckWorker, notifications: Notifications | undefined) {
  if (!notifications) return;
  const announce = (id: string, what: 'change' | 'cancel') =>
    notifications
      .notify(CHECK_CHANNEL, `${worker.id} ${id} ${what}`)
      .catch((error: unknown) => app.log.warn({ err: error }, 'could not announce a check change'));
  worker.events.on('change', (id, _update, origin) => {
    if (origin !== 'relayed') void announce(id, 'change');
  });
  worker.events.on('cancel', (id, origin) => {
    if (origin !== 'relayed') void announce(id, 'cancel');
  });
  const stop = await notifications.listen(CHECK_CHANNEL, (payload) => {
    const [from, id, what] = payload.split(' ');
    if (from === worker.id || !id) return;
    if (what === 'cancel') worker.events.emit('cancel', id, 'relayed');
    else worker.events.emit('change', id, undefined, 'relayed');
  });
  app.addHook('onClose', async () => stop());
}
