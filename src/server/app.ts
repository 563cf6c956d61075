import fastifyCookie from '@fastify/cookie';
import proxyAddr from '@fastify/proxy-addr';
import { randomUUID } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import fastifySwagger from '@fastify/swagger';
import Fastify, { LogController, type FastifyBaseLogger, type FastifyInstance } from 'fastify';
import { serializerCompiler, validatorCompiler, type ZodTypeProvider } from 'fastify-type-provider-zod';
import type { DestinationStream } from 'pino';
import type { CheckStreamLimits } from './check/check-streams.ts';
import { RoleSessions } from './check/role-sessions.ts';
import type { AppConfig } from './config.ts';
import { registerErrorHandler } from './errors.ts';
import { loggerOptions } from './logger.ts';
import { documentObject, documentRoute, SECURITY, SECURITY_SCHEMES } from './openapi.ts';
import { alertsPlugin, type AlertsPluginOptions } from './plugins/alerts.ts';
import { apiPlugin } from './plugins/api.ts';
import type { Lifecycle } from './routes/health.ts';
import { browserAppPlugin } from './plugins/browser-app.ts';
import { checksPlugin, type ChecksPluginOptions } from './plugins/checks.ts';
import { edgePlugin } from './plugins/edge.ts';
import { metricsPlugin } from './plugins/metrics.ts';
import { createRouteAccess } from './security/route-access.ts';
import { createSessionService } from './security/sessions.ts';
import type { Store } from './store/index.ts';

export type AppDeps = {
  config: AppConfig;
  store: Store;
  /** The built single-page app (dist/client), or null to serve the API alone. */
  clientDir: string | null;
  logStream?: DestinationStream;
  /** The process's logger (main.ts), shared with what it logs before and after the app. */
  logger?: FastifyBaseLogger;
  worker?: ChecksPluginOptions['worker'];
  /** Overrides for webhook deliveries (tests shorten the backoff). */
  deliveries?: AlertsPluginOptions['deliveries'];
  /** Caps on check event streams (tests set them low). */
  checkStreams?: CheckStreamLimits;
};

declare module 'fastify' {
  interface FastifyInstance {
    lifecycle: Lifecycle;
  }
}

export const BODY_LIMIT = 64 * 1024;

const trustHops = (hops: number) => (_address: string, hop: number) => hop < hops;

/** A request id a proxy may pass on: a short token of safe characters (it reaches log lines and a response header). */
const REQUEST_ID = /^[A-Za-z0-9._-]{1,64}$/;

/**
 * Ids for requests: the `X-Request-Id` the nearest hop sent when that hop is a trusted proxy (TRUST_PROXY) and the id is
 * well-formed, so one id follows a request through the proxy's logs and ours; else a new UUID. A client reaching the
 * app directly cannot choose what our logs call its request.
 */
function requestIdFrom(trust: AppConfig['trustProxy']) {
  const trusted = trust === false ? () => false : typeof trust === 'number' ? () => trust > 0 : proxyAddr.compile(trust);
  return (raw: IncomingMessage) => {
    const sent = raw.headers['x-request-id'];
    if (typeof sent === 'string' && REQUEST_ID.test(sent) && trusted(raw.socket.remoteAddress ?? '', 0)) return sent;
    return randomUUID();
  };
}

/** Assembles the app from its plugins; what each one owns is said where it is defined. */
export async function buildApp(deps: AppDeps): Promise<FastifyInstance> {
  const { config, store } = deps;
  const app = Fastify({
    ...(deps.logger ? { loggerInstance: deps.logger } : { logger: loggerOptions(config.logLevel, deps.logStream) }),
    // One line per answer, written by the edge plugin with the fields an operator needs.
    logController: new LogController({ disableRequestLogging: true }),
    bodyLimit: BODY_LIMIT,
    // A hop count as proxy-addr reads it (trust the nearest n hops): Fastify's types list only the other forms.
    trustProxy: typeof config.trustProxy === 'number' ? trustHops(config.trustProxy) : config.trustProxy,
    return503OnClosing: true,
    // Unique across instances (a UUID), or the one a trusted proxy sent (X-Request-Id), and returned on every answer.
    genReqId: requestIdFrom(config.trustProxy),
    // Unstructured's SDK calls /api/v1/destinations/ (a trailing slash): one rule for every route, not one per route.
    // Access is still decided on the route matched.
    routerOptions: { ignoreTrailingSlash: true },
  }).withTypeProvider<ZodTypeProvider>();
  // First: every route registered after this must be claimed by a context that enforces its declared access.
  const routeAccess = createRouteAccess(app);
  // Set when a stop begins (main.ts): readiness answers 503 from then on, and no new work is taken.
  app.decorate('lifecycle', { starting: false, stopping: false } satisfies Lifecycle);
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
  // Before the plugins that count (alerts, checks, the API's sign-ins): they record through app.metrics.
  await app.register(metricsPlugin, { store, routeAccess, token: config.metricsToken });
  await app.register(alertsPlugin, { config, store, ...(deps.deliveries ? { deliveries: deps.deliveries } : {}) });
  await app.register(checksPlugin, { config, store, roles, ...(deps.worker ? { worker: deps.worker } : {}) });

  const sessions = createSessionService(store.sessions);
  await app.register(apiPlugin, { config, store, sessions, routeAccess, roles, ...(deps.checkStreams ? { checkStreams: deps.checkStreams } : {}) });
  await app.register(browserAppPlugin, { clientDir: deps.clientDir, routeAccess });
  return app;
}
