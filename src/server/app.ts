import fastifyCookie from '@fastify/cookie';
import fastifySwagger from '@fastify/swagger';
import Fastify, { LogController, type FastifyInstance } from 'fastify';
import {
  serializerCompiler,
  validatorCompiler,
  type ZodTypeProvider,
} from 'fastify-type-provider-zod';
import type { DestinationStream } from 'pino';
import type { CheckStreamLimits } from './check/check-streams.ts';
import { RoleSessions } from './check/role-sessions.ts';
import type { AppConfig } from './config.ts';
import { registerErrorHandler } from './errors.ts';
import { loggerOptions } from './logger.ts';
import { documentObject, documentRoute, SECURITY, SECURITY_SCHEMES } from './openapi.ts';
import { alertsPlugin, type AlertsPluginOptions } from './plugins/alerts.ts';
import { apiPlugin } from './plugins/api.ts';
import { browserAppPlugin } from './plugins/browser-app.ts';
import { checksPlugin, type ChecksPluginOptions } from './plugins/checks.ts';
import { edgePlugin } from './plugins/edge.ts';
import { createRouteAccess } from './security/route-access.ts';
import { createSessionService } from './security/sessions.ts';
import type { Store } from './store/index.ts';

export type AppDeps = {
  config: AppConfig;
  store: Store;
  /** The built single-page app (dist/client), or null to serve the API alone. */
  clientDir: string | null;
  logStream?: DestinationStream;
  worker?: ChecksPluginOptions['worker'];
  /** Overrides for webhook deliveries (tests shorten the backoff). */
  deliveries?: AlertsPluginOptions['deliveries'];
  /** Caps on check event streams (tests set them low). */
  checkStreams?: CheckStreamLimits;
};

export const BODY_LIMIT = 64 * 1024;

const trustHops = (hops: number) => (_address: string, hop: number) => hop < hops;

/** Assembles the app from its plugins; what each one owns is said where it is defined. */
export async function buildApp(deps: AppDeps): Promise<FastifyInstance> {
  const { config, store } = deps;
  const app = Fastify({
    logger: loggerOptions(config.logLevel, deps.logStream),
    // One line per answer, written by the edge plugin with the fields an operator needs.
    logController: new LogController({ disableRequestLogging: true }),
    bodyLimit: BODY_LIMIT,
    // A hop count as proxy-addr reads it (trust the nearest n hops): Fastify's types list only the other forms.
    trustProxy: typeof config.trustProxy === 'number' ? trustHops(config.trustProxy) : config.trustProxy,
    return503OnClosing: true,
    // Unstructured's SDK calls /api/v1/destinations/ (a trailing slash): one rule for every route, not one per route.
    // Access is still decided on the route matched.
    routerOptions: { ignoreTrailingSlash: true },
  }).withTypeProvider<ZodTypeProvider>();
  // First: every route registered after this must be claimed by a context that enforces its declared access.
  const routeAccess = createRouteAccess(app);
  app.setValidatorCompiler(validatorCompiler);
  app.setSerializerCompiler(serializerCompiler);
  registerErrorHandler(app);

  await app.register(edgePlugin, { publicOrigin: config.publicOrigin, allowedHosts: config.allowedHosts });
  await app.register(fastifyCookie);
  await app.register(fastifySwagger, {
    openapi: {
      info: {
        title: 'S3 destinations admin API',
        version: '1',
        description: "Amazon S3 destination connectors, in the shapes of Unstructured's Workflow API for destinations.",
      },
      components: { securitySchemes: SECURITY_SCHEMES },
      security: SECURITY,
    },
    transform: documentRoute,
    transformObject: documentObject,
  });
  // The IAM role sessions (ALLOW_IAM_ROLES): one per process, so the check and the wizard's principal share a cache.
  const roles = config.allowIamRoles ? new RoleSessions({ base: config.roleBase }) : null;
  await app.register(alertsPlugin, { config, store, ...(deps.deliveries ? { deliveries: deps.deliveries } : {}) });
  await app.register(checksPlugin, { config, store, roles, ...(deps.worker ? { worker: deps.worker } : {}) });

  const sessions = createSessionService(store.sessions);
  await app.register(apiPlugin, { config, store, sessions, routeAccess, roles, ...(deps.checkStreams ? { checkStreams: deps.checkStreams } : {}) });
  await app.register(browserAppPlugin, { clientDir: deps.clientDir, routeAccess });
  return app;
}
