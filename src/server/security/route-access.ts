import type { FastifyInstance, FastifyRequest, RouteOptions } from 'fastify';
import type { Actor } from '#shared/activity-schemas';
import { PERMISSION_NAMES, PERMISSIONS, roleHolds, type Permission } from '#shared/permissions';
import { roleAtLeast, USER_ROLES, type UserRole } from '#shared/roles';
import { HttpError } from '../errors.ts';

/**
 * Who may call a route, declared in its options (`config: { access }`) and enforced by the hooks of the context it is
 * registered in — never derived from the URL: anyone (`public`), or a permission of src/shared/permissions.ts, held by
 * a role at least its `least`. Roles rank viewer < editor < admin; a browser session acts with its user's current role,
 * an API key with the lesser of its own role and its owner's current one (api-keys.ts).
 */
export const ROLES = USER_ROLES;
export type Role = UserRole;
export { roleAtLeast };
export type Access = 'public' | Permission;
/** What a protected context serves: every permission. */
export const PROTECTED = PERMISSION_NAMES;

/** The encapsulation contexts that may hold routes: each one's hooks enforce the access its routes declare. */
export type RouteContext = 'public-api' | 'protected-api' | 'browser-app' | 'metrics';

/** A route as registered: its declared access and, read from the permissions table, the least role calling it. */
export type RouteEntry = { method: string; url: string; access: Access; least: Role | 'public'; context: RouteContext; ifMatch: boolean };

declare module 'fastify' {
  interface FastifyContextConfig {
    access?: Access;
    /** Answered whatever the Host header says: load balancers probe instances by address (GET /api/health). */
    anyHost?: boolean;
  }
  interface FastifyInstance {
    /** Every route as registered, with its access and context: the boundary tests walk it. */
    routeTable: RouteEntry[];
  }
}

export class RouteAccessError extends Error {}

/**
 * On the root instance, before any route: records every route, and refuses to become ready while one was not claimed
 * by an access context (registered outside the API and browser-app plugins). Contexts are made with `claim`.
 */
export function createRouteAccess(app: FastifyInstance) {
  const routes: RouteOptions[] = [];
  const claimed = new WeakSet<object>();
  const table: RouteEntry[] = [];
  app.decorate('routeTable', table);
  app.addHook('onRoute', (route) => void routes.push(route));
  // Checked once every plugin's onRoute hooks have run: a context's hook runs after this root one.
  app.addHook('onReady', async () => {
    const stray = routes.filter((route) => !claimed.has(route));
    if (stray.length > 0) {
      const names = stray.map((route) => `${[route.method].flat().join('/')} ${route.url}`).join(', ');
      throw new RouteAccessError(`Routes registered outside an access context (declare who may call them): ${names}`);
    }
  });
  return {
    /**
     * Makes `instance` an access context: each route registered in it must declare one of `allowed` (a route that
     * declares nothing, or a level this context does not enforce, stops startup). `implicit` is for a plugin that
     * registers routes without options of ours (the browser app's static files).
     */
    claim(instance: FastifyInstance, context: RouteContext, allowed: readonly Access[], implicit?: Access) {
      instance.addHook('onRoute', (route) => {
        if (implicit && route.config?.access === undefined) route.config = { ...route.config, access: implicit };
        const access = route.config?.access;
        const methods = [route.method].flat();
        if (access === undefined || !allowed.includes(access)) {
          throw new RouteAccessError(
            `${methods.join('/')} ${route.url} declares access ${access === undefined ? 'nothing' : `"${access}"`}, ` +
              `but the ${context} context serves only ${allowed.map((a) => `"${a}"`).join(', ')} routes`,
          );
        }
        claimed.add(route);
        const least = access === 'public' ? 'public' : PERMISSIONS[access].least;
        for (const method of methods) table.push({ method, url: route.url, access, least, context, ifMatch: route.config?.ifMatch === true });
      });
    },
  };
}

export type RouteAccess = ReturnType<typeof createRouteAccess>;

/** The role the caller acts with: its API key's when it presented one (the cookie is then ignored), else its session's. */
export function roleOf(request: FastifyRequest): Role | null {
  if (request.apiKey) return request.apiKey.role;
  return request.session?.user.role ?? null;
}

/** Said to a person whose account was deactivated while they were signed in (their session was ended by it). */
export const DEACTIVATED = 'An admin deactivated your account, which signed you out. Ask an admin to reactivate it if you still need access.';

/**
 * The permission the matched route declared, against the caller's role: 401 without one, 403 with too little. A
 * context's 404 handler (no route) is as protected as its context: reading connectors, a viewer's.
 */
export function requireAccess(request: FastifyRequest) {
  const access = request.routeOptions.config.access ?? 'connectors.read';
  if (access === 'public') return;
  const role = roleOf(request);
  if (role === null) throw new HttpError(401, request.sessionEnded === 'deactivated' ? DEACTIVATED : 'Sign in to use the API, or send an API key');
  if (!roleHolds(role, access)) {
    const { least, may } = PERMISSIONS[access];
    const who = request.apiKey ? `This API key has the ${role} role` : `Your role is ${role}`;
    throw new HttpError(403, `${who}: it cannot ${may} (that needs the ${least} role)`);
  }
}

/** Who is acting, for per-principal limits: a user, or an API key (each key counts on its own). */
export function principalOf(request: FastifyRequest): string {
  if (request.apiKey) return `api_key:${request.apiKey.id}`;
  return request.session ? `user:${request.session.user.id}` : `address:${request.ip}`;
}

/** A user as the record names them. */
export const userActor = (user: { id: string; email: string }): Actor => ({ kind: 'user', id: user.id, label: user.email });

/**
 * Who acted, for the record: a user, or an API key (labelled by its name and prefix: names repeat once a key is
 * revoked). The kind and id tell them apart; the label is only what people read.
 */
export function actorOf(request: FastifyRequest): Actor | null {
  if (request.apiKey) return { kind: 'api_key', id: request.apiKey.id, label: `API key "${request.apiKey.name}" (${request.apiKey.prefix}…)` };
  return request.session ? userActor(request.session.user) : null;
}
