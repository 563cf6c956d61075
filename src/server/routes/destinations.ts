import { Readable } from 'node:stream';
import { createListRowCache } from './list-row-cache.ts';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import * as z from 'zod';
import { ActivitySchema } from '#shared/activity-schemas';
import { DetailSchema, HTTPValidationErrorSchema } from '#shared/api-schemas';
import {
  createCreateDestinationSchema,
  DestinationListQuerySchema,
  DestinationParamsSchema,
  DestinationSchema,
  DestinationWithWarningsSchema,
  UpdateDestinationSchema,
  type ListSort,
} from '#shared/destination-schemas';
import { checkS3Config, type CheckOptions } from '#shared/s3-config';
import { mergeS3ConfigPatch } from '#shared/s3-config-patch';
import { collectWarnings } from '#shared/warnings';
import type { CheckWorker } from '../check/worker.ts';
import { configIssuesToDetail, HttpError, UnprocessableError } from '../errors.ts';
import { EXTERNAL_ID_IN_USE, settleExternalId } from '../security/external-ids.ts';
import type { ExternalIdsRepository } from '../store/external-ids-repository.ts';
import { changedElsewhere as changedElsewhereOf, ensureCurrent } from '../security/if-match.ts';
import { actorOf } from '../security/route-access.ts';
import type { ActivityRepository } from '../store/activity-repository.ts';
import type { ChecksRepository } from '../store/checks-repository.ts';
import { DuplicateNameError, ExternalIdInUseError, type DestinationRecord, type DestinationsRepository } from '../store/destinations-repository.ts';
import type { ListCursor, ListFilter } from '../store/destination-list-sql.ts';
import { LIST_FILTER_NAMES, type ListFilterValues } from '#shared/list-options';
import { changedFields, planUpdate } from './destination-changes.ts';
import { decodeListCursor, encodeListCursor, InvalidListCursorError } from './destination-list.ts';
import { etagOf, toDestination } from './destination-view.ts';

export type DestinationRoutesOptions = {
  destinations: DestinationsRepository;
  activity: ActivityRepository;
  checks: ChecksRepository;
  worker: CheckWorker;
  publicOrigin: string;
  checkOptions: CheckOptions;
  externalIds: ExternalIdsRepository;
};

const DestinationListSchema = z.array(DestinationSchema);
/** Rows read at a time when the whole list is streamed. */
const STREAM_PAGE = 500;
/** Characters of JSON sent at a time when the whole list is streamed (a socket's usual high-water mark). */
const STREAM_CHUNK = 16 * 1024;
/** `X-Total-Count` is exact up to here, then "10000+". */
const TOTAL_CAP = 10_000;

const errors = { 401: DetailSchema, 403: DetailSchema, 404: DetailSchema, 422: HTTPValidationErrorSchema };
const notFound = (id: string) => new HttpError(404, `There is no destination with id ${id}`);

const changedElsewhere = () => changedElsewhereOf('destination');

function duplicateName(error: unknown): never {
  if (error instanceof DuplicateNameError) {
    throw new HttpError(409, `A destination named "${error.destinationName}" already exists; choose another name`);
  }
  if (error instanceof ExternalIdInUseError) {
    throw new UnprocessableError([{ loc: ['body', 'config', 'external_id'], msg: EXTERNAL_ID_IN_USE, type: 'external_id_in_use' }]);
  }
  throw error;
}

