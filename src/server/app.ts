import fastifyCookie from '@fastify/cookie';
import fastifyHelmet from '@fastify/helmet';
import fastifyStatic from '@fastify/static';
import fastifySwagger from '@fastify/swagger';
import Fastify, { type FastifyInstance } from 'fastify';
import {
  jsonSchemaTransform,
  jsonSchemaTransformObject,
  serializerCompiler,
  validatorCompiler,
  type ZodTypeProvider,
} from 'fastify-type-provider-zod';
import fs from 'node:fs';
import path from 'node:path';
import type { DestinationStream } from 'pino';
import type { AppConfig } from './config.ts';
import { registerErrorHandler } from './errors.ts';
import { loggerOptions } from './logger.ts';
import { CheckWorker, type CheckWorkerOptions } from './check/worker.ts';
import { connectionCheckRoutes } from './routes/connection-checks.ts';
import { destinationRoutes } from './routes/destinations.ts';
import { healthRoutes } from './routes/health.ts';
import { sessionRoutes } from './routes/session.ts';
import { registerRequestGuard } from './security/request-guard.ts';
import { createSessionService } from './security/sessions.ts';
import { createSsrfGuard, parseAllowlist } from './security/ssrf-guard.ts';
import type { Store } from './store/index.ts';
import type { Notifications } from './store/sql.ts';

export type AppDeps = {
  config: AppConfig;
  store: Store;
  /** The built single-page app (dist/client), or null to serve the API alone. */
  clientDir: string | null;
  logStream?: DestinationStream;
  /** Overrides for the check worker (tests shorten leases and plug in a connect function). */
  worker?: Partial<Pick<CheckWorkerOptions, 'leaseMs' | 'pollMs' | 'runOptions'>>;
};

export const BODY_LIMIT = 64 * 1024;

declare module 'fastify' {
  interface FastifyInstance {
    /** Every route as registered (method, url, public or not): the auth test walks it so no route can forget sign-in. */
    routeTable: { method: string; url: string; public: boolean }[];
    checkWorker: CheckWorker;
  }
}

export async function buildApp(deps: AppDeps): Promise<FastifyInstance> {
  const { config, store } = deps;
  const app = Fastify({
    logger: loggerOptions(config.logLevel, deps.logStream),
    bodyLimit: BODY_LIMIT,
    trustProxy: config.trustProxy,
    return503OnClosing: true,
  }).withTypeProvider<ZodTypeProvider>();
  const routeTable: FastifyInstance['routeTable'] = [];
  app.decorate('routeTable', routeTable);
  app.addHook('onRoute', (route) => {
    for (const method of [route.method].flat()) {
      routeTable.push({ method, url: route.url, public: route.config?.public === true });
    }
  });
  app.setValidatorCompiler(validatorCompiler);
  app.setSerializerCompiler(serializerCompiler);
  registerErrorHandler(app);

  await app.register(fastifyCookie);
  await app.register(fastifySwagger, {
    openapi: {
      info: {
        title: 'S3 destinations admin API',
        version: '1',
        description: "Amazon S3 destination connectors, in the shapes of Unstructured's Workflow API for destinations.",
      },
    },
    transform: jsonSchemaTransform,
    transformObject: jsonSchemaTransformObject,
  });

  const sessions = createSessionService(store.sessions);
  registerRequestGuard(app, { publicOrigin: config.publicOrigin, sessions });
  const https = config.publicOrigin.startsWith('https:');
  await app.register(fastifyHelmet, {
    contentSecurityPolicy: {
      useDefaults: false,
      directives: {
        defaultSrc: ["'self'"],
        scriptSrc: ["'self'"],
        // Radix's scroll lock injects a <style> element and the timeline sets bar widths inline: styles may be
        // inline, scripts never (decision note 006).
        styleSrc: ["'self'", "'unsafe-inline'"],
        imgSrc: ["'self'", 'data:'],
        fontSrc: ["'self'"],
        connectSrc: ["'self'"],
        objectSrc: ["'none'"],
        frameAncestors: ["'none'"],
        baseUri: ["'none'"],
        formAction: ["'self'"],
        ...(https ? { upgradeInsecureRequests: [] } : {}),
      },
    },
    frameguard: { action: 'deny' },
    referrerPolicy: { policy: 'no-referrer' },
    hsts: https ? { maxAge: 31_536_000 } : false,
  });
  app.addHook('onSend', async (request, reply) => {
    if (request.url.startsWith('/api/')) reply.header('cache-control', 'no-store');
  });

  await app.register(healthRoutes, { db: store.db });
  await app.register(sessionRoutes, {
    activity: store.activity,
    sessions,
    settings: store.settings,
    secureCookies: config.publicOrigin.startsWith('https:'),
    allowAmbientCredentials: config.allowAmbientCredentials,
  });
  // Every connection a check opens goes through the SSRF guard: the SDK's agents and the endpoint step alike.
  const guard = createSsrfGuard(parseAllowlist(config.s3EndpointAllowlist));
  const worker = new CheckWorker({
    checks: store.checks,
    destinations: store.destinations,
    activity: store.activity,
    concurrency: config.checkConcurrency,
    budgetMs: config.checkTimeoutMs,
    allowAmbientCredentials: config.allowAmbientCredentials,
    log: app.log,
    ...deps.worker,
    runOptions: {
      clientOptions: { httpAgent: guard.httpAgent, httpsAgent: guard.httpsAgent },
      connect: guard.connect,
      ...deps.worker?.runOptions,
    },
  });
  app.decorate('checkWorker', worker);
  await relayCheckChanges(app, worker, store.db.notifications);
  app.addHook('onReady', async () => worker.start());
  // On close, before waiting for in-flight requests: running checks are marked interrupted (not left SCHEDULED), and
  // event streams, which would otherwise hold the close open, send that and end.
  app.addHook('preClose', async () => worker.stop());

  await app.register(destinationRoutes, {
    destinations: store.destinations,
    activity: store.activity,
    checks: store.checks,
    listVersion: store.listVersion,
    worker,
    publicOrigin: config.publicOrigin,
    allowAmbientCredentials: config.allowAmbientCredentials,
  });
  await app.register(connectionCheckRoutes, {
    checks: store.checks,
    destinations: store.destinations,
    worker,
    allowAmbientCredentials: config.allowAmbientCredentials,
    ratePerMinute: config.checkRatePerMin,
  });
  app.get('/api/openapi.json', { schema: { hide: true } }, async () => app.swagger());

  await registerClient(app, deps.clientDir);
  return app;
}

