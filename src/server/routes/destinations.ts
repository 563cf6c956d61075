import type { FastifyRequest } from 'fastify';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import * as z from 'zod';
import { ActivitySchema } from '../../shared/activity-schemas.ts';
import { DetailSchema, HTTPValidationErrorSchema } from '../../shared/api-schemas.ts';
import {
  createCreateDestinationSchema,
  DestinationListQuerySchema,
  DestinationParamsSchema,
  DestinationSchema,
  DestinationWithWarningsSchema,
  UpdateDestinationSchema,
  type Destination,
  type ListSort,
} from '../../shared/destination-schemas.ts';
import { providerFor } from '../../shared/providers.ts';
import { checkS3Config, type CheckOptions } from '../../shared/s3-config.ts';
import { mergeS3ConfigPatch } from '../../shared/s3-config-patch.ts';
import { collectWarnings } from '../../shared/warnings.ts';
import type { CheckWorker } from '../check/worker.ts';
import { configIssuesToDetail, HttpError, UnprocessableError } from '../errors.ts';
import { EXTERNAL_ID_IN_USE, settleExternalId } from '../security/external-ids.ts';
import type { ExternalIdsRepository } from '../store/external-ids-repository.ts';
import { actorOf } from '../security/route-access.ts';
import type { ActivityRepository } from '../store/activity-repository.ts';
import type { ChecksRepository } from '../store/checks-repository.ts';
import { DuplicateNameError, ExternalIdInUseError, type DestinationRecord, type DestinationsRepository } from '../store/destinations-repository.ts';
import { filterEntries, InvalidListCursorError, listEntry, pageEntries, sortEntries, type ListEntry } from './destination-list.ts';
import { etagOf, toDestination } from './destination-view.ts';

export type DestinationRoutesOptions = {
  destinations: DestinationsRepository;
  activity: ActivityRepository;
  checks: ChecksRepository;
  /** Changes when what the whole list shows changes: the key of its cache. */
  listVersion: () => Promise<string>;
  worker: CheckWorker;
  publicOrigin: string;
  checkOptions: CheckOptions;
  externalIds: ExternalIdsRepository;
};

const DestinationListSchema = z.array(DestinationSchema);
// What S3 is asked with: a change to any of these makes earlier results stale. A rename, the provider label or the
// expiry note does not.
const TESTED_FIELDS = ['remote_url', 'anonymous', 'ambient_credentials', 'key', 'secret', 'token', 'endpoint_url', 'region', 'role_arn'] as const;
const CONFIG_FIELDS = [...TESTED_FIELDS, 'token_expires_at'] as const;
// Credentials states and expiry warnings move with the clock: a cached list is rebuilt at least this often.
const LIST_CACHE_MS = 1_000;

const errors = { 401: DetailSchema, 403: DetailSchema, 404: DetailSchema, 422: HTTPValidationErrorSchema };
const notFound = (id: string) => new HttpError(404, `There is no destination with id ${id}`);

/**
 * The version an `If-Match` names, '*' for any. Without the header, a browser session gets a 428 (the app's pages
 * always send it, so a page that stopped would be caught); an API key's write applies, as if it said '*' —
 * Unstructured's clients never send the header. When a key sends it, it is enforced all the same.
 */
function requiredVersion(request: FastifyRequest): number | '*' | null {
  const ifMatch = request.headers['if-match'];
  if (ifMatch === undefined || ifMatch.trim() === '') {
    if (request.apiKey) return '*';
    throw new HttpError(428, 'Send If-Match with the ETag of your last read, so changes made elsewhere are not overwritten');
  }
  if (ifMatch.trim() === '*') return '*';
  // Strong comparison (RFC 9110): a weak tag never matches.
  const tags = ifMatch.split(',').map((tag) => /^\s*"(\d+)"\s*$/.exec(tag)?.[1]);
  const versions = tags.filter((v): v is string => v !== undefined).map(Number);
  return versions.length === 1 ? (versions[0] ?? null) : null;
}

const changedElsewhere = () =>
  new HttpError(412, 'This destination was changed elsewhere since you read it; reload it and make your change again');

function ensureCurrent(record: DestinationRecord, request: FastifyRequest): number {
  const wanted = requiredVersion(request);
  if (wanted !== '*' && wanted !== record.version) throw changedElsewhere();
  return record.version;
}

function duplicateName(error: unknown): never {
  if (error instanceof DuplicateNameError) {
    throw new HttpError(409, `A destination named "${error.destinationName}" already exists; choose another name`);
  }
  if (error instanceof ExternalIdInUseError) {
    throw new UnprocessableError([
      { loc: ['body', 'config', 'external_id'], msg: EXTERNAL_ID_IN_USE, type: 'external_id_in_use' },
    ]);
  }
  throw error;
}

