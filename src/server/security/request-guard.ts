import type { FastifyRequest } from 'fastify';
import { HttpError } from '../errors.ts';
import { holdSecrets } from '../logger.ts';
import { LONGEST_KEY, presentedApiKey, type ApiKeyPrincipal, type ApiKeyService } from './api-keys.ts';
import { SESSION_COOKIE, type Session, type SessionService } from './sessions.ts';

declare module 'fastify' {
  interface FastifyRequest {
    /** The browser session the cookie names; null when there is none, or when the request presents an API key. */
    session: Session | null;
    /** Why the session the cookie names was ended, when its person should be told (their account was deactivated). */
    sessionEnded: 'deactivated' | null;
    /** The API key the request presents, once it was found valid. */
    apiKey: ApiKeyPrincipal | null;
  }
}

const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

function hasBody(request: FastifyRequest) {
  const length = request.headers['content-length'];
  return (length !== undefined && length !== '0') || request.headers['transfer-encoding'] !== undefined;
}

const NOT_JSON = 'Request bodies must be JSON (Content-Type: application/json)';
const isJson = (request: FastifyRequest) => request.headers['content-type']?.split(';')[0]?.trim().toLowerCase() === 'application/json';

/** Why a state-changing request is refused (403), or null. A browser always sends Origin or Sec-Fetch-Site. */
export function csrfRefusal(request: FastifyRequest, publicOrigin: string): string | null {
  const origin = request.headers.origin;
  if (origin !== undefined && origin !== publicOrigin) return 'Requests from other sites are not accepted';
  const site = request.headers['sec-fetch-site'];
  if (origin === undefined && site !== undefined && site !== 'same-origin') return 'Requests from other sites are not accepted';
  if (request.headers['x-requested-with'] !== 'XMLHttpRequest') {
    return 'Requests that change data must carry the header X-Requested-With: XMLHttpRequest';
  }
  if (hasBody(request) && !isJson(request)) return NOT_JSON;
  return null;
}

/**
 * The API's first hook, for public and protected routes alike: never cached; then who is calling. A request that
 * presents an API key is judged by the key alone — the cookie is ignored, an invalid key is a 401 with no fallback —
 * and needs no CSRF header: a page on another site cannot make a browser send one without a CORS preflight this
 * server never grants. A request signed in by cookie meets the CSRF rules first (403 before 401, so a foreign page
 * learns nothing about the session). Whether the caller may use the route is decided by the hooks of the context
 * the route matched in (route-access.ts). `hold` keeps a presented key out of the logs until the request is answered.
 */
export function apiGuard(options: {
  publicOrigin: string;
  sessions: SessionService;
  apiKeys: ApiKeyService;
  hold: (request: FastifyRequest, release: () => void) => void;
}) {
  return async (request: FastifyRequest, reply: { header(name: string, value: string): unknown }) => {
    reply.header('cache-control', 'no-store');
    const key = presentedApiKey(request);
    if (key !== null) {
      // Held by value only when it could be a key: a 16 KB header would make every log line scrubbed of a dozen
      // encodings of it, and a value that long is refused unread.
      if (key.length <= LONGEST_KEY) options.hold(request, holdSecrets([key]));
      request.apiKey = await options.apiKeys.authenticate(key);
      if (!SAFE_METHODS.has(request.method) && hasBody(request) && !isJson(request)) throw new HttpError(403, NOT_JSON);
      return;
    }
    if (!SAFE_METHODS.has(request.method)) {
      const refusal = csrfRefusal(request, options.publicOrigin);
      if (refusal) throw new HttpError(403, refusal);
    }
    const { session, ended } = await options.sessions.check(request.cookies[SESSION_COOKIE]);
    request.session = session;
    request.sessionEnded = ended;
  };
}

const field = (value: unknown, name: string): unknown =>
  typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Record<string, unknown>)[name] : undefined;
const text = (value: unknown) => (typeof value === 'string' ? value : null);

/**
 * The credentials a request body may carry, read at fixed places (never by walking it): the AWS secret and token of a
 * connector, and a password or one-time link token.
 */
export function secretsOfBody(body: unknown): (string | null)[] {
  const config = field(body, 'config');
  // A webhook's URL (POST /api/v1/webhooks) carries a token in Slack's and Teams' form.
  return [
    text(field(config, 'secret')),
    text(field(config, 'token')),
    text(field(body, 'password')),
    text(field(body, 'token')),
    text(field(body, 'url')),
  ];
}
