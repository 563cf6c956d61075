import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as z from 'zod';
import { DestinationSchema } from '#shared/destination-schemas';
import { normalizeS3Config } from '#shared/s3-config';
import { contractErrors } from '../test-support/contract.ts';
import { AWS_KEY, buildTestApp, destinationBody, type TestApp } from '../test-support/test-app.ts';

let t: TestApp;
beforeAll(async () => {
  t = await buildTestApp();
});
afterAll(() => t.close());

const create = (body: unknown) => t.request({ method: 'POST', url: '/api/v1/destinations', body: body as object });
async function created(config: Record<string, unknown> = {}) {
  const response = await create(destinationBody(config));
  expect(response.statusCode, response.body).toBe(200);
  return response.json();
}
const get = (id: string) => t.request({ method: 'GET', url: `/api/v1/destinations/${id}` });
const put = (id: string, body: object, ifMatch: string | null = '"1"') =>
  t.request({ method: 'PUT', url: `/api/v1/destinations/${id}`, body, headers: ifMatch === null ? {} : { 'if-match': ifMatch } });

describe('create and read', () => {
  it('creates a destination and answers 200 (as Unstructured does) with its view, ETag and Location', async () => {
    const response = await create(destinationBody({ remote_url: 's3://my-bucket/exports' }, 'Invoices'));
    expect(response.statusCode).toBe(200);
    const body = response.json();
    expect(body).toMatchObject({
      name: 'Invoices',
      type: 's3',
      version: 1,
      config: {
        remote_url: 's3://my-bucket/exports/',
        anonymous: false,
        ambient_credentials: false,
        key: AWS_KEY,
        endpoint_url: null,
        region: null,
        token_expires_at: null,
        has_secret: true,
        has_token: false,
      },
      credentials: { method: 'access_key', expires_at: null, state: 'not_applicable', expired_by_check: false },
      last_check: null,
      warnings: [],
    });
    expect(body.id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    expect(new Date(body.created_at).toISOString()).toBe(body.created_at);
    expect(response.headers.etag).toBe('"1"');
    expect(response.headers.location).toBe(`/api/v1/destinations/${body.id}`);
  });

  it('answers the view with the ETag on GET', async () => {
    const destination = await created();
    const response = await get(destination.id);
    expect(response.statusCode).toBe(200);
    expect(response.headers.etag).toBe('"1"');
    const { warnings: _w, ...view } = destination;
    expect(response.json()).toEqual(view);
  });

  it('validates create, get and list responses against Unstructured’s DestinationConnectorInformation', async () => {
    const destination = await created({ endpoint_url: 'https://minio.example.com', key: 'minio', secret: 'minio-secret' });
    expect(contractErrors('DestinationConnectorInformation', destination)).toEqual([]);
    expect(contractErrors('DestinationConnectorInformation', (await get(destination.id)).json())).toEqual([]);
    const list = (await t.request({ method: 'GET', url: '/api/v1/destinations' })).json();
    for (const item of list) expect(contractErrors('DestinationConnectorInformation', item)).toEqual([]);
  });

  it('reports warnings without refusing the config', async () => {
    const body = await created({ key: null, secret: null, anonymous: true });
    expect(body.warnings).toEqual([{ field: 'anonymous', code: 'anonymous_not_recommended', message: expect.stringContaining('not recommended') }]);
    expect(body.credentials).toMatchObject({ method: 'anonymous', state: 'not_applicable' });
  });

  it('shows temporary credentials with their expiry and state', async () => {
    const expires = new Date(Date.now() + 10 * 60_000).toISOString();
    const before = Date.now();
    const body = await created({ key: 'ASIAIOSFODNN7EXAMPLE', token: 'FwoGZXIvYXdz\nEabc', token_expires_at: expires });
    expect(body.config).toMatchObject({ has_token: true, token_expires_at: expires });
    const savedAt = body.config.token_saved_at as string;
    expect(Date.parse(savedAt)).toBeGreaterThanOrEqual(before);
    // Ten minutes left is inside the last 15 minutes that even the shortest lifetime warns in.
    expect(body.credentials).toEqual({ method: 'temporary', expires_at: expires, saved_at: savedAt, state: 'expiring', expired_by_check: false });
  });

  it('says 12-hour credentials are fine until their last 3 hours, measured from when the token was saved', async () => {
    const hours = (n: number) => new Date(Date.now() + n * 3600_000).toISOString();
    const d = await created({ key: 'ASIAIOSFODNN7EXAMPLE', token: 'FwoGZXIvYXdzEabc', token_expires_at: hours(12) });
    expect(d.credentials.state).toBe('ok');
    // The same credentials 8 h 55 min and 9 h 5 min later: 3 h 5 min and 2 h 55 min left.
    const at = async (savedHoursAgo: number, leftHours: number) => {
      await t.store.db.run('UPDATE destinations SET token_saved_at = $1, token_expires_at = $2 WHERE id = $3', [
        hours(-savedHoursAgo),
        hours(leftHours),
        d.id,
      ]);
      return (await get(d.id)).json().credentials.state;
    };
    expect(await at(8 + 55 / 60, 3 + 5 / 60)).toBe('ok');
    expect(await at(9 + 5 / 60, 2 + 55 / 60)).toBe('expiring');
  });

  it('answers 404 with a sentence for an unknown id', async () => {
    const response = await get('6f1c5a43-3a9b-4c56-8a55-0d3d7a1b2c3d');
    expect(response.statusCode).toBe(404);
    expect(response.json()).toEqual({ detail: 'There is no destination with id 6f1c5a43-3a9b-4c56-8a55-0d3d7a1b2c3d' });
  });

  it('answers 422 naming the path for a malformed id', async () => {
    const response = await get('not-a-uuid');
    expect(response.statusCode).toBe(422);
    expect(response.json()).toEqual({ detail: [{ loc: ['path', 'id'], msg: 'Destination ids are UUIDs', type: 'value_error' }] });
  });

  it('answers 409 for a name already taken, whatever its case', async () => {
    await created();
    const first = await create(destinationBody({}, 'Shared name'));
    expect(first.statusCode).toBe(200);
    const second = await create(destinationBody({}, '  shared NAME '));
    expect(second.statusCode).toBe(409);
    expect(second.json()).toEqual({ detail: 'A destination named "shared NAME" already exists; choose another name' });
  });
});

describe('list', () => {
  it('reads a page of rows for a page, after a write as before it: never the whole table, never every check', async () => {
    for (let i = 0; i < 4; i++) await created();
    const pages: number[] = [];
    const { list } = t.store.destinations;
    const { latestSummaries } = t.store.checks;
    const listPage = t.store.destinations.listPage.bind(t.store.destinations);
    t.store.destinations.list = async () => {
      throw new Error('the whole table was read');
    };
    t.store.checks.latestSummaries = async () => {
      throw new Error('every check was read');
    };
    t.store.destinations.listPage = async (options) => {
      const page = await listPage(options);
      pages.push(page.entries.length);
      return page;
    };
    try {
      const first = await t.request({ method: 'GET', url: '/api/v1/destinations?sort=name&limit=2' });
      await created();
      const again = await t.request({ method: 'GET', url: '/api/v1/destinations?sort=name&limit=2' });
      expect([first.statusCode, again.statusCode]).toEqual([200, 200]);
      expect(pages).toEqual([2, 2]);
    } finally {
      Object.assign(t.store.destinations, { list, listPage });
      t.store.checks.latestSummaries = latestSummaries;
    }
  });

  it('lists every destination, newest first, without a limit', async () => {
    const a = await created();
    const b = await created();
    const response = await t.request({ method: 'GET', url: '/api/v1/destinations?destination_type=s3' });
    expect(response.statusCode).toBe(200);
    const ids = response.json().map((d: { id: string }) => d.id);
    expect(ids.indexOf(b.id)).toBeLessThan(ids.indexOf(a.id));
    expect(response.headers.link).toBeUndefined();
  });

  it('pages with limit and follows Link rel="next" until every destination was seen once', async () => {
    for (let i = 0; i < 5; i++) await created();
    const all = (await t.request({ method: 'GET', url: '/api/v1/destinations' })).json().map((d: { id: string }) => d.id);
    const seen: string[] = [];
    let url: string | null = '/api/v1/destinations?limit=2';
    let pages = 0;
    while (url) {
      const response = await t.request({ method: 'GET', url });
      expect(response.statusCode).toBe(200);
      const page = response.json();
      expect(page.length).toBeLessThanOrEqual(2);
      seen.push(...page.map((d: { id: string }) => d.id));
      const link = response.headers.link as string | undefined;
      const next = link ? /<([^>]+)>; rel="next"/.exec(link)?.[1] : undefined;
      url = next ? new URL(next).pathname + new URL(next).search : null;
      pages++;
    }
    expect(seen).toEqual(all);
    expect(pages).toBe(Math.ceil(all.length / 2));
  });

  it('searches, filters and sorts a page at a time: the total in X-Total-Count, the Link keeping every parameter', async () => {
    const tag = `find-${Date.now().toString(36)}`;
    const made = [];
    for (const label of ['delta', 'Alpha', 'charlie', 'bravo', 'echo']) {
      const response = await create(destinationBody({ remote_url: `s3://${tag}/${label}/` }, `${tag} ${label}`));
      made.push(response.json() as { id: string; name: string });
    }
    const failing = made[2] as { id: string };
    const check = await t.store.checks.create({ destinationId: failing.id });
    await t.store.checks.finish(check.id, { status: 'FAILURE', reason: 'r', steps: [], identity: null, region: null });
    const names = (body: { name: string }[]) => body.map((d) => d.name.replace(`${tag} `, ''));

    const first = await t.request({ method: 'GET', url: `/api/v1/destinations?q=${tag.toUpperCase()}&sort=name&limit=2` });
    expect(first.statusCode).toBe(200);
    expect(names(first.json())).toEqual(['Alpha', 'bravo']);
    expect(first.headers['x-total-count']).toBe('5');
    const next = new URL(/^<([^>]+)>; rel="next"$/.exec(first.headers.link as string)?.[1] as string);
    expect(Object.fromEntries(next.searchParams)).toMatchObject({ q: tag.toUpperCase(), sort: 'name', limit: '2' });
    const second = await t.request({ method: 'GET', url: next.pathname + next.search });
    expect(names(second.json())).toEqual(['charlie', 'delta']);

    const untested = await t.request({ method: 'GET', url: `/api/v1/destinations?q=${tag}&status=untested&sort=-name&limit=10` });
    expect(names(untested.json())).toEqual(['echo', 'delta', 'bravo', 'Alpha']);
    expect(untested.headers.link).toBeUndefined();
    const failed = await t.request({ method: 'GET', url: `/api/v1/destinations?q=${tag}&status=failing` });
    expect(names(failed.json())).toEqual(['charlie']);
    // Long-term keys have no expiry: no credentials state to match.
    const expiring = await t.request({ method: 'GET', url: `/api/v1/destinations?q=${tag}&credentials=expired,expiring,ok` });
    expect(expiring.json()).toEqual([]);
  });

  it('finds by expiry state, measured now', async () => {
    const tag = `expiry-${Date.now().toString(36)}`;
    const temporary = (minutes: number, label: string) =>
      create(
        destinationBody(
          {
            remote_url: `s3://${tag}/${label}/`,
            key: 'ASIAIOSFODNN7EXAMPLE',
            token: 'FwoGZXIvYXdzEabc',
            token_expires_at: new Date(Date.now() + minutes * 60_000).toISOString(),
          },
          `${tag} ${label}`,
        ),
      );
    await temporary(-5, 'gone');
    await temporary(10, 'soon');
    await temporary(600, 'later');
    const names = async (query: string) =>
      ((await t.request({ method: 'GET', url: `/api/v1/destinations?q=${tag}&${query}` })).json() as { name: string }[]).map((d) =>
        d.name.replace(`${tag} `, ''),
      );
    expect(await names('credentials=expired')).toEqual(['gone']);
    expect(await names('credentials=expiring')).toEqual(['soon']);
    expect(await names('credentials=ok')).toEqual(['later']);
    expect(await names('sort=expires_at')).toEqual(['gone', 'soon', 'later']);
  });

  it.each(['gcs', 'ibm_watsonx_s3', 'kafka-cloud'])(
    'answers another of Unstructured’s destination types (%s) with an empty list, as Unstructured does',
    async (type) => {
      await created();
      const all = await t.request({ method: 'GET', url: `/api/v1/destinations?destination_type=${type}` });
      expect(all.statusCode).toBe(200);
      expect(all.json()).toEqual([]);
      const paged = await t.request({ method: 'GET', url: `/api/v1/destinations?destination_type=${type}&limit=10` });
      expect([paged.statusCode, paged.json(), paged.headers['x-total-count']]).toEqual([200, [], '0']);
      expect((await t.request({ method: 'GET', url: '/api/v1/destinations?destination_type=s3' })).json().length).toBeGreaterThan(0);
    },
  );

  it('answers the paths Unstructured’s SDK calls, with a trailing slash, as it answers without one', async () => {
    const made = await t.request({ method: 'POST', url: '/api/v1/destinations/', body: destinationBody() });
    expect(made.statusCode, made.body).toBe(200);
    const { id } = made.json() as { id: string };
    const listed = await t.request({ method: 'GET', url: '/api/v1/destinations/?destination_type=s3' });
    expect(listed.statusCode).toBe(200);
    expect((listed.json() as { id: string }[]).map((d) => d.id)).toContain(id);
    expect((await t.request({ method: 'GET', url: `/api/v1/destinations/${id}/` })).json()).toMatchObject({ id });
    expect((await t.request({ method: 'GET', url: `/api/v1/destinations/${id}/connection-checks/` })).statusCode).toBe(200);
    // Not signed in: the same routes, the same 401.
    expect((await t.request({ method: 'GET', url: '/api/v1/destinations/', cookie: null })).statusCode).toBe(401);
  });

  it('sends the whole list in exactly the bytes the response schema would encode (it skips the serializer)', async () => {
    await created({ key: 'ASIAIOSFODNN7EXAMPLE', token: 'FwoGZXIvYXdzEabc', token_expires_at: new Date(Date.now() + 3600_000).toISOString() });
    const body = (await t.request({ method: 'GET', url: '/api/v1/destinations' })).json() as unknown[];
    expect(body.length).toBeGreaterThan(0);
    expect(z.encode(z.array(DestinationSchema), z.array(DestinationSchema).parse(body))).toEqual(body);
  });

  it('shows every write at once, though the whole list is cached: create, rename, delete, a check scheduled and finished', async () => {
    const list = async () =>
      (await t.request({ method: 'GET', url: '/api/v1/destinations' })).json() as {
        id: string;
        name: string;
        last_check: { status: string } | null;
      }[];
    const find = async (id: string) => (await list()).find((d) => d.id === id);
    const destination = await created();
    expect(await find(destination.id)).toMatchObject({ name: destination.name, last_check: null });
    expect((await put(destination.id, { name: 'Renamed while cached' })).statusCode).toBe(200);
    expect(await find(destination.id)).toMatchObject({ name: 'Renamed while cached' });
    const check = await t.store.checks.create({ destinationId: destination.id });
    expect(await find(destination.id)).toMatchObject({ last_check: { id: check.id, status: 'SCHEDULED' } });
    await t.store.checks.finish(check.id, { status: 'FAILURE', reason: 'r', steps: [], identity: null, region: null });
    expect(await find(destination.id)).toMatchObject({ last_check: { id: check.id, status: 'FAILURE' } });
    const version = (await get(destination.id)).json().version;
    await t.request({ method: 'DELETE', url: `/api/v1/destinations/${destination.id}`, headers: { 'if-match': `"${version}"` } });
    expect(await find(destination.id)).toBeUndefined();
  });

  it('moves with the clock: a cached list turns credentials expired once their time has passed', async () => {
    const expiresAt = new Date(Date.now() + 1_200).toISOString();
    const destination = await created({ key: 'ASIAIOSFODNN7EXAMPLE', token: 'IQoJb3JpZ2luSessionToken0123456789', token_expires_at: expiresAt });
    const stateOf = async () =>
      ((await t.request({ method: 'GET', url: '/api/v1/destinations' })).json() as { id: string; credentials: { state: string } }[]).find(
        (d) => d.id === destination.id,
      )?.credentials.state;
    expect(await stateOf()).toBe('expiring');
    await new Promise((resolve) => setTimeout(resolve, 2_300));
    expect(await stateOf()).toBe('expired');
  });

  it.each([
    ['limit=0', 'limit', 'limit must be at least 1'],
    ['limit=abc', 'limit', 'limit must be a number'],
    ['limit=501', 'limit', 'limit can be at most 500'],
    ['limit=2&cursor=garbage', 'cursor', 'This cursor is not one this server gave out for this order; start again without it'],
    ['sort=size', 'sort', 'sort takes name, -name, last_check, -last_check, expires_at, -expires_at'],
    ['status=failing,broken', 'status', 'status takes failing, passing, untested (several separated by commas)'],
    ['credentials=,', 'credentials', 'credentials takes expired, expiring, ok (several separated by commas)'],
    ['cursor=abc', 'cursor', 'A cursor needs a limit'],
    ['destination_type=ftp', 'destination_type', expect.stringMatching(/^destination_type takes one of Unstructured's destination types: azure, /)],
  ])('refuses ?%s on the query parameter', async (query, field, msg) => {
    const response = await t.request({ method: 'GET', url: `/api/v1/destinations?${query}` });
    expect(response.statusCode).toBe(422);
    expect(response.json().detail).toEqual([expect.objectContaining({ loc: ['query', field], msg })]);
  });
});

describe('delete', () => {
  it('deletes with the current ETag, then the destination is gone', async () => {
    const destination = await created();
    const response = await t.request({ method: 'DELETE', url: `/api/v1/destinations/${destination.id}`, headers: { 'if-match': '"1"' } });
    expect(response.statusCode).toBe(200);
    expect(response.json()).toEqual({ detail: `Deleted destination "${destination.name}"` });
    expect((await get(destination.id)).statusCode).toBe(404);
  });

  it('answers 428 without If-Match and keeps the destination', async () => {
    const destination = await created();
    const response = await t.request({ method: 'DELETE', url: `/api/v1/destinations/${destination.id}` });
    expect(response.statusCode).toBe(428);
    expect(response.json().detail).toContain('If-Match');
    expect((await get(destination.id)).statusCode).toBe(200);
  });

  it('answers 412 for a stale ETag and keeps the destination', async () => {
    const destination = await created();
    expect((await put(destination.id, { name: `${destination.name} renamed` })).statusCode).toBe(200);
    const response = await t.request({ method: 'DELETE', url: `/api/v1/destinations/${destination.id}`, headers: { 'if-match': '"1"' } });
    expect(response.statusCode).toBe(412);
    expect(response.json().detail).toContain('changed elsewhere');
    expect((await get(destination.id)).statusCode).toBe(200);
  });

  it('answers 404 for an unknown id', async () => {
    const response = await t.request({
      method: 'DELETE',
      url: '/api/v1/destinations/6f1c5a43-3a9b-4c56-8a55-0d3d7a1b2c3d',
      headers: { 'if-match': '"1"' },
    });
    expect(response.statusCode).toBe(404);
  });
});

describe('GET /api/v1/destinations?name=', () => {
  it('answers the one destination with that name, regardless of case, or none', async () => {
    const body = destinationBody({}, `Exact Name ${Date.now()}`);
    const created = await t.request({ method: 'POST', url: '/api/v1/destinations', body });
    expect(created.statusCode).toBe(200);
    const byName = (name: string) => t.request({ method: 'GET', url: `/api/v1/destinations?name=${encodeURIComponent(name)}` });
    const exact = await byName(body.name);
    expect(exact.statusCode).toBe(200);
    expect(exact.json().map((d: { id: string }) => d.id)).toEqual([created.json().id]);
    expect((await byName(body.name.toUpperCase())).json()).toHaveLength(1);
    expect((await byName(`${body.name} and more`)).json()).toEqual([]);
    expect((await byName(body.name.slice(0, 5))).json()).toEqual([]);
  });
});

describe('the whole list, streamed', () => {
  it('sends more rows than one read (500) and one chunk (16 KB) as one JSON array: every row once, in the paged order', async () => {
    const own = await buildTestApp();
    try {
      const made = await own.request({ method: 'POST', url: '/api/v1/destinations', body: destinationBody({}, 'Streamed ünïcode “first”') });
      expect(made.statusCode, made.body).toBe(200);
      const config = normalizeS3Config({ remote_url: 's3://my-bucket/exports/', anonymous: true });
      for (let n = 0; n < 520; n++) await own.store.destinations.create({ name: `Streamed ${n}`, config });
      const whole = await own.request({ method: 'GET', url: '/api/v1/destinations' });
      expect(whole.statusCode).toBe(200);
      expect(whole.headers['content-type']).toBe('application/json; charset=utf-8');
      const ids = (JSON.parse(whole.body) as { id: string }[]).map((d) => d.id);
      expect(ids).toHaveLength(521);
      expect(new Set(ids).size).toBe(521);
      const paged: string[] = [];
      let url: string | null = '/api/v1/destinations?limit=200';
      while (url) {
        const page = await own.request({ method: 'GET', url });
        paged.push(...(page.json() as { id: string }[]).map((d) => d.id));
        const next = /<([^>]+)>; rel="next"/.exec(String(page.headers.link ?? ''))?.[1];
        url = next ? new URL(next).pathname + new URL(next).search : null;
      }
      expect(ids).toEqual(paged);
      expect(ids.at(-1)).toBe(made.json().id);
    } finally {
      await own.close();
    }
  }, 60_000);
});

describe('X-Total-Count of a search', () => {
  it('is the whole count on a full first page, on a page that fits, and on a last page reached by its cursor', async () => {
    const own = await buildTestApp();
    try {
      const config = normalizeS3Config({ remote_url: 's3://my-bucket/exports/', anonymous: true });
      for (let n = 0; n < 5; n++) await own.store.destinations.create({ name: `Findme ${n}`, config });
      for (let n = 0; n < 4; n++) await own.store.destinations.create({ name: `Other ${n}`, config });
      const list = (url: string) => own.request({ method: 'GET', url });
      const fits = await list('/api/v1/destinations?q=findme&limit=10');
      expect([fits.json().length, fits.headers['x-total-count'], fits.headers.link]).toEqual([5, '5', undefined]);
      const full = await list('/api/v1/destinations?q=findme&limit=2');
      expect([full.json().length, full.headers['x-total-count']]).toEqual([2, '5']);
      let next = /<([^>]+)>; rel="next"/.exec(String(full.headers.link))?.[1];
      let last = full;
      while (next) {
        last = await list(new URL(next).pathname + new URL(next).search);
        next = /<([^>]+)>; rel="next"/.exec(String(last.headers.link ?? ''))?.[1];
      }
      expect([last.json().length, last.headers['x-total-count']]).toEqual([1, '5']);
      const none = await list('/api/v1/destinations?q=nobody&limit=10');
      expect([none.json().length, none.headers['x-total-count']]).toEqual([0, '0']);
    } finally {
      await own.close();
    }
  });
});

describe('the whole list, kept by row revision', () => {
  it('shows a change to a row made by any statement, not only the app’s writes, at the next read', async () => {
    const own = await buildTestApp();
    try {
      const made = await own.request({ method: 'POST', url: '/api/v1/destinations', body: destinationBody({}, 'Kept row') });
      const id = made.json().id as string;
      const whole = async () =>
        (await own.request({ method: 'GET', url: '/api/v1/destinations' })).json() as {
          id: string;
          next_check_at: string | null;
          last_check: { status: string } | null;
        }[];
      expect((await whole())[0]?.next_check_at).not.toBe('2031-01-01T00:00:00.000Z');
      // Read again: from the kept rows, the same.
      const kept = await whole();
      expect(kept).toEqual(await whole());
      await own.store.db.run('UPDATE destinations SET next_check_at = $2 WHERE id = $1', [id, '2031-01-01T00:00:00.000Z']);
      expect((await whole()).find((d) => d.id === id)?.next_check_at).toBe('2031-01-01T00:00:00.000Z');
      const check = await own.store.checks.create({ destinationId: id });
      await own.store.checks.finish(check.id, { status: 'FAILURE', reason: 'no', steps: [], identity: null, region: null });
      expect((await whole()).find((d) => d.id === id)?.last_check?.status).toBe('FAILURE');
    } finally {
      await own.close();
    }
  });
});
