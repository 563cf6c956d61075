import { timingSafeEqual, createHash } from 'node:crypto';
import fp from 'fastify-plugin';
import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from 'prom-client';
import { HttpError } from '../errors.ts';
import { holdSecrets } from '../logger.ts';
import type { RouteAccess } from '../security/route-access.ts';
import { schemaVersion } from '../store/db.ts';
import type { Store } from '../store/index.ts';
import { APP_VERSION } from '../version.ts';

/** What the app counts, by name: one registry per app (tests build many). */
export function createMetrics(store: Store) {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry });
  const metrics = {
    registry,
    httpRequests: new Counter({
      name: 'http_requests_total',
      help: 'Requests answered, by route pattern (never the raw URL), method and status',
      labelNames: ['method', 'route', 'status'],
      registers: [registry],
    }),
    httpDuration: new Histogram({
      name: 'http_request_duration_seconds',
      help: 'Time to answer, by route pattern and method',
      labelNames: ['method', 'route'],
      buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
      registers: [registry],
    }),
    checksFinished: new Counter({
      name: 'connection_checks_finished_total',
      help: 'Connection checks ended, by outcome (success, failure, cancelled, interrupted) and trigger (manual, scheduled)',
      labelNames: ['outcome', 'trigger'],
      registers: [registry],
    }),
    checkDuration: new Histogram({
      name: 'connection_check_duration_seconds',
      help: 'Connection checks from claim to outcome, by outcome',
      labelNames: ['outcome'],
      buckets: [0.1, 0.25, 0.5, 1, 2, 5, 10, 20, 30],
      registers: [registry],
    }),
    stepDuration: new Histogram({
      name: 'connection_check_step_duration_seconds',
      help: 'Steps of connection checks, by step and status',
      labelNames: ['step', 'status'],
      buckets: [0.01, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
      registers: [registry],
    }),
    checksQueued: new Gauge({
      name: 'connection_checks_queued',
      help: 'Connection checks waiting for a slot, on every instance (read from the store at each scrape)',
      registers: [registry],
      async collect() {
        const row = await store.db.get<{ n: number | string }>(
          "SELECT count(*) AS n FROM connection_checks WHERE status = 'SCHEDULED' AND claimed_by IS NULL",
        );
        this.set(Number(row?.n ?? 0));
      },
    }),
    webhookDeliveries: new Counter({
      name: 'webhook_deliveries_total',
      help: 'Webhook delivery attempts, by outcome (delivered, retry, failed)',
      labelNames: ['outcome'],
      registers: [registry],
    }),
    signInFailures: new Counter({
      name: 'sign_in_failures_total',
      help: 'Refused sign-ins, by method (password, oidc)',
      labelNames: ['method'],
      registers: [registry],
    }),
    listRows: new Counter({
      name: 'list_whole_rows_total',
      help: 'Rows sent in whole (unpaged) lists, by source: kept (this instance had the row at its revision) or built (read and serialised)',
      labelNames: ['source'],
      registers: [registry],
    }),
  };
  new Gauge({
    name: 'app_info',
    help: 'The running version, the schema version and Node.js (always 1)',
    labelNames: ['version', 'schema_version', 'node_version'],
    registers: [registry],
    async collect() {
      this.reset();
      this.set({ version: APP_VERSION, schema_version: String(await schemaVersion(store.db)), node_version: process.versions.node }, 1);
    },
  });
  return metrics;
}
export type Metrics = ReturnType<typeof createMetrics>;

declare module 'fastify' {
  interface FastifyInstance {
    metrics: Metrics;
  }
}

const digest = (value: string) => createHash('sha256').update(value).digest();

/**
 * Prometheus metrics at GET /metrics, behind a token of their own (METRICS_TOKEN, sent as `Authorization: Bearer …`,
 * as Prometheus's `authorization` scrape setting sends it), not the API's keys: those are people's, expire and act
 * with a role; a scraper needs none of that (decision 022). Off (404) while no token is set. Any Host: Prometheus
 * scrapes each instance by its address.
 */
export const metricsPlugin = fp<{ store: Store; routeAccess: RouteAccess; token: string | null }>(
  async (app, { store, routeAccess, token }) => {
    const metrics = createMetrics(store);
    app.decorate('metrics', metrics);
    // The token is a credential: kept out of every log line for the process's life.
    if (token) {
      const release = holdSecrets([token]);
      app.addHook('onClose', async () => release());
    }
    app.addHook('onResponse', async (request, reply) => {
      // The route pattern matched (`/api/v1/destinations/:id`), never the URL a client chose: labels stay bounded.
      const route = request.routeOptions.url ?? 'unmatched';
      metrics.httpRequests.inc({ method: request.method, route, status: String(reply.statusCode) });
      metrics.httpDuration.observe({ method: request.method, route }, reply.elapsedTime / 1000);
    });
    await app.register(async (scrape) => {
      routeAccess.claim(scrape, 'metrics', ['public']);
      scrape.get('/metrics', { config: { access: 'public', anyHost: true }, logLevel: 'warn', schema: { hide: true } }, async (request, reply) => {
        if (token === null) throw new HttpError(404, 'Metrics are off: set METRICS_TOKEN to turn them on');
        const sent = /^Bearer\s+(.+)$/i.exec(request.headers.authorization ?? '')?.[1]?.trim() ?? '';
        if (!timingSafeEqual(digest(sent), digest(token)))
          throw new HttpError(401, 'Send the metrics token: Authorization: Bearer <METRICS_TOKEN>', { 'www-authenticate': 'Bearer' });
        reply.header('content-type', metrics.registry.contentType).header('cache-control', 'no-store');
        return metrics.registry.metrics();
      });
    });
  },
  { name: 'metrics' },
);
