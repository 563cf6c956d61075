import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { randomBytes } from 'node:crypto';
import net from 'node:net';
import * as z from 'zod';
import { DetailSchema, HTTPValidationErrorSchema } from '#shared/api-schemas';
import { CreatedWebhookSchema, WebhookCreateSchema, WebhookDeliverySchema, WebhookParamsSchema, WebhookSchema } from '#shared/webhook-schemas';
import type { Alerts } from '../alerts/alerts.ts';
import { HttpError, UnprocessableError } from '../errors.ts';
import { perMinute } from '../security/limits.ts';
import { actorOf, principalOf } from '../security/route-access.ts';
import { refusal, type AllowEntry } from '../security/ssrf-guard.ts';
import type { ActivityRepository } from '../store/activity-repository.ts';
import { DuplicateWebhookNameError, type WebhooksRepository } from '../store/webhooks-repository.ts';

export type WebhookRoutesOptions = {
  webhooks: WebhooksRepository;
  alerts: Alerts;
  activity: ActivityRepository;
  /** WEBHOOK_ALLOWLIST: receivers inside private networks that may be named. */
  allowlist: AllowEntry[];
  /** A delivery was queued: the delivery worker sends it now. */
  kick: () => void;
  /** WRITE_RATE_PER_MIN: test events one principal may send a minute. */
  writeRatePerMinute: number;
};

const errors = { 401: DetailSchema, 403: DetailSchema, 404: DetailSchema, 422: HTTPValidationErrorSchema };
const notFound = (id: string) => new HttpError(404, `There is no webhook with id ${id}`);

/**
 * /api/v1/webhooks — the admin's: where alerts go. A webhook's URL is shown by scheme and host only (Slack's and
 * Teams' carry a token in their path) and its signing secret once, in the create's answer.
 */
export const webhookRoutes: FastifyPluginAsyncZod<WebhookRoutesOptions> = async (app, options) => {
  const testSends = perMinute(app, options.writeRatePerMinute, 'Too many test events', principalOf);
  const { webhooks } = options;
  const record = (request: Parameters<typeof actorOf>[0], detail: string) =>
    options.activity.record({ destinationId: null, kind: 'settings.changed', outcome: 'ok', detail, actor: actorOf(request) });

  app.get(
    '/v1/webhooks',
    {
      config: { access: 'webhooks.manage' },
      schema: {
        operationId: 'list_webhooks',
        summary: 'Where alerts go: every webhook, with its state',
        response: { 200: z.array(WebhookSchema), ...errors },
      },
    },
    async () => webhooks.list(),
  );

  app.post(
    '/v1/webhooks',
    {
      config: { access: 'webhooks.manage' },
      schema: {
        operationId: 'create_webhook',
        summary: 'Add a webhook: the answer holds its signing secret, shown this once',
        body: WebhookCreateSchema,
        response: { 201: CreatedWebhookSchema, 409: DetailSchema, ...errors },
      },
    },
    async (request, reply) => {
      const url = new URL(request.body.url);
      // An address written in the URL is judged now; a host name is judged at each delivery, on the address it resolves to.
      const host = url.hostname.replace(/^\[|\]$/g, '');
      const port = Number(url.port || (url.protocol === 'https:' ? 443 : 80));
      const refused = net.isIP(host) ? refusal(host, host, port, options.allowlist) : null;
      if (refused) {
        throw new UnprocessableError([
          {
            loc: ['body', 'url'],
            msg: `This server may not send to ${host}: ${refused}. An administrator can allow it with WEBHOOK_ALLOWLIST`,
            type: 'address_not_allowed',
          },
        ]);
      }
      // Standard Webhooks' form: "whsec_" and the key's bytes in base64 (what its libraries take to verify).
      const secret = `whsec_${randomBytes(32).toString('base64')}`;
      const created = await webhooks
        .create({
          name: request.body.name,
          url: url.href,
          urlHint: `${url.protocol}//${url.host}`,
          secret,
          events: request.body.events,
          createdBy: actorOf(request)?.label ?? null,
        })
        .catch((error: unknown) => {
          if (error instanceof DuplicateWebhookNameError)
            throw new HttpError(409, `A webhook named "${request.body.name}" already exists; choose another name`);
          throw error;
        });
      await record(request, `webhook "${created.name}" added (${created.url})`);
      reply.code(201).header('location', `/api/v1/webhooks/${created.id}`);
      return { ...created, secret };
    },
  );

  app.delete(
    '/v1/webhooks/:id',
    {
      config: { access: 'webhooks.manage' },
      schema: {
        operationId: 'delete_webhook',
        summary: 'Remove a webhook and its delivery log',
        params: WebhookParamsSchema,
        response: { 200: DetailSchema, ...errors },
      },
    },
    async (request) => {
      const found = await webhooks.findById(request.params.id);
      if (!found || !(await webhooks.remove(found.id))) throw notFound(request.params.id);
      await record(request, `webhook "${found.name}" removed`);
      return { detail: `Removed the webhook "${found.name}"` };
    },
  );

  app.post(
    '/v1/webhooks/:id/enable',
    {
      config: { access: 'webhooks.manage' },
      schema: {
        operationId: 'enable_webhook',
        summary: 'Turn a webhook that kept failing on again',
        params: WebhookParamsSchema,
        response: { 200: WebhookSchema, ...errors },
      },
    },
    async (request) => {
      const enabled = await webhooks.enable(request.params.id);
      if (!enabled) throw notFound(request.params.id);
      await record(request, `webhook "${enabled.name}" turned on`);
      return enabled;
    },
  );

  app.post(
    '/v1/webhooks/:id/test',
    {
      config: { access: 'webhooks.manage' },
      schema: {
        operationId: 'test_webhook',
        summary: 'Send a test event now (signed like the others); its delivery shows in the log',
        params: WebhookParamsSchema,
        response: { 202: WebhookDeliverySchema, 429: DetailSchema, ...errors },
      },
    },
    async (request, reply) => {
      await testSends(request);
      const found = await webhooks.findById(request.params.id);
      if (!found) throw notFound(request.params.id);
      const delivery = await webhooks.enqueueTest(found.id, options.alerts.testEvent(found.name));
      if (!delivery) throw notFound(request.params.id);
      options.kick();
      reply.code(202);
      return delivery;
    },
  );

  app.get(
    '/v1/webhooks/:id/deliveries',
    {
      config: { access: 'webhooks.manage' },
      schema: {
        operationId: 'list_webhook_deliveries',
        summary: "A webhook's last 50 deliveries, newest first: status, attempts, the receiver's answer",
        params: WebhookParamsSchema,
        response: { 200: z.array(WebhookDeliverySchema), ...errors },
      },
    },
    async (request) => {
      if (!(await webhooks.findById(request.params.id))) throw notFound(request.params.id);
      return webhooks.deliveries(request.params.id);
    },
  );
};
