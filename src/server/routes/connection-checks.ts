import type { FastifyRequest } from 'fastify';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import * as z from 'zod';
import { DetailSchema, HTTPValidationErrorSchema } from '#shared/api-schemas';
import { CheckParamsSchema, ConnectionCheckSchema, UnsavedCheckRequestSchema, type ConnectionCheck } from '#shared/check-schemas';
import { createS3ConfigInputSchema, DestinationParamsSchema, S3ConfigPatchSchema } from '#shared/destination-schemas';
import { checkS3Config, type CheckOptions, type S3Config } from '#shared/s3-config';
import { mergeS3ConfigPatch } from '#shared/s3-config-patch';
import { providerFor } from '#shared/providers';
import { settleExternalId } from '../security/external-ids.ts';
import type { ExternalIdsRepository } from '../store/external-ids-repository.ts';
import { createCheckStreams, type CheckStreamLimits } from '../check/check-streams.ts';
import type { CheckWorker } from '../check/worker.ts';
import { configIssuesToDetail, HttpError, UnprocessableError, zodIssuesToDetail } from '../errors.ts';
import { actorOf, principalOf } from '../security/route-access.ts';
import type { ActivityRepository } from '../store/activity-repository.ts';
import type { ChecksRepository } from '../store/checks-repository.ts';
import type { DestinationsRepository } from '../store/destinations-repository.ts';

export type CheckRoutesOptions = {
  checks: ChecksRepository;
  destinations: DestinationsRepository;
  worker: CheckWorker;
  checkOptions: CheckOptions;
  externalIds: ExternalIdsRepository;
  /** Where a cancel is recorded, with who cancelled. */
  activity?: ActivityRepository;
  ratePerMinute: number;
  /** Caps on event streams (tests set them low); CHECK_STREAM_LIMITS otherwise. */
  streamLimits?: CheckStreamLimits;
};

const errors = { 401: DetailSchema, 403: DetailSchema, 404: DetailSchema, 422: HTTPValidationErrorSchema };

