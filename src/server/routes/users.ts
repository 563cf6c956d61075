import type { FastifyRequest } from 'fastify';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import type { ActivityKind } from '#shared/activity-schemas';
import * as z from 'zod';
import { DetailSchema, HTTPValidationErrorSchema } from '#shared/api-schemas';
import {
  LinkInfoSchema,
  LinkTokenSchema,
  UseLinkSchema,
  UserInvitedSchema,
  UserInviteSchema,
  UserLinkSchema,
  UserRoleChangeSchema,
  UserSchema,
} from '#shared/user-schemas';
import { HttpError } from '../errors.ts';
import { perMinute } from '../security/limits.ts';
import { actorOf, principalOf, userActor } from '../security/route-access.ts';
import { SESSION_COOKIE, type SessionService } from '../security/sessions.ts';
import { LINK_REFUSALS, toUser, type LinkRefusal, type UserService } from '../security/users.ts';
import type { ActivityRepository } from '../store/activity-repository.ts';
import { DuplicateEmailError, LastAdminError, type UserRecord, type UsersRepository } from '../store/users-repository.ts';
import { cookieOptions } from './session.ts';

type UserRouteOptions = { users: UserService; repository: UsersRepository; activity: ActivityRepository; writeRatePerMinute: number };

const errors = { 401: DetailSchema, 403: DetailSchema, 404: DetailSchema, 409: DetailSchema, 422: HTTPValidationErrorSchema };
const UserParamsSchema = z.object({ id: z.uuid({ error: 'User ids are UUIDs' }) });

const refused = (refusal: LinkRefusal) => new HttpError(refusal === 'unknown' ? 404 : 410, LINK_REFUSALS[refusal]);
const lastAdmin = (error: unknown): never => {
  if (error instanceof LastAdminError) throw new HttpError(409, error.message);
  throw error;
};

/** /api/v1/users — admins manage people: invite (a one-time link, shown once), change role, deactivate, new link. */
export const userRoutes: FastifyPluginAsyncZod<UserRouteOptions> = async (app, options) => {
  const existing = async (id: string): Promise<UserRecord> => {
    const user = await options.repository.find(id);
    if (!user) throw new HttpError(404, `There is no user with id ${id}`);
    return user;
  };
  const invitations = perMinute(app, options.writeRatePerMinute, 'Too many invitations', principalOf);
  const links = perMinute(app, options.writeRatePerMinute, 'Too many new links', principalOf);
  const record = (request: FastifyRequest, kind: Extract<ActivityKind, `user.${string}`>, detail: string) =>
    options.activity.record({ destinationId: null, kind, outcome: 'ok', detail, actor: actorOf(request), clientAddress: request.ip });

  app.get(
    '/v1/users',
    {
      config: { access: 'users.manage' },
      schema: { operationId: 'list_users', summary: 'Everyone who can sign in, active first', response: { 200: z.array(UserSchema), ...errors } },
    },
    async () => (await options.repository.list()).map(toUser),
  );

  app.post(
    '/v1/users',
    {
      config: { access: 'users.manage' },
      schema: {
        operationId: 'invite_user',
        summary: 'Invite someone: the answer holds their one-time link to choose a password, shown this once',
        body: UserInviteSchema,
        response: { 201: UserInvitedSchema, 429: DetailSchema, ...errors },
      },
    },
    async (request, reply) => {
      await invitations(request);
      const { user, link } = await options.users.invite(request.body).catch((error: unknown) => {
        if (error instanceof DuplicateEmailError)
          throw new HttpError(409, `${error.email} already has an account: change its role or send a new link from the list`);
        throw error;
      });
      await record(request, 'user.invited', `${user.email} as ${user.role}`);
      reply.code(201).header('location', `/api/v1/users/${user.id}`);
      return { user: toUser(user), link };
    },
  );

  app.patch(
    '/v1/users/:id',
    {
      config: { access: 'users.manage' },
      schema: {
        operationId: 'change_user_role',
        summary: 'Change a role: it applies from the next request, on every instance (the last admin cannot be demoted)',
        params: UserParamsSchema,
        body: UserRoleChangeSchema,
        response: { 200: UserSchema, ...errors },
      },
    },
    async (request) => {
      const user = await existing(request.params.id);
      if (user.role !== request.body.role) {
        await options.repository.setRole(user.id, request.body.role, new Date().toISOString()).catch(lastAdmin);
        await record(request, 'user.role_changed', `${user.email}: ${user.role} → ${request.body.role}`);
      }
      return toUser(await existing(user.id));
    },
  );

  app.post(
    '/v1/users/:id/deactivate',
    {
      config: { access: 'users.manage' },
      schema: {
        operationId: 'deactivate_user',
        summary: 'Deactivate someone: their sessions end, their API keys are revoked and their links spent, at once',
        params: UserParamsSchema,
        response: { 200: UserSchema, ...errors },
      },
    },
    async (request) => {
      const user = await existing(request.params.id);
      if (user.id === request.session?.user.id) throw new HttpError(409, 'You cannot deactivate yourself: ask another admin');
      if (user.deactivated_at === null) {
        await options.repository.deactivate(user.id, new Date().toISOString()).catch(lastAdmin);
        await record(request, 'user.deactivated', user.email);
      }
      return toUser(await existing(user.id));
    },
  );

  app.post(
    '/v1/users/:id/reactivate',
    {
      config: { access: 'users.manage' },
      schema: {
        operationId: 'reactivate_user',
        summary: 'Let a deactivated user sign in again (their old API keys stay revoked)',
        params: UserParamsSchema,
        response: { 200: UserSchema, ...errors },
      },
    },
    async (request) => {
      const user = await existing(request.params.id);
      if (user.deactivated_at !== null) {
        await options.repository.reactivate(user.id, new Date().toISOString());
        await record(request, 'user.reactivated', user.email);
      }
      return toUser(await existing(user.id));
    },
  );

  app.post(
    '/v1/users/:id/link',
    {
      config: { access: 'users.manage' },
      schema: {
        operationId: 'create_user_link',
        summary:
          'A new one-time link: an invitation again, or a password reset once they have a password (shown this once); it replaces their older links',
        params: UserParamsSchema,
        response: { 201: UserLinkSchema, 429: DetailSchema, ...errors },
      },
    },
    async (request, reply) => {
      await links(request);
      const user = await existing(request.params.id);
      if (user.deactivated_at !== null) throw new HttpError(409, `${user.email} is deactivated: reactivate them first`);
      const link = await options.users.newLink(user);
      await record(request, 'user.link_created', `${user.email}: ${user.password_hash === null ? 'invitation' : 'password reset'}`);
      return reply.code(201).send(link);
    },
  );
};

