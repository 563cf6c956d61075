import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { DetailSchema, ExternalIdSchema, IamRoleSettingsSchema } from '#shared/api-schemas';
import type { RoleSessions } from '../check/role-sessions.ts';
import { HttpError } from '../errors.ts';
import { perMinute } from '../security/limits.ts';
import { actorOf, principalOf } from '../security/route-access.ts';
import type { ExternalIdsRepository } from '../store/external-ids-repository.ts';

export type IamRoleRoutesOptions = {
  /** Null when ALLOW_IAM_ROLES is off. */
  roles: RoleSessions | null;
  externalIds: ExternalIdsRepository;
  accountAllowlist: string[] | null;
  /** WRITE_RATE_PER_MIN: external IDs one principal may have made a minute (each is a row kept for good). */
  writeRatePerMinute: number;
};

/** GET /api/v1/iam-role — what the wizard shows before a user tries; POST …/external-ids — a new connector's external ID. */
export const iamRoleRoutes: FastifyPluginAsyncZod<IamRoleRoutesOptions> = async (app, options) => {
  const { roles } = options;
  const issued = perMinute(app, options.writeRatePerMinute, 'Too many new external IDs', principalOf);
  app.get(
    '/v1/iam-role',
    {
      config: { access: 'connectors.read' },
      schema: {
        operationId: 'get_iam_role_settings',
        summary: "Whether this server assumes IAM roles, and the principal a role's trust policy must name (or why it cannot assume roles now)",
        response: { 200: IamRoleSettingsSchema, 401: DetailSchema, 403: DetailSchema },
      },
    },
    async () => {
      if (!roles) return { allowed: false, principal_arn: null, caller_arn: null, problem: null, account_allowlist: options.accountAllowlist };
      const principal = await roles.principal();
      return principal.ok
        ? {
            allowed: true,
            principal_arn: principal.principalArn,
            caller_arn: principal.callerArn,
            problem: null,
            account_allowlist: options.accountAllowlist,
          }
        : { allowed: true, principal_arn: null, caller_arn: null, problem: principal.problem, account_allowlist: options.accountAllowlist };
    },
  );

  app.post(
    '/v1/iam-role/external-ids',
    {
      config: { access: 'connectors.write' },
      schema: {
        operationId: 'create_external_id',
        summary:
          'A new external ID for a connector about to be created with an IAM role: put it in the trust policy, then send it with the connector',
        response: { 201: ExternalIdSchema, 401: DetailSchema, 403: DetailSchema, 429: DetailSchema },
      },
    },
    async (request, reply) => {
      if (!roles) throw new HttpError(403, 'IAM roles are turned off on this server; an administrator can allow them with ALLOW_IAM_ROLES=true');
      await issued(request);
      reply.code(201);
      return { external_id: await options.externalIds.issue(actorOf(request)) };
    },
  );
};