export const connectionCheckRoutes: FastifyPluginAsyncZod<CheckRoutesOptions> = async (app, options) => {
  const { checks, destinations, worker } = options;
  const { checkOptions } = options;
  // Keyed on who asks (a user or an API key, principalOf), not on a session a new sign-in replaces.
  const starts = app.createRateLimit({ max: options.ratePerMinute, timeWindow: 60_000, keyGenerator: principalOf });
  // One watch per running check, shared by its streams (check-streams.ts).
  const streams = createCheckStreams({
    checks,
    events: worker.events,
    log: app.log,
    ...(options.streamLimits ? { limits: options.streamLimits } : {}),
  });
  const noDestination = (id: string) => new HttpError(404, `There is no destination with id ${id}`);

  /** Starts count against the caller's CHECK_RATE_PER_MIN. */
  const rateLimit = async (request: FastifyRequest) => {
    const start = await starts(request);
    if (!start.isAllowed && start.isExceeded) {
      const wait = Math.max(1, start.ttlInSeconds);
      throw new HttpError(429, `Too many connection checks: wait ${wait} s and try again`, { 'retry-after': String(wait) });
    }
  };

  app.post(
    '/v1/destinations/:id/connection-check',
    {
      config: { access: 'checks.run' },
      schema: {
        operationId: 'create_connection_check_destinations',
        summary: 'Start a connection check of a saved destination',
        params: DestinationParamsSchema,
        response: { 202: ConnectionCheckSchema, 429: DetailSchema, ...errors },
      },
    },
    async (request, reply) => {
      if (!(await destinations.findById(request.params.id))) throw noDestination(request.params.id);
      await rateLimit(request);
      reply.code(202);
      return worker.schedule({ destinationId: request.params.id, startedBy: actorOf(request) });
    },
  );

  app.get(
    '/v1/destinations/:id/connection-check',
    {
      config: { access: 'connectors.read' },
      schema: {
        operationId: 'get_connection_check_destinations',
        summary: 'The latest connection check of a destination',
        params: DestinationParamsSchema,
        response: { 200: ConnectionCheckSchema, ...errors },
      },
    },
    async (request) => {
      if (!(await destinations.findById(request.params.id))) throw noDestination(request.params.id);
      const latest = (await checks.history(request.params.id))[0];
      if (!latest) throw new HttpError(404, 'This destination has not been checked yet');
      return latest;
    },
  );

  app.get(
    '/v1/destinations/:id/connection-checks',
    {
      config: { access: 'connectors.read' },
      schema: {
        operationId: 'list_connection_checks_destinations',
        summary: 'The connection checks of a destination, newest first (the last 50 are kept)',
        params: DestinationParamsSchema,
        response: { 200: z.array(ConnectionCheckSchema), ...errors },
      },
    },
    async (request) => {
      if (!(await destinations.findById(request.params.id))) throw noDestination(request.params.id);
      return checks.history(request.params.id);
    },
  );

  app.post(
    '/v1/connection-checks',
    {
      config: { access: 'checks.run' },
      schema: {
        operationId: 'check_unsaved_config',
        summary:
          'Check an unsaved config: {type: "s3", config} in full, or {destination_id, config: patch} merged on the server with the saved config (secrets included)',
        body: UnsavedCheckRequestSchema,
        response: { 202: ConnectionCheckSchema, 429: DetailSchema, ...errors },
      },
    },
    async (request, reply) => {
      const { destination_id: destinationId, config: rawConfig } = request.body;
      let config: S3Config;
      if (destinationId === undefined) {
        if (request.body.type !== 's3') {
          throw new UnprocessableError([
            { loc: ['body', 'type'], msg: 'Send type "s3" with a full config, or a destination_id with a patch', type: 'missing' },
          ]);
        }
        const parsed = createS3ConfigInputSchema(checkOptions).safeParse(rawConfig);
        if (!parsed.success) throw new UnprocessableError(zodIssuesToDetail(parsed.error.issues, ['body', 'config']));
        config = await settleExternalId(options.externalIds, parsed.data, null, null, null);
      } else {
        const patch = S3ConfigPatchSchema.safeParse(rawConfig);
        if (!patch.success) throw new UnprocessableError(zodIssuesToDetail(patch.error.issues, ['body', 'config']));
        const stored = await destinations.findConfigWithSecrets(destinationId);
        if (!stored) throw noDestination(destinationId);
        const { merged, issues: patchIssues } = mergeS3ConfigPatch(stored, patch.data);
        const { issues, value } = checkS3Config(merged, checkOptions);
        if (patchIssues.length + issues.length > 0) throw new UnprocessableError(configIssuesToDetail([...patchIssues, ...issues]));
        // A check must not reach another connector's role with that connector's external ID (settleExternalId). The
        // provider goes with it (the patch's, else the saved one), for the words of the service the connector names.
        const provider = providerFor(value.endpoint_url, patch.data.provider ?? stored.provider);
        config = { ...(await settleExternalId(options.externalIds, value, stored.external_id, destinationId, null)), provider } as S3Config;
      }
      await rateLimit(request);
      reply.code(202);
      return worker.schedule({ destinationId: null, baseDestinationId: destinationId ?? null, config, startedBy: actorOf(request) });
    },
  );

  app.get(
    '/v1/connection-checks/:check_id',
    {
      config: { access: 'connectors.read' },
      schema: {
        operationId: 'get_connection_check',
        summary: 'A connection check',
        params: CheckParamsSchema,
        response: { 200: ConnectionCheckSchema, ...errors },
      },
    },
    async (request) => {
      const check = await checks.findById(request.params.check_id);
      if (!check) throw new HttpError(404, `There is no connection check with id ${request.params.check_id}`);
      return check;
    },
  );

  app.post(
    '/v1/connection-checks/:check_id/cancel',
    {
      config: { access: 'checks.run' },
      schema: {
        operationId: 'cancel_connection_check',
        summary:
          'Cancel a running check: it ends FAILURE with cancelled: true on whichever instance runs it, after cleaning up the probes it wrote; the destination keeps the status of its check before',
        params: CheckParamsSchema,
        response: { 202: ConnectionCheckSchema, 409: DetailSchema, ...errors },
      },
    },
    async (request, reply) => {
      const id = request.params.check_id;
      const by = actorOf(request);
      // The cancel is recorded, with who cancelled, in the transaction that marks the check.
      const result = await checks.requestCancel(
        id,
        by,
        (tx, destinationId) =>
          options.activity?.record(
            { destinationId, kind: 'check.cancelled', outcome: 'ok', detail: null, clientAddress: request.ip, actor: by },
            tx,
          ) ?? Promise.resolve(),
      );
      if (result === null) throw new HttpError(404, `There is no connection check with id ${id}`);
      if (result === 'finished') throw new HttpError(409, 'This check has already finished; there is nothing to cancel');
      // The instance running it stops it (this one, or another told through the change channel); streams read it.
      worker.events.emit('cancel', id);
      worker.events.emit('change', id);
      reply.code(202);
      return (await checks.findById(id)) as ConnectionCheck;
    },
  );

  app.get(
    '/v1/connection-checks/:check_id/events',
    {
      config: { access: 'connectors.read' },
      schema: {
        operationId: 'stream_connection_check_events',
        summary: 'Server-sent events: the check (event "check") each time a step changes, then the stream closes',
        params: CheckParamsSchema,
        response: {
          200: {
            description: 'An event stream (text/event-stream) that closes once the check has its outcome',
            content: {
              'text/event-stream': {
                schema: z.string().meta({
                  description:
                    'Events named "check", each with `id:` (the check’s revision) and `data:` (the ConnectionCheck as JSON); a comment line every 15 s keeps the connection open',
                }),
              },
            },
          },
          404: DetailSchema,
          429: DetailSchema,
          401: DetailSchema,
          422: HTTPValidationErrorSchema,
        },
      },
    },
    async (request, reply) => {
      const id = request.params.check_id;
      if (!(await checks.findById(id))) throw new HttpError(404, `There is no connection check with id ${id}`);
      const res = reply.raw;
      let closed = false;
      const stream = streams.open(id, principalOf(request), {
        send: (check, revision) => void res.write(`event: check\nid: ${revision}\ndata: ${JSON.stringify(ConnectionCheckSchema.parse(check))}\n\n`),
        heartbeat: () => void res.write(': still running\n\n'),
        end: () => {
          closed = true;
          res.end();
        },
      });
      if ('refused' in stream) {
        const whose = stream.refused === 'principal' ? 'You have' : 'This check has';
        throw new HttpError(429, `${whose} as many event streams open as allowed: close one (another tab) and try again`, { 'retry-after': '5' });
      }
      reply.hijack();
      res.writeHead(200, {
        // The headers every answer carries (security headers, no-store), which a hijacked reply would otherwise lose.
        ...(reply.getHeaders() as Record<string, string>),
        'content-type': 'text/event-stream; charset=utf-8',
        'cache-control': 'no-store',
        connection: 'keep-alive',
        'x-accel-buffering': 'no',
      });
      // Sent now, not with the first event: a client learns at once that its stream is open.
      res.flushHeaders();
      request.raw.on('close', () => {
        if (!closed) stream.leave();
      });
      await stream.ready;
    },
  );
};
