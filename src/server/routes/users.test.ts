import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildTestApp, createUser, isSignedIn, signIn, storedBytes, TEST_ORIGIN, TEST_PASSWORD, type TestApp } from '../test-support/test-app.ts';

let t: TestApp;
beforeAll(async () => {
  // Many link uses from one address: more than the per-minute limit that guards them in use.
  t = await buildTestApp({ signInRatePerMin: 1_000 });
});
afterAll(() => t.close());

let counter = 0;
const email = () => `person-${process.pid}-${++counter}@example.com`;
const invite = (body: Record<string, unknown>) => t.request({ method: 'POST', url: '/api/v1/users', body });
const lookup = (token: string) => t.request({ method: 'POST', url: '/api/user-links/lookup', body: { token }, cookie: null });
const use = (token: string, password = 'a password of my own choosing') =>
  t.request({ method: 'POST', url: '/api/user-links/use', body: { token, password }, cookie: null });
const tokenOf = (url: string) => new URL(url).hash.slice(1);

describe('inviting someone', () => {
  it('makes an invited user and a one-time link under PUBLIC_ORIGIN, its token in the fragment; the link signs them in once', async () => {
    const address = email();
    const response = await invite({ email: address, name: 'Ana Lima', role: 'editor' });
    expect(response.statusCode).toBe(201);
    const { user, link } = response.json();
    expect(user).toMatchObject({ email: address, name: 'Ana Lima', role: 'editor', state: 'invited', deactivated_at: null });
    expect(link.url).toMatch(new RegExp(`^${TEST_ORIGIN}/set-password#[A-Za-z0-9_-]{43}$`));
    expect(Date.parse(link.expires_at) - Date.now()).toBeGreaterThan(6.9 * 86_400_000);
    const token = tokenOf(link.url);

    expect((await lookup(token)).json()).toEqual({ purpose: 'invitation', email: address, name: 'Ana Lima', expires_at: link.expires_at });
    const used = await use(token);
    expect(used.statusCode).toBe(204);
    const cookie = `session=${used.cookies.find((c) => c.name === 'session')?.value}`;
    const session = (await t.request({ method: 'GET', url: '/api/session', cookie })).json();
    expect(session.user).toMatchObject({ id: user.id, email: address, role: 'editor' });
    expect((await t.request({ method: 'GET', url: '/api/v1/users' })).json()).toContainEqual(
      expect.objectContaining({ id: user.id, state: 'active' }),
    );

    // Spent: a second use, or a look, says so.
    expect((await use(token)).json()).toEqual({
      detail: 'This link was used already, or a newer one replaced it: sign in, or ask an admin for a new one.',
    });
    expect((await lookup(token)).statusCode).toBe(410);
    // And they sign in with the password they chose.
    expect(await signIn(t, 'a password of my own choosing', address.toUpperCase())).toMatch(/^session=/);
  });

  it('keeps only a hash of a link: its token is nowhere in the database', async () => {
    const { link } = (await invite({ email: email(), role: 'viewer' })).json();
    expect((await storedBytes(t)).includes(Buffer.from(tokenOf(link.url)))).toBe(false);
  });

  it('refuses an e-mail someone has, regardless of case, and a malformed one, on the field', async () => {
    const address = email();
    expect((await invite({ email: address, role: 'viewer' })).statusCode).toBe(201);
    const again = await invite({ email: address.toUpperCase(), role: 'viewer' });
    expect(again.statusCode).toBe(409);
    expect(again.json().detail).toContain('already has an account');
    const malformed = await invite({ email: 'not an address', role: 'viewer' });
    expect(malformed.statusCode).toBe(422);
    expect(malformed.json().detail).toEqual([
      expect.objectContaining({ loc: ['body', 'email'], msg: 'Enter one e-mail address, like ana@example.com' }),
    ]);
    const noRole = await invite({ email: email() });
    expect(noRole.json().detail).toEqual([expect.objectContaining({ loc: ['body', 'role'], msg: 'Choose Viewer, Editor or Admin' })]);
  });

  it('says an expired link has expired, an unknown one is not ours, and refuses a short password on its field', async () => {
    const { link } = (await invite({ email: email(), role: 'viewer' })).json();
    const token = tokenOf(link.url);
    const short = await use(token, 'short');
    expect(short.statusCode).toBe(422);
    expect(short.json().detail).toEqual([expect.objectContaining({ loc: ['body', 'password'], msg: 'Use at least 12 characters' })]);
    await t.store.db.run("UPDATE user_links SET expires_at = '2020-01-01T00:00:00.000Z'");
    expect((await use(token)).json()).toEqual({ detail: 'This link has expired: ask an admin for a new one.' });
    expect((await lookup('x'.repeat(43))).json()).toEqual({
      detail: 'This link is not one of ours: check that it was copied whole, or ask an admin for a new one.',
    });
  });
});

