import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildTestApp, destinationBody, type TestApp } from '../test-support/test-app.ts';

// 1,000 generated requests per route in CI; FUZZ_RUNS=10000 for a longer hunt.
const RUNS = Number(process.env.FUZZ_RUNS ?? 1_000);

let t: TestApp;
let existing: { id: string };
beforeAll(async () => {
  // Checks may be scheduled by valid bodies: point the AWS path at a loopback port the SSRF guard refuses, so no
  // packet leaves and nothing waits on DNS.
  process.env.AWS_ENDPOINT_URL_S3 = 'http://127.0.0.1:9';
  process.env.AWS_ENDPOINT_URL_STS = 'http://127.0.0.1:9';
  t = await buildTestApp({ checkRatePerMin: 1_000_000, checkConcurrency: 2 });
  // Scheduled checks stay as they are: the worker would otherwise change rows between a request and its snapshot.
  t.app.checkWorker.abandon();
  existing = (await t.request({ method: 'POST', url: '/api/v1/destinations', body: destinationBody({}, 'fuzz-existing') })).json();
});
afterAll(() => t.close());

/** Values of every JSON type, nested, with strings that look like the fields' own (URIs, keys, times). */
const fieldLike = fc.oneof(
  fc.constantFrom(
    's3://my-bucket/',
    's3://My_Bucket//x',
    'https://b.s3-fips.us-east-1.amazonaws.com/',
    'AKIAIOSFODNN7EXAMPLE',
    'ASIA',
    '2026-02-30T00:00:00Z',
    'http://[::1]:9/',
    '\u0000',
    '../../etc/passwd',
    '{"$ne":null}',
  ),
  fc.string({ maxLength: 80 }),
  fc.string({ unit: 'binary', maxLength: 40 }),
);
const jsonValue = fc.letrec((tie) => ({
  value: fc.oneof(
    { depthSize: 'small' },
    fc.constant(null),
    fc.boolean(),
    fc.double(),
    fc.integer(),
    fieldLike,
    fc.array(tie('value'), { maxLength: 4 }),
    fc.dictionary(
      fc.oneof(
        fc.constantFrom('name', 'type', 'config', 'remote_url', 'key', 'secret', 'token', '__proto__', 'constructor'),
        fc.string({ maxLength: 10 }),
      ),
      tie('value'),
      { maxKeys: 5 },
    ),
  ),
})).value;
const configLike = fc.record(
  {
    remote_url: fieldLike,
    anonymous: fc.oneof(fc.boolean(), jsonValue),
    ambient_credentials: fc.oneof(fc.boolean(), jsonValue),
    key: fc.oneof(fieldLike, fc.constant(null)),
    secret: fc.oneof(fieldLike, fc.constant(null)),
    token: fc.oneof(fieldLike, fc.constant(null)),
    endpoint_url: fc.oneof(fieldLike, fc.constant(null)),
    region: fc.oneof(fieldLike, fc.constant(null)),
    token_expires_at: fc.oneof(fieldLike, fc.constant(null)),
  },
  { requiredKeys: [] },
);
const body = fc.oneof(
  jsonValue,
  fc.record(
    { name: fc.oneof(fieldLike, jsonValue), type: fc.oneof(fc.constant('s3'), jsonValue), config: fc.oneof(configLike, jsonValue) },
    { requiredKeys: [] },
  ),
  fc.record({ name: fieldLike, config: configLike, connection_check_id: fc.oneof(fc.uuid(), fieldLike) }, { requiredKeys: [] }),
  fc.record(
    { type: fc.constant('s3'), destination_id: fc.oneof(fc.uuid(), fc.constant('EXISTING'), fieldLike), config: fc.oneof(configLike, jsonValue) },
    { requiredKeys: [] },
  ),
);
const rawPayload = fc.oneof(
  body.map((b) => JSON.stringify(b) ?? 'null'),
  fc.string({ maxLength: 200 }),
  fc.constantFrom('{', '{"name":', '[', '"', 'nul', '{"a":1}}', '\uFEFF{}'),
);
const id = fc.oneof(
  fc.uuid(),
  fc.constant('EXISTING'),
  fc.string({ maxLength: 40 }).map((s) => encodeURIComponent(s) || 'x'),
);
const ifMatch = fc.option(fc.oneof(fc.constantFrom('"1"', '*', 'W/"1"', '"1", "2"', ''), fc.string({ maxLength: 12 })), { nil: undefined });
const contentType = fc.constantFrom('application/json', 'application/json; charset=utf-8', 'text/plain', 'application/x-www-form-urlencoded', '');

type Route = { method: 'POST' | 'PUT' | 'DELETE'; url: (id: string) => string; withId: boolean; validation?: boolean };
const ROUTES: Route[] = [
  { method: 'POST', url: () => '/api/v1/destinations', withId: false },
  { method: 'PUT', url: (i) => `/api/v1/destinations/${i}`, withId: true },
  { method: 'DELETE', url: (i) => `/api/v1/destinations/${i}`, withId: true },
  { method: 'POST', url: (i) => `/api/v1/destinations/${i}/connection-check`, withId: true },
  { method: 'POST', url: () => '/api/v1/connection-checks', withId: false },
  // Sign-in stays rate limited here: after ten wrong passwords the rest answer 429, which keeps scrypt's 0.5 s per
  // attempt from turning 1,000 cases into minutes. Sign-out has no body to validate.
  { method: 'POST', url: () => '/api/session', withId: false },
  { method: 'DELETE', url: () => '/api/session', withId: false, validation: false },
];

/** Every table's rows: a refused request must leave them as they were. */
const snapshot = async () =>
  JSON.stringify(
    await Promise.all(['destinations', 'connection_checks', 'settings'].map((table) => t.store.db.all(`SELECT * FROM ${table} ORDER BY 1`))),
  );

describe('generated requests to every write route', () => {
  for (const route of ROUTES) {
    it(`${route.method} ${route.url(':id')}: never a 5xx, always the documented error shape, nothing changed when refused`, async () => {
      const statuses = new Set<number>();
      await fc.assert(
        fc.asyncProperty(rawPayload, id, ifMatch, contentType, async (payload, rawId, match, type) => {
          const target = route.url(rawId === 'EXISTING' ? existing.id : rawId);
          const before = await snapshot();
          // Sign-out succeeds for a request that passes the guard: it must not end the session the other cases use.
          const cookie = route.url('') === '/api/session' ? null : undefined;
          const response = await t.request({
            method: route.method,
            url: target,
            payload: payload.replaceAll('EXISTING', existing.id),
            headers: { 'content-type': type || undefined, ...(match === undefined ? {} : { 'if-match': match }) },
            ...(cookie === null ? { cookie: null } : {}),
          });
          statuses.add(response.statusCode);
          expect(response.statusCode).toBeLessThan(500);
          if (response.statusCode >= 400) {
            const answer = response.json() as { detail: unknown };
            if (response.statusCode === 422) {
              expect(Array.isArray(answer.detail)).toBe(true);
              for (const item of answer.detail as { loc: unknown[]; msg: unknown; type: unknown }[]) {
                expect(Array.isArray(item.loc) && typeof item.msg === 'string' && typeof item.type === 'string').toBe(true);
                expect(item.msg).not.toBe('Invalid input');
              }
            } else {
              expect(typeof answer.detail).toBe('string');
            }
            expect(await snapshot()).toBe(before);
          }
        }),
        { numRuns: RUNS },
      );
      // The generated requests get past the CSRF guard into validation, not only refused at the door.
      expect(statuses).toContain(403);
      if (route.validation !== false) expect(statuses).toContain(422);
    }, 120_000);
  }
});
