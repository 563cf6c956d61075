import fp from 'fastify-plugin';
import { createAlerts, type Alerts } from '../alerts/alerts.ts';
import { DeliveryWorker, type DeliveryWorkerOptions } from '../alerts/delivery-worker.ts';
import type { AppConfig } from '../config.ts';
import { createSsrfGuard, parseAllowlist } from '../security/ssrf-guard.ts';
import type { Store } from '../store/index.ts';

export type AlertsPluginOptions = {
  config: AppConfig;
  store: Store;
  /** Tests shorten the backoff, move the clock, poll faster. */
  deliveries?: Partial<Pick<DeliveryWorkerOptions, 'backoffMs' | 'now' | 'pollMs' | 'timeoutMs'>>;
};

declare module 'fastify' {
  interface FastifyInstance {
    alerts: Alerts;
    deliveries: DeliveryWorker;
  }
}

/**
 * Alerts and their delivery: what decides an event (`app.alerts`, used by the check worker and the routes) and the
 * worker that sends webhooks through an SSRF guard of their own (WEBHOOK_ALLOWLIST), started when the app is ready
 * and stopped before it closes.
 */
export const alertsPlugin = fp<AlertsPluginOptions>(
  async (app, { config, store, deliveries: overrides }) => {
    const guard = createSsrfGuard(parseAllowlist(config.webhookAllowlist), undefined, { outboundProxy: config.outboundProxy });
    let worker: DeliveryWorker | null = null;
    const alerts = createAlerts({ db: store.db, webhooks: store.webhooks, publicOrigin: config.publicOrigin, onQueued: () => worker?.kick() });
    worker = new DeliveryWorker({
      webhooks: store.webhooks,
      alerts,
      guard,
      log: app.log,
      onOutcome: (kind) => app.metrics.webhookDeliveries.inc({ outcome: kind }),
      ...overrides,
    });
    app.decorate('alerts', alerts);
    app.decorate('deliveries', worker);
    app.addHook('onReady', async () => worker.start());
    app.addHook('preClose', async () => worker.stop());
    app.addHook('onClose', async () => {
      guard.httpAgent.destroy();
      guard.httpsAgent.destroy();
    });
  },
  { name: 'alerts', dependencies: ['metrics'] },
);