/**
 * /api/user-links — public: what a one-time link is for, and using it to set a password, which signs the person in.
 * The token travels in the body (the page reads it from the URL's fragment), never in a URL a log would keep.
 */
export const publicUserLinkRoutes: FastifyPluginAsyncZod<{
  users: UserService;
  sessions: SessionService;
  activity: ActivityRepository;
  secureCookies: boolean;
  ratePerMinute: number;
}> = async (app, options) => {
  // Tokens are 256 bits, so guessing is hopeless; the limit keeps a script from making the server hash passwords.
  const limited = perMinute(app, options.ratePerMinute, 'Too many attempts');
  const linkErrors = { 404: DetailSchema, 410: DetailSchema, 422: HTTPValidationErrorSchema, 429: DetailSchema };

  app.post(
    '/user-links/lookup',
    {
      config: { access: 'public' },
      schema: {
        operationId: 'lookup_user_link',
        summary: 'What a one-time link is for, or why it cannot be used',
        body: LinkTokenSchema,
        response: { 200: LinkInfoSchema, ...linkErrors },
      },
    },
    async (request) => {
      await limited(request);
      const found = await options.users.lookupLink(request.body.token);
      if ('refusal' in found) throw refused(found.refusal);
      return found.info;
    },
  );

  app.post(
    '/user-links/use',
    {
      config: { access: 'public' },
      schema: {
        operationId: 'use_user_link',
        summary: 'Set a password with a one-time link; signs in, and signs out every other session of that user',
        body: UseLinkSchema,
        response: { 204: z.null(), ...linkErrors },
      },
    },
    async (request, reply) => {
      await limited(request);
      const used = await options.users.useLink(request.body.token, request.body.password);
      if ('refusal' in used) throw refused(used.refusal);
      const { user, purpose } = used;
      await options.activity.record({
        destinationId: null,
        kind: 'user.password_set',
        outcome: 'ok',
        detail: purpose === 'invitation' ? 'accepted the invitation' : 'reset their password',
        actor: userActor(user),
        clientAddress: request.ip,
      });
      await options.sessions.end(request.cookies[SESSION_COOKIE]);
      const session = await options.sessions.start(user.id, { clientAddress: request.ip, userAgent: request.headers['user-agent'] });
      reply.setCookie(SESSION_COOKIE, session.token, { ...cookieOptions(options.secureCookies), expires: session.expiresAt });
      return reply.code(204).send(null);
    },
  );
};