export const destinationRoutes: FastifyPluginAsyncZod<DestinationRoutesOptions> = async (app, options) => {
  const { destinations, checks } = options;
  const view = async (record: DestinationRecord, now = new Date()) => toDestination(record, now, await checks.latestSummary(record.id));
  const views = async (records: DestinationRecord[]) => {
    const now = new Date();
    return Promise.all(records.map(async (record) => toDestination(record, now, await checks.latestSummary(record.id))));
  };
  const { checkOptions } = options;
  const rowCache = createListRowCache();

  /**
   * The whole list (Unstructured's clients ask for all of it), streamed a page at a time from the database: memory
   * holds one page whatever the table holds, and nothing is kept between requests.
   */
  async function* wholeList(filter: ListFilter, sort: ListSort | undefined, now: Date): AsyncGenerator<string> {
    yield '[';
    let cursor: ListCursor | null = null;
    let first = true;
    let built = 0;
    for (;;) {
      const options = { filter, sort, limit: STREAM_PAGE, cursor, now };
      // Ids and revisions first: the rows kept at their revision need nothing more (list-row-cache.ts); a page with
      // any other is read whole, and its rows kept.
      const listed = await destinations.listRevisions(options);
      let jsons = listed.entries.map((entry) => rowCache.get(entry.id, entry.revision, now));
      let page: { entries: { sortKey: string | null; id: string }[]; more: boolean } = listed;
      if (jsons.some((json) => json === null)) {
        const read = await destinations.listPage(options);
        // Stringified without the serializer's zod pass: the views are built typed as `Destination` and the schema
        // has no transforms, so the bytes are the same.
        jsons = read.entries.map((entry) => {
          const view = toDestination(entry.record, now, entry.lastCheck);
          // A list longer than the cache keeps its first rows only: keeping every row would push out the first ones
          // before the next read could use them, and churn memory for nothing.
          return built++ < rowCache.room ? rowCache.put(view, entry.revision) : JSON.stringify(view);
        });
        page = { entries: read.entries.map((entry) => ({ sortKey: entry.sortKey, id: entry.record.id })), more: read.more };
        app.metrics.listRows.inc({ source: 'built' }, jsons.length);
      } else {
        app.metrics.listRows.inc({ source: 'kept' }, jsons.length);
      }
      let chunk = '';
      for (const json of jsons) {
        chunk += `${first ? '' : ','}${json}`;
        first = false;
        // Chunks of about a socket write each: short-lived strings die young, where a page-sized one would be a
        // large object that only a full collection frees (the heap, and RSS, grew with the table).
        if (chunk.length >= STREAM_CHUNK) {
          yield chunk;
          chunk = '';
        }
      }
      if (chunk) yield chunk;
      const last = page.entries.at(-1);
      if (!page.more || !last) break;
      cursor = { key: last.sortKey, id: last.id };
    }
    yield ']';
  }

  app.get(
    '/v1/destinations',
    {
      config: { access: 'connectors.read' },
      schema: {
        operationId: 'list_destinations',
        summary:
          'List destinations, newest first (or by `sort`), filtered by `q`, `status` and `credentials`; with `limit`, one page, its total in X-Total-Count and a Link header to the next; with `name`, the one so named (or none)',
        querystring: DestinationListQuerySchema,
        response: { 200: DestinationListSchema, ...errors },
      },
    },
    async (request, reply) => {
      const { limit, cursor, name, q, sort, destination_type: type } = request.query;
      const filters: ListFilterValues = Object.fromEntries(LIST_FILTER_NAMES.map((filter) => [filter, request.query[filter]]));
      // Another of Unstructured's connector types: none of ours is one (Unstructured answers an empty list too).
      if (type !== undefined && type !== 's3') {
        if (limit !== undefined) reply.header('x-total-count', '0');
        return [];
      }
      if (name !== undefined) {
        const found = await destinations.findByName(name.trim());
        return found ? views([found]) : [];
      }
      if (limit === undefined && cursor !== undefined) {
        throw new UnprocessableError([{ loc: ['query', 'cursor'], msg: 'A cursor needs a limit', type: 'missing' }]);
      }
      const now = new Date();
      const filter: ListFilter = { q, ...filters };
      if (limit === undefined) {
        // Streamed: a stream skips the serializer, whose encoding its chunks already are (hence the cast).
        return reply.type('application/json; charset=utf-8').send(Readable.from(wholeList(filter, sort, now)) as never);
      }
      let after: ListCursor | null = null;
      try {
        after = cursor === undefined ? null : decodeListCursor(cursor, sort ?? 'newest');
      } catch (error) {
        if (error instanceof InvalidListCursorError) {
          throw new UnprocessableError([{ loc: ['query', 'cursor'], msg: error.message, type: 'value_error' }]);
        }
        throw error;
      }
      const read = async () => {
        const page = await destinations.listPage({ filter, sort, limit, cursor: after, now });
        // Back to the start: the first page itself, full, rather than the few rows left before the cursor. A full
        // page with nothing before it is the first page already (its links say so: a next, no previous).
        if (after?.before && !page.more && page.entries.length < limit) {
          after = null;
          return destinations.listPage({ filter, sort, limit, cursor: null, now });
        }
        return page;
      };
      const count = () => destinations.countList(filter, now, TOTAL_CAP);
      let page: Awaited<ReturnType<typeof read>>;
      let total: number;
      if (!q?.trim()) {
        [page, total] = await Promise.all([read(), count()]);
      } else {
        // A search's count would query the trigram index again, as costly as the page, and a search mostly fits on
        // its first page: the page goes first, and a first page that is not full is the whole result, its total.
        page = await read();
        total = after === null && !page.more ? page.entries.length : await count();
      }
      // Exact up to TOTAL_CAP, then "10000+": counting further would cost more than the page (decision 024).
      reply.header('x-total-count', total > TOTAL_CAP ? `${TOTAL_CAP}+` : String(total));
      // Links to the pages beside this one (RFC 8288), with the same filters: the next after its last row (when more
      // follow, or when it was reached backwards), the previous before its first (when it is not the first page).
      const pageLink = (row: { sortKey: string | null; record: { id: string } }, rel: 'next' | 'prev') => {
        const target = new URL('/api/v1/destinations', options.publicOrigin);
        const params: Record<string, string | undefined> = {
          destination_type: request.query.destination_type,
          q,
          sort,
          // Every filter of the registry, as it was asked: a page's links keep them all.
          ...Object.fromEntries(LIST_FILTER_NAMES.map((filter) => [filter, filters[filter]?.join(',')])),
          limit: String(limit),
          cursor: encodeListCursor(sort ?? 'newest', { key: row.sortKey, id: row.record.id, before: rel === 'prev' }),
        };
        for (const [key, value] of Object.entries(params)) if (value !== undefined) target.searchParams.set(key, value);
        return `<${target.href}>; rel="${rel}"`;
      };
      const [first, last] = [page.entries.at(0), page.entries.at(-1)];
      const links = [
        ...(last && (after?.before ? true : page.more) ? [pageLink(last, 'next')] : []),
        ...(first && after !== null && (after.before ? page.more : true) ? [pageLink(first, 'prev')] : []),
      ];
      if (links.length > 0) reply.header('link', links.join(', '));
      return page.entries.map((entry) => toDestination(entry.record, now, entry.lastCheck));
    },
  );

  app.post(
    '/v1/destinations',
    {
      config: { access: 'connectors.write', etag: true },
      schema: {
        operationId: 'create_destination',
        summary: 'Create a destination',
        body: createCreateDestinationSchema(checkOptions),
        response: { 200: DestinationWithWarningsSchema, 409: DetailSchema, ...errors },
      },
    },
    async (request, reply) => {
      const config = await settleExternalId(options.externalIds, request.body.config, null, null, { by: actorOf(request) });
      const record = await destinations.create({ ...request.body, config, schedule: request.body.check_schedule }).catch(duplicateName);
      await options.activity.record({ destinationId: record.id, kind: 'destination.created', outcome: 'ok', actor: actorOf(request) });
      const now = new Date();
      // 200, as Unstructured answers (decision 011): its SDK raises on any other status, after the destination exists.
      reply.code(200).header('etag', etagOf(record)).header('location', `/api/v1/destinations/${record.id}`);
      return { ...(await view(record, now)), warnings: collectWarnings(request.body.config, now) };
    },
  );

  app.get(
    '/v1/destinations/:id',
    {
      config: { access: 'connectors.read', etag: true },
      schema: {
        operationId: 'get_destination',
        summary: 'Get a destination (ETag: its version)',
        params: DestinationParamsSchema,
        response: { 200: DestinationSchema, ...errors },
      },
    },
    async (request, reply) => {
      const record = await destinations.findById(request.params.id);
      if (!record) throw notFound(request.params.id);
      reply.header('etag', etagOf(record));
      return view(record);
    },
  );

  app.put(
    '/v1/destinations/:id',
    {
      config: { access: 'connectors.write', etag: true, ifMatch: true },
      schema: {
        operationId: 'update_destination',
        summary:
          'Update a destination: omitted fields keep their value, null clears, a value replaces (If-Match: required for a browser session, optional for an API key)',
        params: DestinationParamsSchema,
        body: UpdateDestinationSchema,
        response: { 200: DestinationWithWarningsSchema, 409: DetailSchema, 412: DetailSchema, 428: DetailSchema, ...errors },
      },
    },
    async (request, reply) => {
      const { id } = request.params;
      const record = await destinations.findById(id);
      const stored = await destinations.findConfigWithSecrets(id);
      if (!record || !stored) throw notFound(id);
      const version = ensureCurrent(record, request, 'destination');

      const checkId = request.body.connection_check_id;
      if (checkId !== undefined && !(await checks.isAdoptable(checkId, id))) {
        throw new UnprocessableError([
          {
            loc: ['body', 'connection_check_id'],
            msg: 'This connection check is not a finished check of a change to this destination',
            type: 'value_error',
          },
        ]);
      }
      const patch = request.body.config ?? {};
      const { merged, issues: patchIssues } = mergeS3ConfigPatch(stored, patch);
      const { issues, value: checked } = checkS3Config(merged, checkOptions);
      const allIssues = [...patchIssues, ...issues];
      if (allIssues.length > 0) throw new UnprocessableError(configIssuesToDetail(allIssues));
      const config = await settleExternalId(options.externalIds, checked, stored.external_id, id, { by: actorOf(request) });

      const now = new Date();
      const plan = planUpdate({ record, stored, config, provider: patch.provider, now });
      const updated = await destinations
        .update(id, version, {
          name: request.body.name ?? record.name,
          config: { ...config, provider: plan.provider },
          expiredByCheck: plan.expiredByCheck,
          configChanged: plan.configChanged,
          tokenSavedAt: plan.tokenSavedAt,
          schedule: request.body.check_schedule,
        })
        .catch(duplicateName);
      if (updated === null) throw notFound(id);
      // Someone saved between our read and our write.
      if (updated === 'stale') throw changedElsewhere();
      if (checkId !== undefined) {
        await checks.adopt(checkId, id);
        await checks.prune(id);
      }
      const changed = changedFields({
        before: { name: record.name, check_schedule: record.check_schedule, config: stored },
        after: { name: updated.name, check_schedule: updated.check_schedule, config: { ...config, provider: updated.config.provider } },
      });
      await options.activity.record({
        destinationId: id,
        kind: 'destination.updated',
        outcome: 'ok',
        detail: changed.join(', ') || null,
        actor: actorOf(request),
      });
      reply.header('etag', etagOf(updated));
      return { ...(await view(updated, now)), warnings: collectWarnings(config, now) };
    },
  );

  app.get(
    '/v1/destinations/:id/activity',
    {
      config: { access: 'connectors.read' },
      schema: {
        operationId: 'get_destination_activity',
        summary: 'What happened to a destination, newest first: changes (field names only), checks, deletion',
        params: DestinationParamsSchema,
        response: { 200: z.array(ActivitySchema), ...errors },
      },
    },
    async (request) => {
      if (!(await destinations.findById(request.params.id))) throw notFound(request.params.id);
      return options.activity.forDestination(request.params.id);
    },
  );

  app.delete(
    '/v1/destinations/:id',
    {
      config: { access: 'connectors.write', ifMatch: true },
      schema: {
        operationId: 'delete_destination',
        summary: 'Delete a destination and its connection checks (If-Match: required for a browser session, optional for an API key)',
        params: DestinationParamsSchema,
        response: { 200: DetailSchema, 412: DetailSchema, 428: DetailSchema, ...errors },
      },
    },
    async (request) => {
      const { id } = request.params;
      const record = await destinations.findById(id);
      if (!record) throw notFound(id);
      const version = ensureCurrent(record, request, 'destination');
      const result = await destinations.remove(id, version);
      // The rows of its checks went with it (ON DELETE CASCADE); a running one must stop talking to S3 too.
      if (result === 'deleted') {
        options.worker.cancelForDestination(id);
        await options.activity.record({
          destinationId: id,
          kind: 'destination.deleted',
          outcome: 'ok',
          detail: record.name,
          actor: actorOf(request),
        });
      }
      if (result === null) throw notFound(id);
      if (result === 'stale') throw changedElsewhere();
      return { detail: `Deleted destination "${record.name}"` };
    },
  );
};
