import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import * as z from 'zod';
import { ActivitySchema } from '#shared/activity-schemas';
import { ApiKeyCreatedSchema, ApiKeyCreateSchema, apiKeyExpiryProblem, ApiKeySchema, apiKeyState } from '#shared/api-key-schemas';
import { DetailSchema, HTTPValidationErrorSchema } from '#shared/api-schemas';
import { HttpError, UnprocessableError } from '../errors.ts';
import type { ApiKeyService } from '../security/api-keys.ts';
import { perMinute } from '../security/limits.ts';
import { actorOf, principalOf } from '../security/route-access.ts';
import type { ActivityRepository } from '../store/activity-repository.ts';
import { DuplicateKeyNameError, type ApiKeyListRow, type ApiKeysRepository } from '../store/api-keys-repository.ts';

type ApiKeyRouteOptions = { apiKeys: ApiKeyService; repository: ApiKeysRepository; activity: ActivityRepository; writeRatePerMinute: number };

const errors = { 401: DetailSchema, 403: DetailSchema, 404: DetailSchema, 422: HTTPValidationErrorSchema };
const ApiKeyParamsSchema = z.object({ id: z.uuid({ error: 'API key ids are UUIDs' }) });

const toApiKey = (record: ApiKeyListRow, now: number) => ({
  id: record.id,
  name: record.name,
  prefix: record.prefix,
  role: record.role,
  // Shown by e-mail: the user whose role the key can never exceed.
  owner: record.owner_email ?? 'a removed user',
  created_at: record.created_at,
  expires_at: record.expires_at,
  last_used_at: record.last_used_at,
  revoked_at: record.revoked_at,
  state: apiKeyState(record, now),
});

/**
 * /api/v1/api-keys — the admin's: create (the key is in that one answer, never again), list, revoke. No key can call
 * these routes (a key's role is at most editor), so a leaked key cannot mint another.
 */
export const apiKeyRoutes: FastifyPluginAsyncZod<ApiKeyRouteOptions> = async (app, options) => {
  const creations = perMinute(app, options.writeRatePerMinute, 'Too many new API keys', principalOf);
  app.get(
    '/v1/api-keys',
    {
      config: { access: 'keys.manage' },
      schema: {
        operationId: 'list_api_keys',
        summary: 'Every API key, live ones first (never the key itself)',
        response: { 200: z.array(ApiKeySchema), ...errors },
      },
    },
    async () => {
      const now = Date.now();
      return (await options.repository.list()).map((record) => toApiKey(record, now));
    },
  );

  app.post(
    '/v1/api-keys',
    {
      config: { access: 'keys.manage' },
      schema: {
        operationId: 'create_api_key',
        summary: 'Create an API key: the answer holds the key, shown this once (only its hash is kept)',
        body: ApiKeyCreateSchema,
        response: { 201: ApiKeyCreatedSchema, 409: DetailSchema, 429: DetailSchema, ...errors },
      },
    },
    async (request, reply) => {
      await creations(request);
      const now = Date.now();
      const problem = apiKeyExpiryProblem(request.body.expires_at, now);
      if (problem) throw new UnprocessableError([{ loc: ['body', 'expires_at'], msg: problem, type: 'value_error' }]);
      // Only a signed-in admin gets here (no key has the admin role): the key is theirs, and never outranks them.
      const owner = request.session?.user;
      if (!owner) throw new HttpError(403, 'API keys are created by a signed-in admin');
      const { key, record } = await options.apiKeys
        .create({ name: request.body.name, role: request.body.role, expiresAt: request.body.expires_at, owner: owner.id })
        .catch((error: unknown) => {
          if (error instanceof DuplicateKeyNameError) {
            throw new HttpError(409, `An API key named "${error.keyName}" is already in use: choose another name, or revoke that key first`);
          }
          throw error;
        });
      await options.activity.record({
        destinationId: null,
        kind: 'api_key.created',
        outcome: 'ok',
        detail: `${record.name} (${record.role})`,
        actor: actorOf(request),
      });
      reply.code(201).header('location', `/api/v1/api-keys/${record.id}`);
      return { ...toApiKey({ ...record, owner_email: owner.email }, now), key };
    },
  );

  app.delete(
    '/v1/api-keys/:id',
    {
      config: { access: 'keys.manage' },
      schema: {
        operationId: 'revoke_api_key',
        summary: 'Revoke an API key: every request with it is refused (401) from this moment, on every instance',
        params: ApiKeyParamsSchema,
        response: { 200: ApiKeySchema, ...errors },
      },
    },
    async (request) => {
      const { id } = request.params;
      const existing = await options.repository.find(id);
      if (!existing) throw new HttpError(404, `There is no API key with id ${id}`);
      const at = new Date().toISOString();
      if (await options.repository.revoke(id, at)) {
        await options.activity.record({
          destinationId: null,
          kind: 'api_key.revoked',
          outcome: 'ok',
          detail: `${existing.name} (${existing.prefix}…)`,
          actor: actorOf(request),
        });
      }
      // Revoking a revoked key changes nothing and says so by its unchanged revoked_at.
      const record = (await options.repository.find(id)) ?? existing;
      return toApiKey(record, Date.now());
    },
  );

  app.get(
    '/v1/api-keys/activity',
    {
      config: { access: 'keys.manage' },
      schema: {
        operationId: 'list_api_key_activity',
        summary: 'API keys created and revoked, newest first',
        response: { 200: z.array(ActivitySchema), ...errors },
      },
    },
    async () => options.activity.apiKeyEvents(),
  );
};
