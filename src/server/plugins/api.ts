import rateLimit from '@fastify/rate-limit';
import type { FastifyPluginAsync } from 'fastify';
import { checkOptionsOf, type AppConfig } from '../config.ts';
import type { CheckStreamLimits } from '../check/check-streams.ts';
import type { RoleSessions } from '../check/role-sessions.ts';
import { iamRoleRoutes } from '../routes/iam-roles.ts';
import { webhookRoutes } from '../routes/webhooks.ts';
import { parseAllowlist } from '../security/ssrf-guard.ts';
import { connectionCheckRoutes } from '../routes/connection-checks.ts';
import { destinationRoutes } from '../routes/destinations.ts';
import { healthRoutes } from '../routes/health.ts';
import { aboutRoutes } from '../routes/about.ts';
import { accountabilityRoutes } from '../routes/accountability.ts';
import { oidcRoutes } from '../routes/oidc.ts';
import { createSignInPolicy, publicSessionRoutes, sessionRoutes } from '../routes/session.ts';
import { createRuntimeSettings } from '../runtime-settings.ts';
import { createOidcService } from '../security/oidc.ts';
import { HttpError } from '../errors.ts';
import { holdSecrets } from '../logger.ts';
import { apiKeyRoutes } from '../routes/api-keys.ts';
import { publicUserLinkRoutes, userRoutes } from '../routes/users.ts';
import { createUserService } from '../security/users.ts';
import { createApiKeyService } from '../security/api-keys.ts';
import { apiGuard, secretsOfBody } from '../security/request-guard.ts';
import { enforceIfMatch } from '../security/if-match.ts';
import { PROTECTED, requireAccess, type RouteAccess } from '../security/route-access.ts';
import type { SessionService } from '../security/sessions.ts';
import type { Store } from '../store/index.ts';

// Expired and idle sessions are removed at start and then this often, so the table holds only live ones.
export const SESSION_SWEEP_MS = 10 * 60 * 1000;

export type ApiPluginOptions = {
  config: AppConfig;
  store: Store;
  sessions: SessionService;
  routeAccess: RouteAccess;
  roles: RoleSessions | null;
  checkStreams?: CheckStreamLimits;
};

/**
 * Everything under /api, in two sibling contexts: public routes, and protected ones whose hook requires a caller with
 * the role the route declares. Access is decided by the context a request's route matched in — however its URL was
 * spelled — and each context refuses at startup a route declaring an access it does not enforce.
 */
