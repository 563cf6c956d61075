import type { FastifyInstance, FastifyRequest } from 'fastify';
import { HttpError } from '../errors.ts';
import { SESSION_COOKIE, type SessionService } from './sessions.ts';

declare module 'fastify' {
  interface FastifyContextConfig {
    /** Reachable without signing in (health, sign-in). */
    public?: boolean;
  }
  interface FastifyRequest {
    session: { id: string; expiresAt: Date } | null;
  }
}

const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

function hasBody(request: FastifyRequest) {
  const length = request.headers['content-length'];
  return (length !== undefined && length !== '0') || request.headers['transfer-encoding'] !== undefined;
}

/** Why a state-changing request is refused (403), or null. A browser always sends Origin or Sec-Fetch-Site. */
export function csrfRefusal(request: FastifyRequest, publicOrigin: string): string | null {
  const origin = request.headers.origin;
  if (origin !== undefined && origin !== publicOrigin) return 'Requests from other sites are not accepted';
  const site = request.headers['sec-fetch-site'];
  if (origin === undefined && site !== undefined && site !== 'same-origin') return 'Requests from other sites are not accepted';
  if (request.headers['x-requested-with'] !== 'XMLHttpRequest') {
    return 'Requests that change data must carry the header X-Requested-With: XMLHttpRequest';
  }
  const type = request.headers['content-type']?.split(';')[0]?.trim().toLowerCase();
  if (hasBody(request) && type !== 'application/json') return 'Request bodies must be JSON (Content-Type: application/json)';
  return null;
}

/**
 * Registered before every route: CSRF first (403 before 401, so a foreign page learns nothing about the session),
 * then the session cookie on everything under /api that is not marked public.
 */
export function registerRequestGuard(app: FastifyInstance, options: { publicOrigin: string; sessions: SessionService }) {
  app.decorateRequest('session', null);
  app.addHook('onRequest', async (request) => {
    if (!request.url.startsWith('/api/') && request.url !== '/api') return;
    if (!SAFE_METHODS.has(request.method)) {
      const refusal = csrfRefusal(request, options.publicOrigin);
      if (refusal) throw new HttpError(403, refusal);
    }
    request.session = await options.sessions.validate(request.cookies[SESSION_COOKIE]);
    if (!request.session && !request.routeOptions.config.public) {
      throw new HttpError(401, 'Sign in to use the API');
    }
  });
}