export const destinationRoutes: FastifyPluginAsyncZod<DestinationRoutesOptions> = async (app, options) => {
  const { destinations, checks } = options;
  const view = async (record: DestinationRecord, now = new Date()) =>
    toDestination(record, now, await checks.latestSummary(record.id));
  const views = async (records: DestinationRecord[]) => {
    const now = new Date();
    const latest = await checks.latestSummaries();
    return records.map((record) => toDestination(record, now, latest.get(record.id) ?? null));
  };
  const { checkOptions } = options;
  // What the list filters, sorts and pages: every destination with its latest check, read again when the store's list
  // version moves (a write it shows, on whichever instance). Orders are sorted once per version and kept; filters by
  // credentials state run at each request, as states move with the clock.
  type Entries = { version: string; all: ListEntry[]; sorted: Map<string, ListEntry[]> };
  let entries: Entries | null = null;
  // One read per version, however many requests arrive while it runs: under 50 connections every request that saw
  // the version move read the whole table again, fifty reads per write while checks ran.
  let reading: { version: string; entries: Promise<Entries> } | null = null;
  const entriesNow = async (): Promise<Entries> => {
    const version = await options.listVersion();
    if (entries !== null && entries.version === version) return entries;
    if (reading === null || reading.version !== version) {
      const read = (async () => {
        const [records, latest] = await Promise.all([destinations.list(), checks.latestSummaries()]);
        const fresh: Entries = { version, all: records.map((record) => listEntry(record, latest.get(record.id) ?? null)), sorted: new Map() };
        // A slower read of an older version never replaces a newer one.
        if (entries === null || Number(entries.version) <= Number(version)) entries = fresh;
        return fresh;
      })();
      reading = { version, entries: read };
      void read.finally(() => {
        if (reading?.entries === read) reading = null;
      }).catch(() => undefined);
    }
    return reading.entries;
  };
  const sortedNow = async (sort: ListSort | undefined) => {
    const current = await entriesNow();
    const name = sort ?? 'newest';
    let sorted = current.sorted.get(name);
    if (!sorted) current.sorted.set(name, (sorted = sortEntries(current.all, sort)));
    return { version: current.version, sorted };
  };
  // The whole unfiltered list as JSON (Unstructured's clients ask for all of it): rebuilt when the list version moves,
  // or a second on, as credentials states move with the clock. Stringified without the serializer's zod pass: the
  // views are built typed as `Destination` and the schema has no transforms, so the bytes are the same — and that pass
  // was 40 % of a rebuild (6.5 of 16 ms for 1,000), paid at every write while checks run.
  let cachedList: { version: string; builtAt: number; body: string } | null = null;
  const wholeList = async () => {
    const { version, sorted } = await sortedNow(undefined);
    if (cachedList === null || cachedList.version !== version || Date.now() - cachedList.builtAt >= LIST_CACHE_MS) {
      const now = new Date();
      const views: Destination[] = sorted.map((entry) => toDestination(entry.record, now, entry.lastCheck));
      const body = JSON.stringify(views);
      cachedList = { version, builtAt: Date.now(), body };
    }
    return cachedList.body;
  };

  app.get(
    '/v1/destinations',
    {
      config: { access: 'viewer' },
      schema: {
        operationId: 'list_destinations',
        summary:
          'List destinations, newest first (or by `sort`), filtered by `q`, `status` and `credentials`; with `limit`, one page, its total in X-Total-Count and a Link header to the next; with `name`, the one so named (or none)',
        querystring: DestinationListQuerySchema,
        response: { 200: DestinationListSchema, ...errors },
      },
    },
    async (request, reply) => {
      const { limit, cursor, name, q, sort, status, credentials, destination_type: type } = request.query;
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
      const filtered = q !== undefined || status !== undefined || credentials !== undefined;
      if (limit === undefined && !filtered && sort === undefined) {
        // Sent as is: a string with a JSON content type skips the serializer, whose encoding it already is (hence the
        // cast: the type provider expects the unencoded list).
        return reply.type('application/json; charset=utf-8').send((await wholeList()) as never);
      }
      const now = new Date();
      const { sorted } = await sortedNow(sort);
      const selected = filtered ? filterEntries(sorted, { q, status, credentials }, now) : sorted;
      if (limit === undefined) return selected.map((entry) => toDestination(entry.record, now, entry.lastCheck));
      let page;
      try {
        page = pageEntries(selected, sort, limit, cursor);
      } catch (error) {
        if (error instanceof InvalidListCursorError) {
          throw new UnprocessableError([{ loc: ['query', 'cursor'], msg: error.message, type: 'value_error' }]);
        }
        throw error;
      }
      reply.header('x-total-count', String(selected.length));
      if (page.nextCursor !== null) {
        const next = new URL('/api/v1/destinations', options.publicOrigin);
        const params: Record<string, string | undefined> = {
          destination_type: request.query.destination_type,
          q,
          sort,
          status: status?.join(','),
          credentials: credentials?.join(','),
          limit: String(limit),
          cursor: page.nextCursor,
        };
        for (const [key, value] of Object.entries(params)) if (value !== undefined) next.searchParams.set(key, value);
        reply.header('link', `<${next.href}>; rel="next"`);
      }
      return page.items.map((entry) => toDestination(entry.record, now, entry.lastCheck));
    },
  );

  app.post(
    '/v1/destinations',
    {
      config: { access: 'editor', etag: true },
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
      config: { access: 'viewer', etag: true },
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
      config: { access: 'editor', etag: true, ifMatch: true },
      schema: {
        operationId: 'update_destination',
        summary: 'Update a destination: omitted fields keep their value, null clears, a value replaces (If-Match: required for a browser session, optional for an API key)',
        params: DestinationParamsSchema,
        body: UpdateDestinationSchema,
        response: { 200: DestinationWithWarningsSchema, 409: DetailSchema, 412: DetailSchema, 428: DetailSchema, ...errors },
      },
    },
    async (request, reply) => {
      const { id } = request.params;
      requiredVersion(request);
      const record = await destinations.findById(id);
      const stored = await destinations.findConfigWithSecrets(id);
      if (!record || !stored) throw notFound(id);
      const version = ensureCurrent(record, request);

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

      // New credentials deserve a fresh verdict: an ExpiredToken answer was about the old ones.
      const credentialsChanged = config.key !== stored.key || config.secret !== stored.secret || config.token !== stored.token;
      const now = new Date();
      const updated = await destinations
        .update(id, version, {
          name: request.body.name ?? record.name,
          config: { ...config, provider: providerFor(config.endpoint_url, patch.provider === undefined ? stored.provider : patch.provider) },
          expiredByCheck: record.expired_by_check && !credentialsChanged,
          configChanged: TESTED_FIELDS.some((field) => config[field] !== stored[field]),
          // A new token starts a new lifetime; an edited expiry alone does not.
          tokenSavedAt: config.token === null ? null : config.token !== stored.token ? now.toISOString() : (record.config.token_saved_at ?? now.toISOString()),
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
      // Which fields changed, never their values.
      // Which fields changed (a client may send the whole config back, as Unstructured's SDK does), never their values.
      const provider = updated.config.provider;
      const changed = [
        ...(updated.name !== record.name ? ['name'] : []),
        ...CONFIG_FIELDS.filter((field) => config[field] !== stored[field]).map((field) => `config.${field}`),
        ...(provider !== stored.provider ? ['config.provider'] : []),
        ...(updated.check_schedule !== record.check_schedule ? ['check_schedule'] : []),
      ];
      await options.activity.record({ destinationId: id, kind: 'destination.updated', outcome: 'ok', detail: changed.join(', ') || null, actor: actorOf(request) });
      reply.header('etag', etagOf(updated));
      return { ...(await view(updated, now)), warnings: collectWarnings(config, now) };
    },
  );

  app.get(
    '/v1/destinations/:id/activity',
    {
      config: { access: 'viewer' },
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
      config: { access: 'editor', ifMatch: true },
      schema: {
        operationId: 'delete_destination',
        summary: 'Delete a destination and its connection checks (If-Match: required for a browser session, optional for an API key)',
        params: DestinationParamsSchema,
        response: { 200: DetailSchema, 412: DetailSchema, 428: DetailSchema, ...errors },
      },
    },
    async (request) => {
      const { id } = request.params;
      requiredVersion(request);
      const record = await destinations.findById(id);
      if (!record) throw notFound(id);
      const version = ensureCurrent(record, request);
      const result = await destinations.remove(id, version);
      // The rows of its checks went with it (ON DELETE CASCADE); a running one must stop talking to S3 too.
      if (result === 'deleted') {
        options.worker.cancelForDestination(id);
        await options.activity.record({ destinationId: id, kind: 'destination.deleted', outcome: 'ok', detail: record.name, actor: actorOf(request) });
      }
      if (result === null) throw notFound(id);
      if (result === 'stale') throw changedElsewhere();
      return { detail: `Deleted destination "${record.name}"` };
    },
  );
};
