import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import * as z from 'zod';
import { DetailSchema, HTTPValidationErrorSchema, SessionSchema, SignInSchema, SignInSettingsSchema, type SignInOptions } from '#shared/api-schemas';
import { HttpError } from '../errors.ts';
import { clientAddressKey, createFairQueue, perMinute, tooMany } from '../security/limits.ts';
import type { CheckOptions } from '#shared/s3-config';
import { actorOf, userActor } from '../security/route-access.ts';
import { SESSION_COOKIE, type SessionService } from '../security/sessions.ts';
import type { UserService } from '../security/users.ts';
import type { ActivityRepository } from '../store/activity-repository.ts';
import type { RuntimeSettings } from '../runtime-settings.ts';

/**
 * A password check is scrypt with 128 MiB on libuv's pool, which DNS and file reads share: one at a time keeps the
 * server answering during a burst of sign-ins. The queue is shared fairly (limits.ts): one place per client address,
 * so an address's turn comes after at most one check of each other address; past PASSWORD_CHECKS_QUEUED waiting, or
 * a second attempt from an address whose first is still waiting, the answer is 429 — told to come back, not held.
 */
export const PASSWORD_CHECKS_AT_ONCE = 1;
export const PASSWORD_CHECKS_QUEUED = 64;

type SessionRouteOptions = { sessions: SessionService; secureCookies: boolean; activity: ActivityRepository };

/** Whether the password form is on (an admin may turn it off once single sign-on is set up), and the provider's name. */
export type SignInPolicy = { options(): Promise<SignInOptions>; setPasswordSignIn(on: boolean): Promise<void> };

export function createSignInPolicy(settings: RuntimeSettings, oidcName: string | null): SignInPolicy {
  return {
    async options() {
      const password = oidcName === null || (await settings.get('passwordSignIn')) === 'on';
      return { password, oidc: oidcName === null ? null : { name: oidcName } };
    },
    async setPasswordSignIn(on) {
      await settings.set('passwordSignIn', on ? 'on' : 'off');
    },
  };
}

export const cookieOptions = (secure: boolean) => ({ path: '/', httpOnly: true, sameSite: 'strict', secure }) as const;

/** GET and POST /api/session — public: who is signed in (anyone may ask), and signing in, which begins a session. */
export const publicSessionRoutes: FastifyPluginAsyncZod<
  SessionRouteOptions & { users: UserService; policy: SignInPolicy; signInRatePerMinute: number; checkOptions: CheckOptions }
