import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { AboutSchema, DetailSchema } from '#shared/api-schemas';
import { schemaVersion } from '../store/db.ts';
import type { Sql } from '../store/sql.ts';
import { APP_VERSION } from '../version.ts';

/** GET /api/v1/about — signed in: the app's version, the schema's, and Node's (public health routes keep their shape). */
export const aboutRoutes: FastifyPluginAsyncZod<{ db: Sql }> = async (app, options) => {
  app.get(
    '/v1/about',
    {
      config: { access: 'app.use' },
      schema: {
        operationId: 'about',
        summary: 'The running version, the database schema version and the Node.js version',
        response: { 200: AboutSchema, 401: DetailSchema },
      },
    },
    async () => ({ version: APP_VERSION, schema_version: await schemaVersion(options.db), node_version: process.versions.node }),
  );
};
