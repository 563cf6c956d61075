import fs from 'node:fs';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { DetailSchema, HealthSchema, ReadinessSchema } from '#shared/api-schemas';
import { HttpError } from '../errors.ts';
import { ensureCanRun, MIGRATIONS_DIR, schemaRequirement } from '../store/db.ts';
import type { Sql } from '../store/sql.ts';

/** Where the process is in its life: readiness answers 503 while it is starting (main.ts) or stopping. */
export type Lifecycle = { starting: boolean; stopping: boolean };

// Any Host: load balancers and orchestrators probe each instance by its address. Logged only when they fail: probes
// come every few seconds.
const PROBE = { config: { access: 'public' as const, anyHost: true }, logLevel: 'warn' as const };

/**
 * GET /api/health (the store answers; its shape kept for existing probes), /api/health/live (the process answers: restart
 * it when this fails) and /api/health/ready (send it traffic: 503 with the reason while the database is unreachable,
 * the schema needs another version or migrations are pending, or the process is stopping).
 */
export const healthRoutes: FastifyPluginAsyncZod<{ db: Sql; lifecycle: Lifecycle }> = async (app, options) => {
  const known = fs.readdirSync(MIGRATIONS_DIR).filter((name) => /^\d{3}-[a-z0-9-]+\.sql$/.test(name));

  const unavailable = (reason: string) => new HttpError(503, reason, { 'retry-after': '5' });
  const databaseAnswers = async () => {
    try {
      await options.db.get('SELECT 1 AS ok');
    } catch {
      throw unavailable('The database does not answer');
    }
  };

  app.get(
    '/health',
    {
      ...PROBE,
      schema: { operationId: 'health', summary: 'The store answers (503 when it does not)', response: { 200: HealthSchema, 503: DetailSchema } },
    },
    async () => {
      await databaseAnswers();
      return { status: 'ok' as const };
    },
  );

  app.get(
    '/health/live',
    { ...PROBE, schema: { operationId: 'health_live', summary: 'Liveness: the process answers', response: { 200: HealthSchema } } },
    async () => ({
      status: 'ok' as const,
    }),
  );

  app.get(
    '/health/ready',
    {
      ...PROBE,
      schema: {
        operationId: 'health_ready',
        summary: 'Readiness: may this instance take traffic (503 with the reason when not)',
        response: { 200: ReadinessSchema, 503: DetailSchema },
      },
    },
    async () => {
      if (options.lifecycle.stopping) throw unavailable('Stopping: finishing the checks it runs, taking no new work');
      if (options.lifecycle.starting) throw unavailable('Starting');
      await databaseAnswers();
      try {
        ensureCanRun(await schemaRequirement(options.db), undefined);
      } catch (error) {
        throw unavailable((error as Error).message);
      }
      const applied = new Set((await options.db.all<{ name: string }>('SELECT name FROM schema_migrations')).map((row) => row.name));
      const pending = known.filter((name) => !applied.has(name));
      if (pending.length > 0) throw unavailable(`Migrations are pending: ${pending.join(', ')} (restart this instance to apply them)`);
      return { status: 'ready' as const };
    },
  );
};
