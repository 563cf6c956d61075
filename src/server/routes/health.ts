import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { HealthSchema } from '../../shared/api-schemas.ts';
import type { Db } from '../store/db.ts';

/** For load balancers: answers only when the store answers. */
export const healthRoutes: FastifyPluginAsyncZod<{ db: Db }> = async (app, options) => {
  const ping = options.db.prepare('SELECT 1');
  app.get(
    '/api/health',
    { config: { public: true }, schema: { summary: 'Liveness and store check', response: { 200: HealthSchema } } },
    async () => {
      ping.get();
      return { status: 'ok' as const };
    },
  );
};
