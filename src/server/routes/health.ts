import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { HealthSchema } from '../../shared/api-schemas.ts';
import type { Sql } from '../store/sql.ts';

/** For load balancers: answers only when the store answers. */
export const healthRoutes: FastifyPluginAsyncZod<{ db: Sql }> = async (app, options) => {
  app.get(
    '/health',
    // Any Host: load balancers probe each instance by its address. Logged only when it fails: probes come every few seconds.
    { config: { access: 'public', anyHost: true }, logLevel: 'warn', schema: { operationId: 'health', summary: 'Liveness and store check', response: { 200: HealthSchema } } },
    async () => {
      await options.db.get('SELECT 1 AS ok');
      return { status: 'ok' as const };
    },
  );
};
