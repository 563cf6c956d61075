import { Writable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { API_KEY_PREFIX } from '#shared/api-key-schemas';
import { hashApiKey } from '../security/api-keys.ts';
import { buildTestApp, createApiKey, destinationBody, requestWithKey, storedBytes, type TestApp } from '../test-support/test-app.ts';

const logLines: string[] = [];
let t: TestApp;
beforeAll(async () => {
  const logStream = new Writable({
    write(chunk, _encoding, done) {
      logLines.push(String(chunk));
      done();
    },
  });
  t = await buildTestApp({ logLevel: 'trace', checkRatePerMin: 2 }, { logStream });
});
afterAll(() => t.close());

const inAnHour = () => new Date(Date.now() + 3_600_000).toISOString();
const createDestination = async (key: string) => {
  const response = await requestWithKey(t, key, { method: 'POST', url: '/api/v1/destinations', body: destinationBody() });
  expect(response.statusCode, response.body).toBe(200);
  return response.json() as { id: string; name: string };
};

describe('creating, listing and revoking keys (the admin, signed in)', () => {
  it('shows the key once: recognisable by its prefix, stored only as a hash, never listed', async () => {
    const response = await t.request({
      method: 'POST',
      url: '/api/v1/api-keys',
      body: { name: 'Nightly export', role: 'viewer', expires_at: inAnHour() },
    });
    expect(response.statusCode, response.body).toBe(201);
    const created = response.json();
    expect(created.key).toMatch(new RegExp(`^${API_KEY_PREFIX}[A-Za-z0-9]{40}$`));
    expect(created).toMatchObject({ name: 'Nightly export', role: 'viewer', owner: 'admin', state: 'active', last_used_at: null, revoked_at: null });
    expect(created.prefix).toBe(created.key.slice(0, API_KEY_PREFIX.length + 6));
    expect(response.headers.location).toBe(`/api/v1/api-keys/${created.id}`);

    const list = await t.request({ method: 'GET', url: '/api/v1/api-keys' });
    expect(list.statusCode).toBe(200);
    expect(list.json()).toContainEqual(expect.objectContaining({ id: created.id, prefix: created.prefix }));
    expect(list.body).not.toContain(created.key);
    expect(list.body).not.toContain(hashApiKey(created.key));

    const bytes = await storedBytes(t);
    expect(bytes.includes(created.key)).toBe(false);
    expect(bytes.includes(hashApiKey(created.key))).toBe(true);
  });

  it('makes every key different and long', async () => {
    const keys = await Promise.all([1, 2, 3, 4].map(() => createApiKey(t, { role: 'viewer' })));
    expect(new Set(keys.map((k) => k.key)).size).toBe(4);
    expect(new Set(keys.map((k) => k.key.slice(0, API_KEY_PREFIX.length + 6))).size).toBe(4);
  });

  it.each([
    [{ name: '  ', role: 'viewer' }, 'name'],
    [{ name: 'x'.repeat(101), role: 'viewer' }, 'name'],
    [{ name: 'admin key', role: 'admin' }, 'role'],
    [{ name: 'past', role: 'viewer', expires_at: '2020-01-01T00:00:00Z' }, 'expires_at'],
    [{ name: 'far', role: 'viewer', expires_at: '2099-01-01T00:00:00Z' }, 'expires_at'],
    [{ name: 'no zone', role: 'viewer', expires_at: '2027-01-01T00:00:00' }, 'expires_at'],
  ])('refuses %j on the field it concerns', async (body, field) => {
    const response = await t.request({ method: 'POST', url: '/api/v1/api-keys', body });
    expect(response.statusCode, response.body).toBe(422);
    expect(response.json().detail.map((d: { loc: string[] }) => d.loc.join('.'))).toEqual([`body.${field}`]);
  });

  it('keeps names unique among live keys (regardless of case), and frees a name when its key is revoked', async () => {
    const first = await createApiKey(t, { role: 'viewer', name: 'Deploy' });
    const again = await t.request({ method: 'POST', url: '/api/v1/api-keys', body: { name: 'deploy', role: 'editor' } });
    expect(again.statusCode).toBe(409);
    expect(again.json().detail).toContain('"deploy"');
    expect((await t.request({ method: 'DELETE', url: `/api/v1/api-keys/${first.id}` })).statusCode).toBe(200);
    expect((await t.request({ method: 'POST', url: '/api/v1/api-keys', body: { name: 'deploy', role: 'editor' } })).statusCode).toBe(201);
  });

  it('revokes at once: the next request with the key is a 401 that says so; revoking again changes nothing', async () => {
    const { key, id } = await createApiKey(t, { role: 'editor', name: 'to revoke' });
    expect((await requestWithKey(t, key, { method: 'GET', url: '/api/v1/destinations' })).statusCode).toBe(200);
    const revoked = await t.request({ method: 'DELETE', url: `/api/v1/api-keys/${id}` });
    expect(revoked.statusCode).toBe(200);
    expect(revoked.json()).toMatchObject({ state: 'revoked', revoked_at: expect.any(String) });
    const refused = await requestWithKey(t, key, { method: 'GET', url: '/api/v1/destinations' });
    expect(refused.statusCode).toBe(401);
    expect(refused.json().detail).toContain('revoked');
    const twice = await t.request({ method: 'DELETE', url: `/api/v1/api-keys/${id}` });
    expect(twice.json().revoked_at).toBe(revoked.json().revoked_at);
    expect((await t.request({ method: 'DELETE', url: '/api/v1/api-keys/6f1c5a43-3a9b-4c56-8a55-0d3d7a1b2c3d' })).statusCode).toBe(404);
  });

  it('refuses an expired key (401) and lists it as expired', async () => {
    const { key, id } = await createApiKey(t, { role: 'viewer', expires_at: inAnHour() });
    await t.store.db.run('UPDATE api_keys SET expires_at = $1 WHERE id = $2', [new Date(Date.now() - 1000).toISOString(), id]);
    const refused = await requestWithKey(t, key, { method: 'GET', url: '/api/v1/destinations' });
    expect(refused.statusCode).toBe(401);
    expect(refused.json().detail).toContain('expired');
    const listed = (await t.request({ method: 'GET', url: '/api/v1/api-keys' })).json().find((k: { id: string }) => k.id === id);
    expect(listed.state).toBe('expired');
  });

  it('records who created and revoked keys, by name, never the key', async () => {
    const { key, id } = await createApiKey(t, { role: 'viewer', name: 'Audited' });
    await t.request({ method: 'DELETE', url: `/api/v1/api-keys/${id}` });
    const events = await t.request({ method: 'GET', url: '/api/v1/api-keys/activity' });
    expect(events.json()).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ kind: 'api_key.created', detail: 'Audited (viewer)', actor: 'admin' }),
        expect.objectContaining({ kind: 'api_key.revoked', detail: expect.stringContaining('Audited (s3dk_'), actor: 'admin' }),
      ]),
    );
    expect(events.body).not.toContain(key);
  });

  it('lets no key manage keys: an editor key is refused listing, creating and revoking them (403)', async () => {
    const { key, id } = await createApiKey(t, { role: 'editor' });
    for (const [method, url, body] of [
      ['GET', '/api/v1/api-keys', undefined],
      ['POST', '/api/v1/api-keys', { name: 'minted', role: 'editor' }],
      ['DELETE', `/api/v1/api-keys/${id}`, undefined],
    ] as const) {
      const response = await requestWithKey(t, key, { method, url, ...(body ? { body } : {}) });
      expect(response.statusCode, `${method} ${url}`).toBe(403);
      expect(response.json().detail).toContain('editor role');
    }
  });
});