describe('managing people', () => {
  it('changes a role, which applies from the person’s next request', async () => {
    const person = await createUser(t, 'viewer');
    const write = () => t.request({ method: 'POST', url: '/api/v1/destinations', body: {}, cookie: person.cookie });
    expect((await write()).statusCode).toBe(403);
    const changed = await t.request({ method: 'PATCH', url: `/api/v1/users/${person.id}`, body: { role: 'editor' } });
    expect(changed.json()).toMatchObject({ role: 'editor', state: 'active' });
    expect((await write()).statusCode).toBe(422);
  });

  it('deactivates someone: their sessions end and links stop at once; reactivated, they sign in again', async () => {
    const person = await createUser(t, 'editor');
    const { url } = (await t.request({ method: 'POST', url: `/api/v1/users/${person.id}/link` })).json();
    const deactivated = await t.request({ method: 'POST', url: `/api/v1/users/${person.id}/deactivate` });
    expect(deactivated.json()).toMatchObject({ state: 'deactivated', deactivated_at: expect.stringMatching(/Z$/) });
    expect(await isSignedIn(t, person.cookie)).toBe(false);
    // Told why, on every request of the ended session, and by the session route the browser asks after a 401.
    for (let i = 0; i < 2; i++) {
      const refused = await t.request({ method: 'GET', url: '/api/v1/destinations', cookie: person.cookie });
      expect(refused.statusCode).toBe(401);
      expect(refused.json().detail).toBe(
        'An admin deactivated your account, which signed you out. Ask an admin to reactivate it if you still need access.',
      );
    }
    expect((await t.request({ method: 'GET', url: '/api/session', cookie: person.cookie })).json()).toMatchObject({
      signed_in: false,
      ended: 'deactivated',
    });
    // Their sessions are no one's live sessions any more.
    const sessions = (await t.request({ method: 'GET', url: '/api/v1/sessions' })).json() as { email: string }[];
    expect(sessions.some((session) => session.email === person.email)).toBe(false);
    await expect(signIn(t, TEST_PASSWORD, person.email)).rejects.toThrow(/401/);
    expect((await use(tokenOf(url))).statusCode).toBe(410);
    expect((await t.request({ method: 'POST', url: `/api/v1/users/${person.id}/link` })).statusCode).toBe(409);
    expect((await t.request({ method: 'POST', url: `/api/v1/users/${person.id}/reactivate` })).json()).toMatchObject({ state: 'active' });
    // Reactivated: the old cookie no longer says "deactivated"; it is simply no session.
    expect((await t.request({ method: 'GET', url: '/api/session', cookie: person.cookie })).json()).toMatchObject({ signed_in: false, ended: null });
    expect(await signIn(t, TEST_PASSWORD, person.email)).toMatch(/^session=/);
  });

  it('resets a password by a link that signs the person out everywhere else', async () => {
    const person = await createUser(t, 'viewer');
    const reset = await t.request({ method: 'POST', url: `/api/v1/users/${person.id}/link` });
    expect(reset.statusCode).toBe(201);
    const token = tokenOf(reset.json().url);
    expect((await lookup(token)).json()).toMatchObject({ purpose: 'password_reset', email: person.email });
    expect(Date.parse(reset.json().expires_at) - Date.now()).toBeLessThanOrEqual(24 * 3_600_000);
    expect((await use(token, 'my new password, not the old one')).statusCode).toBe(204);
    expect(await isSignedIn(t, person.cookie)).toBe(false);
    await expect(signIn(t, TEST_PASSWORD, person.email)).rejects.toThrow(/401/);
    expect(await signIn(t, 'my new password, not the old one', person.email)).toMatch(/^session=/);
  });

  it('never leaves nobody to manage the app: the last admin cannot be demoted or deactivated, nor an admin deactivate themself', async () => {
    const own = await buildTestApp();
    try {
      const admin = (await own.request({ method: 'GET', url: '/api/session' })).json().user;
      const demote = await own.request({ method: 'PATCH', url: `/api/v1/users/${admin.id}`, body: { role: 'editor' } });
      expect(demote.statusCode).toBe(409);
      expect(demote.json().detail).toBe('This is the last active admin: make someone else an admin first');
      expect((await own.request({ method: 'POST', url: `/api/v1/users/${admin.id}/deactivate` })).json().detail).toBe(
        'You cannot deactivate yourself: ask another admin',
      );
      // With a second admin, the first may step down.
      await createUser(own, 'admin');
      expect((await own.request({ method: 'PATCH', url: `/api/v1/users/${admin.id}`, body: { role: 'editor' } })).json()).toMatchObject({
        role: 'editor',
      });
    } finally {
      await own.close();
    }
  }, 30_000);

  it('leaves one admin when the last two demote each other at the same moment', async () => {
    const own = await buildTestApp();
    try {
      const first = (await own.request({ method: 'GET', url: '/api/session' })).json().user;
      const second = await createUser(own, 'admin');
      const demote = (id: string, cookie: string) => own.request({ method: 'PATCH', url: `/api/v1/users/${id}`, body: { role: 'viewer' }, cookie });
      const answers = await Promise.all([demote(second.id, own.cookie), demote(first.id, second.cookie)]);
      // One wins; the other is refused — 409 (the last admin) when both are judged together, or 403 when the winner's
      // demotion reached the loser's own role first. Either way one admin is left.
      const [won, refused] = answers.map((answer) => answer.statusCode).sort();
      expect(won).toBe(200);
      expect([403, 409]).toContain(refused);
      const admins = (await own.store.users.list()).filter((user) => user.role === 'admin');
      expect(admins).toHaveLength(1);
    } finally {
      await own.close();
    }
  }, 30_000);

  it('answers 404 for an unknown user and 422 for an id that is not one', async () => {
    expect(
      (await t.request({ method: 'PATCH', url: '/api/v1/users/6f1c5a43-3a9b-4c56-8a55-0d3d7a1b2c3d', body: { role: 'viewer' } })).statusCode,
    ).toBe(404);
    expect((await t.request({ method: 'POST', url: '/api/v1/users/nope/deactivate' })).statusCode).toBe(422);
  });

  it('records who did what: the admin by e-mail, and the person arriving', async () => {
    const person = await createUser(t, 'viewer');
    await t.request({ method: 'PATCH', url: `/api/v1/users/${person.id}`, body: { role: 'editor' } });
    const rows = await t.store.db.all<{ kind: string; actor: string; detail: string }>(
      "SELECT kind, actor, detail FROM activity_log WHERE kind LIKE 'user.%' ORDER BY id DESC LIMIT 3",
    );
    expect(rows).toEqual([
      { kind: 'user.role_changed', actor: 'admin', detail: `${person.email}: viewer → editor` },
      { kind: 'user.password_set', actor: person.email, detail: 'accepted the invitation' },
      { kind: 'user.invited', actor: 'admin', detail: `${person.email} as viewer` },
    ]);
  });
});
