import type { FastifyRequest } from 'fastify';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import * as z from 'zod';
import { ACTOR_KINDS, ActivityPageSchema, ActivityQuerySchema, type ActorKind } from '#shared/activity-schemas';
import { DetailSchema, HTTPValidationErrorSchema } from '#shared/api-schemas';
import { SessionsQuerySchema, SessionViewSchema } from '#shared/user-schemas';
import { HttpError } from '../errors.ts';
import { roleHolds } from '#shared/permissions';
import { actorOf } from '../security/route-access.ts';
import { publicSessionId, SESSION_COOKIE } from '../security/sessions.ts';
import type { ActivityRepository } from '../store/activity-repository.ts';
import type { SessionsRepository } from '../store/sessions-repository.ts';
import type { UsersRepository } from '../store/users-repository.ts';
import { cookieOptions } from './session.ts';

type Options = { activity: ActivityRepository; sessions: SessionsRepository; users: UsersRepository; secureCookies: boolean };
const ACTOR_REF = new RegExp(`^(${ACTOR_KINDS.join('|')}):([0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})$`, 'i');

const errors = { 401: DetailSchema, 403: DetailSchema, 404: DetailSchema, 422: HTTPValidationErrorSchema };

/**
 * GET /api/v1/activity — admins: everything that happened, by whom, filterable by person and kind. GET and DELETE
 * /api/v1/sessions — anyone signed in sees and ends their own sessions; admins anyone's.
 */
export const accountabilityRoutes: FastifyPluginAsyncZod<Options> = async (app, options) => {
  app.get(
    '/v1/activity',
    {
      config: { access: 'activity.read' },
      schema: {
        operationId: 'list_activity',
        summary: 'Everything that happened, newest first: sign-ins (failed ones with their address), people, keys, connectors and checks',
        querystring: ActivityQuerySchema,
        response: { 200: ActivityPageSchema, ...errors },
      },
    },
    async (request) => {
      const { actor: asked, ...query } = request.query;
      if (asked === undefined) return options.activity.list(query);
      const actor = await actorNamed(asked);
      return actor ? options.activity.list({ ...query, actor }) : { items: [], next_before: null };
    },
  );

  /** `user:<id>` or `api_key:<id>`; an e-mail (or the first admin's "admin") stands for that user's id. */
  const actorNamed = async (value: string): Promise<{ kind: ActorKind; id: string } | null> => {
    const ref = ACTOR_REF.exec(value);
    if (ref) return { kind: ref[1] as ActorKind, id: (ref[2] as string).toLowerCase() };
    const user = await options.users.findByEmail(value);
    return user ? { kind: 'user', id: user.id } : null;
  };

  /** The signed-in person: sessions are a person's, so an API key is told it has none. */
  const personOf = (request: FastifyRequest) => {
    if (!request.session) throw new HttpError(403, 'Sessions are signed-in people’s: an API key has none');
    return request.session;
  };

  app.get(
    '/v1/sessions',
    {
      config: { access: 'app.use' },
      schema: {
        operationId: 'list_sessions',
        summary: 'Your live sessions (an admin may ask for anyone’s, or all), most recently used first',
        querystring: SessionsQuerySchema,
        response: { 200: z.array(SessionViewSchema), ...errors },
      },
    },
    async (request) => {
      const session = personOf(request);
      const asked = request.query.user ?? session.user.id;
      if (asked !== session.user.id && !roleHolds(session.user.role, 'users.manage'))
        throw new HttpError(403, 'Only admins see other people’s sessions');
      const rows = await options.sessions.list(asked === 'all' ? null : asked, new Date().toISOString());
      return rows.map(({ token_hash, ...row }) => ({ ...row, id: publicSessionId(token_hash), current: token_hash === session.id }));
    },
  );

  app.delete(
    '/v1/sessions/:id',
    {
      config: { access: 'app.use' },
      schema: {
        operationId: 'end_session',
        summary: 'End a session: yours (the current one signs you out), or anyone’s for an admin',
        params: z.object({ id: z.string().regex(/^[0-9a-f]{32}$/, 'Session ids are 32 hexadecimal characters') }),
        response: { 204: z.null(), ...errors },
      },
    },
    async (request, reply) => {
      const session = personOf(request);
      const admin = roleHolds(session.user.role, 'users.manage');
      const rows = await options.sessions.list(admin ? null : session.user.id, new Date().toISOString());
      const target = rows.find((row) => publicSessionId(row.token_hash) === request.params.id);
      if (!target) throw new HttpError(404, 'There is no such live session (it may have ended already)');
      await options.sessions.remove(target.token_hash);
      await options.activity.record({
        destinationId: null,
        kind: 'session.signed_out',
        outcome: 'ok',
        detail: target.user_id === session.user.id ? 'ended from the sessions list' : `ended ${target.email}'s session`,
        actor: actorOf(request),
        clientAddress: request.ip,
      });
      if (target.token_hash === session.id) reply.clearCookie(SESSION_COOKIE, cookieOptions(options.secureCookies));
      return reply.code(204).send(null);
    },
  );
};