describe('requests that present a key', () => {
  it('accepts the key as Authorization: Bearer and as unstructured-api-key, with no Origin or CSRF header', async () => {
    const { key } = await createApiKey(t, { role: 'editor' });
    const created = await createDestination(key);
    const bearer = await requestWithKey(t, key, { as: 'bearer', method: 'GET', url: `/api/v1/destinations/${created.id}` });
    expect(bearer.statusCode).toBe(200);
    expect(bearer.headers['cache-control']).toBe('no-store');
  });

  it('judges by the key alone: a bad key is a 401 even beside a valid session cookie, and a viewer key stays a viewer', async () => {
    const unknown = await requestWithKey(t, `${API_KEY_PREFIX}${'A'.repeat(40)}`, {
      method: 'GET',
      url: '/api/v1/destinations',
      headers: { cookie: t.cookie },
    });
    expect(unknown.statusCode).toBe(401);
    expect(unknown.json().detail).toContain('not known');
    const { key } = await createApiKey(t, { role: 'viewer' });
    const write = await requestWithKey(t, key, {
      method: 'POST',
      url: '/api/v1/destinations',
      body: destinationBody(),
      headers: { cookie: t.cookie, origin: t.config.publicOrigin, 'x-requested-with': 'XMLHttpRequest' },
    });
    expect(write.statusCode).toBe(403);
  });

  it.each([
    ['a scheme other than Bearer', { authorization: 'Basic YWRtaW46cGFzc3dvcmQ=' }],
    ['an empty unstructured-api-key', { 'unstructured-api-key': '' }],
    [
      'two different keys',
      { authorization: `Bearer ${API_KEY_PREFIX}${'a'.repeat(40)}`, 'unstructured-api-key': `${API_KEY_PREFIX}${'b'.repeat(40)}` },
    ],
    ['a key of a megabyte', { 'unstructured-api-key': `${API_KEY_PREFIX}${'a'.repeat(60_000)}` }],
  ])('answers 401 to %s, whatever the cookie says', async (_label, headers) => {
    const response = await t.app.inject({ method: 'GET', url: '/api/v1/destinations', headers: { ...headers, cookie: t.cookie } });
    expect(response.statusCode).toBe(401);
    expect(response.json().detail).toEqual(expect.any(String));
  });

  it('takes a bodiless POST labelled with another media type as a bodiless POST (as axios sends it), and still refuses a body that is not JSON', async () => {
    const { key } = await createApiKey(t, { role: 'editor' });
    const destination = await createDestination(key);
    const url = `/api/v1/destinations/${destination.id}/connection-check`;
    const formType = { 'content-type': 'application/x-www-form-urlencoded', 'content-length': '0' };
    expect((await requestWithKey(t, key, { method: 'POST', url, headers: formType })).statusCode).toBe(202);
    const form = await requestWithKey(t, key, {
      method: 'POST',
      url: '/api/v1/destinations',
      payload: 'name=x',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
    });
    expect(form.statusCode).toBe(403);
    expect(form.json().detail).toContain('JSON');
  });

  it('refuses every write to a viewer key (403) and serves it every read', async () => {
    const { key: editor } = await createApiKey(t, { role: 'editor' });
    const destination = await createDestination(editor);
    const check = await requestWithKey(t, editor, { method: 'POST', url: `/api/v1/destinations/${destination.id}/connection-check` });
    expect(check.statusCode, check.body).toBe(202);
    const { key } = await createApiKey(t, { role: 'viewer' });
    const writes = [
      ['POST', '/api/v1/destinations/', destinationBody()],
      ['PUT', `/api/v1/destinations/${destination.id}`, { config: { region: 'eu-west-1' } }],
      ['DELETE', `/api/v1/destinations/${destination.id}`, undefined],
      ['POST', `/api/v1/destinations/${destination.id}/connection-check`, undefined],
      ['POST', '/api/v1/connection-checks', { type: 's3', config: destinationBody().config }],
      ['POST', `/api/v1/connection-checks/${check.json().id}/cancel`, undefined],
    ] as const;
    for (const [method, url, body] of writes) {
      const response = await requestWithKey(t, key, { method, url, ...(body ? { body } : {}) });
      expect(response.statusCode, `${method} ${url}`).toBe(403);
      // The words of the permission the route declares (src/shared/permissions.ts).
      const words =
        method === 'POST' && url.includes('connection-check')
          ? 'test connectors and cancel running checks'
          : 'create, edit and delete connectors and replace credentials';
      expect(response.json().detail).toBe(`This API key has the viewer role: it cannot ${words} (that needs the editor role)`);
    }
    for (const url of [
      '/api/v1/destinations/',
      `/api/v1/destinations/${destination.id}`,
      `/api/v1/destinations/${destination.id}/connection-checks`,
      `/api/v1/connection-checks/${check.json().id}`,
    ]) {
      expect((await requestWithKey(t, key, { method: 'GET', url })).statusCode, url).toBe(200);
    }
    expect((await t.request({ method: 'GET', url: `/api/v1/destinations/${destination.id}` })).json().version).toBe(1);
  });

  it('writes without If-Match, and enforces it when a key sends it (412 on a stale version)', async () => {
    const { key } = await createApiKey(t, { role: 'editor' });
    const destination = await createDestination(key);
    const renamed = await requestWithKey(t, key, {
      method: 'PUT',
      url: `/api/v1/destinations/${destination.id}`,
      body: { name: `${destination.name}-2` },
    });
    expect(renamed.statusCode, renamed.body).toBe(200);
    expect(renamed.json().version).toBe(2);
    const stale = await requestWithKey(t, key, {
      method: 'PUT',
      url: `/api/v1/destinations/${destination.id}`,
      body: { name: 'x' },
      headers: { 'if-match': '"1"' },
    });
    expect(stale.statusCode).toBe(412);
    const deleted = await requestWithKey(t, key, { method: 'DELETE', url: `/api/v1/destinations/${destination.id}` });
    expect(deleted.statusCode).toBe(200);
  });

  it('names the key in the activity of what it did', async () => {
    const { key } = await createApiKey(t, { role: 'editor', name: 'CI pipeline' });
    const destination = await createDestination(key);
    await requestWithKey(t, key, { method: 'PUT', url: `/api/v1/destinations/${destination.id}`, body: { config: { region: 'eu-west-1' } } });
    const activity = (await t.request({ method: 'GET', url: `/api/v1/destinations/${destination.id}/activity` })).json();
    const actor = `API key "CI pipeline" (${key.slice(0, API_KEY_PREFIX.length + 6)}…)`;
    expect(activity).toEqual([
      expect.objectContaining({ kind: 'destination.updated', actor }),
      expect.objectContaining({ kind: 'destination.created', actor }),
    ]);
  });

  it('marks when a key was last used', async () => {
    const { key, id } = await createApiKey(t, { role: 'viewer' });
    const before = (await t.request({ method: 'GET', url: '/api/v1/api-keys' })).json().find((k: { id: string }) => k.id === id);
    expect(before.last_used_at).toBeNull();
    await requestWithKey(t, key, { method: 'GET', url: '/api/v1/destinations' });
    const after = (await t.request({ method: 'GET', url: '/api/v1/api-keys' })).json().find((k: { id: string }) => k.id === id);
    expect(Date.parse(after.last_used_at)).toBeGreaterThan(Date.now() - 60_000);
  });

  it('counts the check-start limit per key: one key at its limit does not stop another', async () => {
    const [{ key: first }, { key: second }] = await Promise.all([createApiKey(t, { role: 'editor' }), createApiKey(t, { role: 'editor' })]);
    const destination = await createDestination(first);
    const start = (key: string) => requestWithKey(t, key, { method: 'POST', url: `/api/v1/destinations/${destination.id}/connection-check` });
    expect((await start(first)).statusCode).toBe(202);
    expect((await start(first)).statusCode).toBe(202);
    const limited = await start(first);
    expect(limited.statusCode).toBe(429);
    expect(limited.headers['retry-after']).toBeDefined();
    expect((await start(second)).statusCode).toBe(202);
  });

  it('has no session to sign out of: DELETE /api/session with a key is refused and the cookie’s session lives on', async () => {
    const { key } = await createApiKey(t, { role: 'viewer' });
    const response = await requestWithKey(t, key, { method: 'DELETE', url: '/api/session', headers: { cookie: t.cookie } });
    expect(response.statusCode).toBe(403);
    expect((await t.request({ method: 'GET', url: '/api/session' })).json().signed_in).toBe(true);
  });

  it('never writes a key to the log, valid or not', async () => {
    const { key } = await createApiKey(t, { role: 'viewer' });
    const unknown = `${API_KEY_PREFIX}${'Z'.repeat(40)}`;
    await requestWithKey(t, key, { method: 'GET', url: '/api/v1/destinations' });
    await requestWithKey(t, unknown, { as: 'bearer', method: 'GET', url: '/api/v1/destinations' });
    const log = logLines.join('');
    expect(log).toContain('request completed');
    expect(log).not.toContain(key);
    expect(log).not.toContain(key.slice(API_KEY_PREFIX.length));
    expect(log).not.toContain(unknown);
  });
});
