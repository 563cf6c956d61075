import type { FastifyInstance, FastifyRequest, RouteOptions } from 'fastify';
import { HttpError } from '../errors.ts';

/**
 * Who may call a route, declared in its options (`config: { access }`) and enforced by the hooks of the context it is
 * registered in — never derived from the URL. Roles (viewer < editor < admin) join this list with users.
 */
export const ACCESS_LEVELS = ['public', 'signed-in'] as const;
export type Access = (typeof ACCESS_LEVELS)[number];

/** The encapsulation contexts that may hold routes: each one's hooks enforce the access its routes declare. */
export type RouteContext = 'public-api' | 'protected-api' | 'browser-app';

export type RouteEntry = { method: string; url: string; access: Access; context: RouteContext };

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
        for (const method of methods) table.push({ method, url: route.url, access, context });
      });
    },
  };
}

export type RouteAccess = ReturnType<typeof createRouteAccess>;

/** The access the matched route declared; a context's 404 handler (no route) is as protected as its context. */
export function requireSignedIn(request: FastifyRequest) {
  const access = request.routeOptions.config.access ?? 'signed-in';
  if (access !== 'public' && !request.session) throw new HttpError(401, 'Sign in to use the API');
}

/** Who is acting, for per-principal limits and the record: the admin today; a user or an API key when those exist. */
export function principalOf(request: FastifyRequest): string {
  return request.session ? 'admin' : `address:${request.ip}`;
}
