import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { DetailSchema, HTTPValidationErrorSchema, SessionSchema, SignInSchema } from '../../shared/api-schemas.ts';
import { HttpError } from '../errors.ts';
import { checkAdminPassword } from '../security/admin-password.ts';
import { SESSION_COOKIE, type SessionService } from '../security/sessions.ts';
import { createRateLimiter } from '../security/rate-limit.ts';
import type { ActivityRepository } from '../store/activity-repository.ts';
import type { SettingsRepository } from '../store/settings-repository.ts';
import * as z from 'zod';

// Failed sign-ins per client address per minute; then even the right password waits.
export const SIGN_IN_FAILURES_PER_MINUTE = 10;

export type SessionRoutesOptions = {
  activity: ActivityRepository;
  sessions: SessionService;
  settings: SettingsRepository;
  secureCookies: boolean;
  allowAmbientCredentials: boolean;
};

export const sessionRoutes: FastifyPluginAsyncZod<SessionRoutesOptions> = async (app, options) => {
  const cookieOptions = { path: '/', httpOnly: true, sameSite: 'strict', secure: options.secureCookies } as const;
  const failures = createRateLimiter(SIGN_IN_FAILURES_PER_MINUTE);

  app.get(
    '/api/session',
    { schema: { summary: 'Who is signed in', response: { 200: SessionSchema, 401: DetailSchema } } },
    async (request) => ({
      signed_in: true as const,
      expires_at: (request.session as { expiresAt: Date }).expiresAt.toISOString(),
      settings: { ambient_credentials_allowed: options.allowAmbientCredentials },
    }),
  );

  app.post(
    '/api/session',
    {
      config: { public: true },
      schema: {
        summary: 'Sign in with the admin password',
        body: SignInSchema,
        response: { 204: z.null(), 401: DetailSchema, 403: DetailSchema, 422: HTTPValidationErrorSchema, 429: DetailSchema },
      },
    },
    async (request, reply) => {
      const wait = failures.wait(request.ip);
      if (wait > 0) {
        throw new HttpError(429, `Too many failed sign-ins: wait ${wait} s and try again`, { 'retry-after': String(wait) });
      }
      if (!(await checkAdminPassword(options.settings, request.body.password))) {
        failures.hit(request.ip);
        await options.activity.record({ destinationId: null, kind: 'session.sign_in_failed', outcome: 'failed' });
        throw new HttpError(401, 'That password is not right');
      }
      await options.activity.record({ destinationId: null, kind: 'session.signed_in', outcome: 'ok' });
      // A fresh session id at every sign-in: a token planted before sign-in is worth nothing after it.
      await options.sessions.end(request.cookies[SESSION_COOKIE]);
      const session = await options.sessions.start();
      reply.setCookie(SESSION_COOKIE, session.token, { ...cookieOptions, expires: session.expiresAt });
      return reply.code(204).send(null);
    },
  );

  app.delete(
    '/api/session',
    { schema: { summary: 'Sign out', response: { 204: z.null(), 401: DetailSchema, 403: DetailSchema } } },
    async (request, reply) => {
      await options.sessions.end(request.cookies[SESSION_COOKIE]);
      await options.activity.record({ destinationId: null, kind: 'session.signed_out', outcome: 'ok' });
      reply.clearCookie(SESSION_COOKIE, cookieOptions);
      return reply.code(204).send(null);
    },
  );
};
