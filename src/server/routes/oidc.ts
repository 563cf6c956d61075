import type { FastifyPluginAsync, FastifyReply, FastifyRequest } from 'fastify';
import type { SignInErrorCode } from '#shared/sign-in-errors';
import { clientAddressKey } from '../security/limits.ts';
import { OidcRefusal, type OidcService } from '../security/oidc.ts';
import { userActor } from '../security/route-access.ts';
import { SESSION_COOKIE, type SessionService } from '../security/sessions.ts';
import type { ActivityRepository } from '../store/activity-repository.ts';
import { cookieOptions } from './session.ts';

/** Ties the provider's callback to the browser that started the sign-in. Lax: the callback is a navigation from the provider's site. */
const LOGIN_COOKIE = 'oidc_login';
const LOGIN_COOKIE_PATH = '/api/auth/oidc';

type OidcRouteOptions = {
  oidc: OidcService | null;
  sessions: SessionService;
  activity: ActivityRepository;
  secureCookies: boolean;
  ratePerMinute: number;
};

/**
 * GET /api/auth/oidc/start and /callback — public, browser navigations (no CSRF header: the provider's redirect cannot
 * carry one; `state`, the cookie and PKCE bind the callback to the start). Both answer with a redirect: to the
 * provider, then to the app, or to the sign-in screen with a reason code.
 */
export const oidcRoutes: FastifyPluginAsync<OidcRouteOptions> = async (app, options) => {
  const toSignIn = (reply: FastifyReply, code: SignInErrorCode) => reply.redirect(`/?sign_in_error=${code}`, 303);
  // Each start writes a pending sign-in row (kept 10 minutes), each refused callback an activity entry: counted per
  // address, as password attempts are (a sign-in is one start and one callback).
  const starts = app.createRateLimit({ max: 2 * options.ratePerMinute, timeWindow: 60_000, keyGenerator: clientAddressKey });

  app.get('/auth/oidc/start', { config: { access: 'public' }, schema: { hide: true } }, async (request, reply) => {
    if (!options.oidc) return toSignIn(reply, 'off');
    const attempt = await starts(request);
    if (!attempt.isAllowed && attempt.isExceeded) return toSignIn(reply, 'too_many');
    try {
      const { url, loginId } = await options.oidc.start();
      reply.setCookie(LOGIN_COOKIE, loginId, {
        path: LOGIN_COOKIE_PATH,
        httpOnly: true,
        sameSite: 'lax',
        secure: options.secureCookies,
        maxAge: 600,
      });
      return reply.redirect(url, 303);
    } catch (error) {
      if (error instanceof OidcRefusal) {
        request.log.warn({ reason: error.reason }, 'single sign-on could not start');
        return toSignIn(reply, error.code);
      }
      throw error;
    }
  });

  app.get('/auth/oidc/callback', { config: { access: 'public' }, schema: { hide: true } }, async (request: FastifyRequest, reply) => {
    if (!options.oidc) return toSignIn(reply, 'off');
    const oidc = options.oidc;
    // Counted with the starts: a refused callback writes an activity entry, which nobody may make the server write at will.
    const attempt = await starts(request);
    if (!attempt.isAllowed && attempt.isExceeded) return toSignIn(reply, 'too_many');
    reply.clearCookie(LOGIN_COOKIE, { path: LOGIN_COOKIE_PATH });
    const query = request.url.includes('?') ? request.url.slice(request.url.indexOf('?')) : '';
    try {
      const user = await oidc.finish(request.cookies[LOGIN_COOKIE], query);
      await options.activity.record({
        destinationId: null,
        kind: 'session.signed_in',
        outcome: 'ok',
        clientAddress: request.ip,
        actor: userActor(user),
        detail: `with ${oidc.providerName}`,
      });
      await options.sessions.end(request.cookies[SESSION_COOKIE]);
      const session = await options.sessions.start(user.id, { clientAddress: request.ip, userAgent: request.headers['user-agent'] });
      reply.setCookie(SESSION_COOKIE, session.token, { ...cookieOptions(options.secureCookies), expires: session.expiresAt });
      return reply.redirect('/destinations', 303);
    } catch (error) {
      if (!(error instanceof OidcRefusal)) throw error;
      request.log.warn({ reason: error.reason, remoteAddress: request.ip }, 'single sign-on refused');
      app.metrics.signInFailures.inc({ method: 'oidc' });
      await options.activity.record({
        destinationId: null,
        kind: 'session.sign_in_failed',
        outcome: 'failed',
        clientAddress: request.ip,
        detail: `with ${oidc.providerName}${error.account ? ` as ${error.account}` : ''}: ${error.reason}`.slice(0, 500),
      });
      return toSignIn(reply, error.code);
    }
  });
};