/** Serves the built app; any other GET outside /api gets index.html so deep links and reloads work. */
async function registerClient(app: FastifyInstance, clientDir: string | null) {
  const index = clientDir ? path.join(clientDir, 'index.html') : null;
  const hasClient = index !== null && fs.existsSync(index);
  if (hasClient && clientDir) {
    await app.register(fastifyStatic, {
      root: clientDir,
      wildcard: false,
      index: false,
      setHeaders(res, file) {
        // Hashed file names never change content: cache them for good; everything else revalidates.
        const hashed = file.includes(`${path.sep}assets${path.sep}`);
        res.setHeader('cache-control', hashed ? 'public, max-age=31536000, immutable' : 'no-cache');
      },
    });
  }
  app.setNotFoundHandler(async (request, reply) => {
    const isApi = request.url === '/api' || request.url.startsWith('/api/');
    if (isApi || (request.method !== 'GET' && request.method !== 'HEAD')) {
      return reply.code(404).send({ detail: `Nothing here: ${request.method} ${request.url.split('?')[0]}` });
    }
    if (!hasClient) {
      return reply.code(404).type('text/plain').send('The browser app is not built: run npm run build (npm start does it).');
    }
    reply.header('cache-control', 'no-cache');
    return reply.sendFile('index.html');
  });
}

const CHECK_CHANNEL = 'connection_check_changed';

/**
 * Several instances on one PostgreSQL: every change of a check this instance writes is announced with NOTIFY, and
 * every change another instance announces is passed to this instance's event streams, which then read the store. A
 * browser following a check sees each step at once whichever instance it reached (the streams' store poll remains
 * the fallback). `origin` keeps a relayed change from being announced again.
 */
async function relayCheckChanges(app: FastifyInstance, worker: CheckWorker, notifications: Notifications | undefined) {
  if (!notifications) return;
  worker.events.on('change', (id: string, _update: unknown, origin?: 'relayed') => {
    if (origin === 'relayed') return;
    notifications.notify(CHECK_CHANNEL, `${worker.id} ${id}`).catch((error: unknown) => app.log.warn({ err: error }, 'could not announce a check change'));
  });
  const stop = await notifications.listen(CHECK_CHANNEL, (payload) => {
    const [from, id] = payload.split(' ');
    if (from !== worker.id && id) worker.events.emit('change', id, undefined, 'relayed');
  });
  app.addHook('onClose', async () => stop());
}

