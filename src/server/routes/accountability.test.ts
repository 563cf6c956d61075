import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildTestApp, createApiKey, createUser, isSignedIn, requestWithKey, signIn, TEST_PASSWORD, type TestApp } from '../test-support/test-app.ts';

let t: TestApp;
beforeAll(async () => {
  t = await buildTestApp({ signInRatePerMin: 1_000 });
});
afterAll(() => t.close());

describe('the activity of everyone (admins)', () => {
  it('names who did what, filterable by person and by kind, a page at a time', async () => {
    const person = await createUser(t, 'editor');
    const made = await t.request({
      method: 'POST',
      url: '/api/v1/destinations',
      cookie: person.cookie,
      body: {
        name: `made by ${person.email}`,
        type: 's3',
        config: { remote_url: 's3://bucket/x/', key: 'AKIAIOSFODNN7EXAMPLE', secret: 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY' },
      },
    });
    expect(made.statusCode).toBe(200);
    await t.request({
      method: 'POST',
      url: '/api/session',
      body: { email: person.email, password: 'wrong password' },
      cookie: null,
      headers: { 'x-forwarded-for': '203.0.113.9' },
    });

    const theirs = (await t.request({ method: 'GET', url: `/api/v1/activity?actor=${encodeURIComponent(person.email)}` })).json();
    expect(theirs.items.map((entry: { kind: string }) => entry.kind)).toEqual(['destination.created', 'user.password_set']);
    expect(theirs.items[0]).toMatchObject({ actor: person.email, destination_name: `made by ${person.email}`, destination_id: made.json().id });

    const signIns = (await t.request({ method: 'GET', url: '/api/v1/activity?group=sign_ins' })).json();
    expect(signIns.items.every((entry: { kind: string }) => entry.kind.startsWith('session.'))).toBe(true);
    expect(signIns.items[0]).toMatchObject({ kind: 'session.sign_in_failed', detail: `as ${person.email}`, client_address: '127.0.0.1' });

    const first = (await t.request({ method: 'GET', url: '/api/v1/activity?limit=2' })).json();
    expect(first.items).toHaveLength(2);
    const second = (await t.request({ method: 'GET', url: `/api/v1/activity?limit=2&before=${first.next_before}` })).json();
    expect(second.items[0].id).toBeLessThan(first.items[1].id);
  });

  it('names actors by kind and id, so no label can pass for another principal', async () => {
    const { key, id } = await createApiKey(t, { role: 'editor', name: 'viewer-key' });
    const body = {
      name: `made with a key ${id}`,
      type: 's3',
      config: { remote_url: 's3://bucket/k/', key: 'AKIAIOSFODNN7EXAMPLE', secret: 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY' },
    };
    expect((await requestWithKey(t, key, { method: 'POST', url: '/api/v1/destinations', body })).statusCode).toBe(200);
    const byKey = (await t.request({ method: 'GET', url: `/api/v1/activity?actor=api_key:${id}` })).json();
    expect(byKey.items).toEqual([
      expect.objectContaining({
        kind: 'destination.created',
        actor_kind: 'api_key',
        actor_id: id,
        actor: expect.stringMatching(/^API key "viewer-key" \(s3dk_/),
      }),
    ]);
    // The key's label asked for as if it were a person's e-mail finds nobody; a person's entries carry their id.
    const label = byKey.items[0].actor as string;
    expect((await t.request({ method: 'GET', url: `/api/v1/activity?actor=${encodeURIComponent(label)}` })).json().items).toEqual([]);
    const admin = await t.store.users.findByEmail('admin');
    const byAdmin = (await t.request({ method: 'GET', url: `/api/v1/activity?actor=user:${admin?.id}&limit=200` })).json();
    expect(byAdmin.items.length).toBeGreaterThan(0);
    expect(
      byAdmin.items.every((entry: { actor_kind: string; actor_id: string }) => entry.actor_kind === 'user' && entry.actor_id === admin?.id),
    ).toBe(true);
  });

  it('says which filter is wrong', async () => {
    const response = await t.request({ method: 'GET', url: '/api/v1/activity?group=everything' });
    expect(response.statusCode).toBe(422);
    expect(response.json().detail[0]).toMatchObject({ loc: ['query', 'group'], msg: 'group is one of sign_ins, people, connectors, checks' });
    const page = await t.request({ method: 'GET', url: '/api/v1/activity?before=soon&limit=1000' });
    expect(page.json().detail.map((issue: { loc: string[]; msg: string }) => [issue.loc[1], issue.msg])).toEqual([
      ['before', 'before is the next_before of the previous page (a number)'],
      ['limit', 'limit can be at most 200'],
    ]);
  });
});

describe('sessions', () => {
  it('lets a person see their own sessions, where and with what each began, and end one they do not recognise', async () => {
    const person = await createUser(t, 'viewer');
    const laptop = await signIn(t, TEST_PASSWORD, person.email);
    const listed = await t.request({ method: 'GET', url: '/api/v1/sessions', cookie: laptop });
    const sessions = listed.json() as { id: string; email: string; current: boolean; user_agent: string | null; client_address: string }[];
    expect(sessions).toHaveLength(2);
    expect(sessions.every((session) => session.email === person.email && /^[0-9a-f]{32}$/.test(session.id))).toBe(true);
    expect(sessions.filter((session) => session.current)).toHaveLength(1);
    expect(sessions[0]?.client_address).toBe('127.0.0.1');
    // Neither the token nor its stored hash is in the answer.
    expect(listed.body).not.toContain(laptop.slice('session='.length));
    const other = sessions.find((session) => !session.current)!;
    expect((await t.request({ method: 'DELETE', url: `/api/v1/sessions/${other.id}`, cookie: laptop })).statusCode).toBe(204);
    expect(await isSignedIn(t, person.cookie)).toBe(false);
    expect(await isSignedIn(t, laptop)).toBe(true);
  });

  it('keeps other people’s sessions from anyone but an admin, who sees and ends them', async () => {
    const viewer = await createUser(t, 'viewer');
    const editor = await createUser(t, 'editor');
    expect((await t.request({ method: 'GET', url: `/api/v1/sessions?user=${editor.id}`, cookie: viewer.cookie })).statusCode).toBe(403);
    const theirs = (await t.request({ method: 'GET', url: `/api/v1/sessions?user=${editor.id}` })).json() as { id: string }[];
    expect(theirs).toHaveLength(1);
    // A viewer cannot end it by its id either: for them it does not exist.
    expect((await t.request({ method: 'DELETE', url: `/api/v1/sessions/${theirs[0]?.id}`, cookie: viewer.cookie })).statusCode).toBe(404);
    expect((await t.request({ method: 'DELETE', url: `/api/v1/sessions/${theirs[0]?.id}` })).statusCode).toBe(204);
    expect(await isSignedIn(t, editor.cookie)).toBe(false);
    const all = (await t.request({ method: 'GET', url: '/api/v1/sessions?user=all' })).json() as { email: string }[];
    expect(new Set(all.map((session) => session.email)).size).toBeGreaterThan(1);
  });

  it('tells an API key it has no sessions', async () => {
    const { key } = await createApiKey(t, { role: 'viewer' });
    const response = await requestWithKey(t, key, { method: 'GET', url: '/api/v1/sessions' });
    expect(response.statusCode).toBe(403);
    expect(response.json().detail).toBe('Sessions are signed-in people’s: an API key has none');
  });
});