export const apiPlugin: FastifyPluginAsync<ApiPluginOptions> = async (api, { config, store, sessions, routeAccess, roles, checkStreams }) => {
  const checkOptions = checkOptionsOf(config);
  const secureCookies = config.publicOrigin.startsWith('https:');
  const apiKeys = createApiKeyService(store.apiKeys);
  const users = createUserService(store.users, { publicOrigin: config.publicOrigin });
  const oidc = config.oidc ? createOidcService(config.oidc, { db: store.db, users: store.users, publicOrigin: config.publicOrigin }) : null;
  // The client secret is the app's own credential at the provider: kept out of every log line for the process's life.
  if (config.oidc) {
    const release = holdSecrets([config.oidc.clientSecret]);
    api.addHook('onClose', async () => release());
  }
  const policy = createSignInPolicy(createRuntimeSettings(store.settings), config.oidc?.providerName ?? null);
  // The credentials a request carries (its API key, the AWS secrets in its body) are kept out of every log line until
  // it is answered, whatever logs them.
  const held = new WeakMap<object, (() => void)[]>();
  const hold = (request: object, release: () => void) => held.set(request, [...(held.get(request) ?? []), release]);
  api.decorateRequest('session', null);
  api.decorateRequest('sessionEnded', null);
  api.decorateRequest('apiKey', null);
  api.addHook('onRequest', apiGuard({ publicOrigin: config.publicOrigin, sessions, apiKeys, hold }));
  // The body's secrets are held once it passed its schema (bounded lengths): a hostile body must not make the server
  // encode megabytes.
  api.addHook('preHandler', async (request) => hold(request, holdSecrets(secretsOfBody(request.body))));
  const release = async (request: object) => held.get(request)?.forEach((releaseOne) => releaseOne());
  api.addHook('onResponse', release);
  api.addHook('onRequestAbort', release);
  let sweeper: NodeJS.Timeout | undefined;
  const sweep = async () => {
    await sessions.sweep().catch((error: unknown) => api.log.warn({ err: error }, 'could not remove expired sessions'));
    // The activity log keeps ACTIVITY_RETENTION_DAYS: older entries go, a bounded batch at a time, by one instance.
    const before = new Date(Date.now() - config.activityRetentionDays * 86_400_000);
    const deleted = await store.activity.deleteOlderThan(before).catch((error: unknown) => {
      api.log.warn({ err: error }, 'could not remove old activity');
      return 0;
    });
    if (deleted > 0) api.log.info({ deleted, before: before.toISOString() }, 'removed activity older than the retention period');
  };
  api.addHook('onReady', async () => {
    await sweep();
    sweeper = setInterval(() => void sweep(), SESSION_SWEEP_MS).unref();
  });
  api.addHook('onClose', async () => clearInterval(sweeper));
  // An empty body is no body, whatever type it claims: HTTP clients such as axios label a bodiless POST
  // (`POST …/connection-check`) application/x-www-form-urlencoded, and Fastify would refuse it (415) for a type it has
  // no parser for. A body that is not empty must still be JSON (the guard above refuses others before this runs).
  api.addContentTypeParser('*', { parseAs: 'string' }, (_request, body, done) => {
    if (body.length === 0) done(null, undefined);
    else done(new HttpError(415, 'Request bodies must be JSON (Content-Type: application/json)'), undefined);
  });
  // Limits are applied by the routes that need them (sign-in attempts, check starts), from its bounded store.
  await api.register(rateLimit, { global: false });

  await api.register(
    async (open) => {
      routeAccess.claim(open, 'public-api', ['public']);
      await open.register(healthRoutes, { db: store.db, lifecycle: api.lifecycle });
      await open.register(publicSessionRoutes, {
        sessions,
        secureCookies,
        activity: store.activity,
        users,
        policy,
        signInRatePerMinute: config.signInRatePerMin,
        checkOptions,
      });
      await open.register(publicUserLinkRoutes, {
        users,
        sessions,
        activity: store.activity,
        secureCookies,
        ratePerMinute: config.signInRatePerMin,
      });
      await open.register(oidcRoutes, { oidc, sessions, activity: store.activity, secureCookies, ratePerMinute: config.signInRatePerMin });
    },
    { prefix: '/api' },
  );

  await api.register(
    async (protectedApi) => {
      routeAccess.claim(protectedApi, 'protected-api', PROTECTED);
      protectedApi.addHook('onRequest', async (request) => requireAccess(request));
      enforceIfMatch(protectedApi);
      const worker = protectedApi.checkWorker;
      await protectedApi.register(sessionRoutes, { sessions, secureCookies, activity: store.activity, policy });
      await protectedApi.register(destinationRoutes, {
        destinations: store.destinations,
        activity: store.activity,
        checks: store.checks,
        worker,
        publicOrigin: config.publicOrigin,
        checkOptions,
        externalIds: store.externalIds,
      });
      await protectedApi.register(connectionCheckRoutes, {
        checks: store.checks,
        activity: store.activity,
        destinations: store.destinations,
        worker,
        checkOptions,
        externalIds: store.externalIds,
        ratePerMinute: config.checkRatePerMin,
        ...(checkStreams ? { streamLimits: checkStreams } : {}),
      });
      await protectedApi.register(webhookRoutes, {
        webhooks: store.webhooks,
        alerts: protectedApi.alerts,
        activity: store.activity,
        allowlist: parseAllowlist(config.webhookAllowlist),
        kick: () => protectedApi.deliveries.kick(),
        writeRatePerMinute: config.writeRatePerMin,
      });
      await protectedApi.register(iamRoleRoutes, {
        roles,
        externalIds: store.externalIds,
        accountAllowlist: config.iamRoleAccountAllowlist,
        writeRatePerMinute: config.writeRatePerMin,
      });
      await protectedApi.register(apiKeyRoutes, {
        apiKeys,
        repository: store.apiKeys,
        activity: store.activity,
        writeRatePerMinute: config.writeRatePerMin,
      });
      await protectedApi.register(userRoutes, {
        users,
        repository: store.users,
        activity: store.activity,
        writeRatePerMinute: config.writeRatePerMin,
      });
      await protectedApi.register(aboutRoutes, { db: store.db });
      await protectedApi.register(accountabilityRoutes, { activity: store.activity, sessions: store.sessions, users: store.users, secureCookies });
      protectedApi.get('/openapi.json', { config: { access: 'app.use' }, schema: { hide: true } }, async () => api.swagger());
      // Unknown /api paths: after the sign-in hook, so a caller who is not signed in learns nothing of what exists.
      protectedApi.setNotFoundHandler(async (request, reply) =>
        reply.code(404).send({ detail: `Nothing here: ${request.method} ${request.url.split('?')[0]}` }),
      );
    },
    { prefix: '/api' },
  );
};