> = async (app, options) => {
  app.get(
    '/session',
    {
      config: { access: 'public' },
      schema: {
        operationId: 'get_session',
        summary: 'Who is signed in ({signed_in: false} when nobody is)',
        response: { 200: SessionSchema },
      },
    },
    async (request) => {
      const signIn = await options.policy.options();
      return request.session
        ? {
            signed_in: true as const,
            expires_at: request.session.expiresAt.toISOString(),
            user: request.session.user,
            settings: {
              ambient_credentials_allowed: options.checkOptions.allowAmbientCredentials,
              iam_roles_allowed: options.checkOptions.allowIamRoles === true,
            },
            sign_in: signIn,
          }
        : { signed_in: false as const, sign_in: signIn, ended: request.sessionEnded };
    },
  );

  // Every attempt counts, and is counted before the password is checked: a burst cannot outrun its own count.
  const attempts = perMinute(app, options.signInRatePerMinute, 'Too many sign-in attempts');
  const passwordChecks = createFairQueue({ concurrency: PASSWORD_CHECKS_AT_ONCE, perKey: 1, waiting: PASSWORD_CHECKS_QUEUED });

  app.post(
    '/session',
    {
      config: { access: 'public' },
      schema: {
        operationId: 'sign_in',
        summary: 'Sign in with an e-mail and password',
        body: SignInSchema,
        response: { 204: z.null(), 401: DetailSchema, 403: DetailSchema, 422: HTTPValidationErrorSchema, 429: DetailSchema },
      },
    },
    async (request, reply) => {
      await attempts(request);
      const allowed = await options.policy.options();
      if (!allowed.password) throw new HttpError(403, `Password sign-in is turned off here: sign in with ${allowed.oidc?.name ?? 'single sign-on'}`);
      const { email, password } = request.body;
      // After the per-address count; one place per address, so no set of clients can fill the queue everyone's sign-in waits in.
      const turn = passwordChecks.run(clientAddressKey(request), () => options.users.authenticate(email, password));
      if ('refused' in turn) {
        throw tooMany(1, turn.refused === 'yours' ? 'A sign-in from your address is being checked' : 'The server is busy checking other sign-ins');
      }
      const { user, account } = await turn.result;
      if (!user) {
        request.log.warn({ remoteAddress: request.ip }, 'sign-in failed: unknown e-mail or wrong password');
        app.metrics.signInFailures.inc({ method: 'password' });
        // Whose account someone tried, when it is one: what was typed is not recorded (it may be a password).
        await options.activity.record({
          destinationId: null,
          kind: 'session.sign_in_failed',
          outcome: 'failed',
          clientAddress: request.ip,
          detail: account ? `as ${account}` : 'an unknown e-mail',
        });
        // One answer for an unknown e-mail, a wrong password and a deactivated account: none says who has an account.
        throw new HttpError(401, 'That e-mail and password do not match an active account');
      }
      await options.activity.record({
        destinationId: null,
        kind: 'session.signed_in',
        outcome: 'ok',
        clientAddress: request.ip,
        actor: userActor(user),
      });
      // A fresh session id at every sign-in: a token planted before sign-in is worth nothing after it.
      await options.sessions.end(request.cookies[SESSION_COOKIE]);
      const session = await options.sessions.start(user.id, { clientAddress: request.ip, userAgent: request.headers['user-agent'] });
      reply.setCookie(SESSION_COOKIE, session.token, { ...cookieOptions(options.secureCookies), expires: session.expiresAt });
      return reply.code(204).send(null);
    },
  );
};

/** DELETE /api/session — signed in; PUT /api/v1/settings/sign-in — admins: whether the password form is offered. */
export const sessionRoutes: FastifyPluginAsyncZod<SessionRouteOptions & { policy: SignInPolicy }> = async (app, options) => {
  app.put(
    '/v1/settings/sign-in',
    {
      config: { access: 'settings.manage' },
      schema: {
        operationId: 'set_sign_in_settings',
        summary: 'Turn password sign-in off (single sign-on only) or on again; off needs single sign-on set up',
        body: SignInSettingsSchema,
        response: { 200: SignInSettingsSchema, 401: DetailSchema, 403: DetailSchema, 409: DetailSchema, 422: HTTPValidationErrorSchema },
      },
    },
    async (request) => {
      const on = request.body.password_sign_in;
      if (!on && (await options.policy.options()).oidc === null) {
        throw new HttpError(409, 'Password sign-in is the only way in until single sign-on is set up (OIDC_ISSUER): it stays on');
      }
      await options.policy.setPasswordSignIn(on);
      await options.activity.record({
        destinationId: null,
        kind: 'settings.changed',
        outcome: 'ok',
        detail: `password sign-in ${on ? 'on' : 'off'}`,
        actor: actorOf(request),
        clientAddress: request.ip,
      });
      return { password_sign_in: on };
    },
  );

  app.delete(
    '/session',
    {
      config: { access: 'app.use' },
      schema: {
        operationId: 'sign_out',
        summary: 'Sign out',
        response: { 204: z.null(), 401: DetailSchema, 403: DetailSchema },
      },
    },
    async (request, reply) => {
      // A request with an API key ignores the cookie: it has no session to end.
      if (!request.session) throw new HttpError(403, 'An API key has no session to sign out of: revoke the key on the API keys screen');
      await options.sessions.end(request.cookies[SESSION_COOKIE]);
      await options.activity.record({
        destinationId: null,
        kind: 'session.signed_out',
        outcome: 'ok',
        clientAddress: request.ip,
        actor: userActor(request.session.user),
      });
      reply.clearCookie(SESSION_COOKIE, cookieOptions(options.secureCookies));
      return reply.code(204).send(null);
    },
  );
};
