import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { randomUUID } from 'node:crypto';
import path from 'node:path';
import { migrate } from '../store/db.ts';
import { DATABASE_FILE } from '../store/index.ts';
import { openPostgres, openSqlite } from '../store/sql.ts';
import {
  buildTestApp,
  destinationBody,
  freshSchema,
  isSignedIn,
  ON_POSTGRES,
  requestWithKey,
  signIn,
  tempDataDir,
  TEST_ORIGIN,
  TEST_PASSWORD,
  type TestApp,
} from '../test-support/test-app.ts';
import { generateApiKey, hashApiKey } from './api-keys.ts';
import { ensureFirstAdmin } from './first-admin.ts';
import { hashPassword } from './password.ts';
import { hashToken } from './sessions.ts';
import { PUBLIC_API_ROUTES } from '../test-support/public-routes.ts';

let t: TestApp;
beforeAll(async () => {
  t = await buildTestApp();
});
afterAll(() => t.close());

const SAMPLE_ID = '6f1c5a43-3a9b-4c56-8a55-0d3d7a1b2c3d';

describe('sign-in is required everywhere under /api', () => {
  it('marks exactly the health check, sign-in, one-time links and single sign-on as public', () => {
    const publicRoutes = t.app.routeTable.filter((r) => r.context === 'public-api').map((r) => `${r.method} ${r.url}`);
    expect(publicRoutes.sort()).toEqual([...PUBLIC_API_ROUTES].sort());
  });

  it('answers 401 on every other registered /api route without a session (walking the route table)', async () => {
    const routes = t.app.routeTable.filter((r) => r.context === 'protected-api');
    expect(routes.length).toBeGreaterThanOrEqual(8);
    for (const route of routes) {
      const url = route.url.replace(/:[a-z_]+/g, SAMPLE_ID);
      const hasBody = route.method === 'POST' || route.method === 'PUT';
      const response = await t.request({
        method: route.method as 'GET',
        url,
        cookie: null,
        ...(hasBody ? { body: {} } : {}),
      });
      expect(response.statusCode, `${route.method} ${route.url}`).toBe(401);
      if (route.method !== 'HEAD')
        expect(response.json(), `${route.method} ${route.url}`).toEqual({ detail: 'Sign in to use the API, or send an API key' });
    }
  });

  it('answers 401 for a made-up session cookie', async () => {
    const response = await t.request({ method: 'GET', url: '/api/v1/destinations', cookie: 'session=forged' });
    expect(response.statusCode).toBe(401);
  });

  it('answers the health check without a session', async () => {
    const response = await t.request({ method: 'GET', url: '/api/health', cookie: null });
    expect(response.statusCode).toBe(200);
    expect(response.json()).toEqual({ status: 'ok' });
  });

  it('answers 401 rather than 404 for unknown /api paths without a session', async () => {
    expect((await t.request({ method: 'GET', url: '/api/v1/nothing', cookie: null })).statusCode).toBe(401);
    expect((await t.request({ method: 'GET', url: '/api/v1/nothing' })).statusCode).toBe(404);
  });
});

describe('CSRF: state-changing requests come from the app’s own page (403 before 401)', () => {
  const body = destinationBody();
  it.each<[string, Record<string, string | undefined>]>([
    ['a foreign Origin', { origin: 'https://evil.example' }],
    ['a look-alike Origin', { origin: `${TEST_ORIGIN}.evil.example` }],
    ['the null Origin of a sandboxed page', { origin: 'null' }],
    ['Sec-Fetch-Site cross-site without Origin', { origin: undefined, 'sec-fetch-site': 'cross-site' }],
    ['Sec-Fetch-Site same-site without Origin', { origin: undefined, 'sec-fetch-site': 'same-site' }],
    ['no X-Requested-With', { 'x-requested-with': undefined }],
    ['a wrong X-Requested-With', { 'x-requested-with': 'fetch' }],
  ])('refuses %s, signed in or not', async (_case, headers) => {
    for (const cookie of [undefined, null]) {
      const response = await t.request({ method: 'POST', url: '/api/v1/destinations', body, cookie, headers });
      expect(response.statusCode).toBe(403);
      expect(typeof response.json().detail).toBe('string');
    }
  });

  it.each([
    ['text/plain', 'name=x'],
    ['application/x-www-form-urlencoded', 'name=x&type=s3'],
    ['multipart/form-data; boundary=x', '--x\r\nContent-Disposition: form-data; name="name"\r\n\r\nx\r\n--x--'],
  ])('refuses a %s body, as a cross-site form post would send', async (type, payload) => {
    const response = await t.request({ method: 'POST', url: '/api/v1/destinations', payload, headers: { 'content-type': type } });
    expect(response.statusCode).toBe(403);
    expect(response.json().detail).toContain('JSON');
  });

  it('refuses a foreign sign-in (login CSRF) and a foreign sign-out', async () => {
    const headers = { origin: 'https://evil.example' };
    expect(
      (await t.request({ method: 'POST', url: '/api/session', body: { email: 'admin', password: 'x' }, headers, cookie: null })).statusCode,
    ).toBe(403);
    expect((await t.request({ method: 'DELETE', url: '/api/session', headers })).statusCode).toBe(403);
  });

  it('accepts a non-browser client that sends neither Origin nor Sec-Fetch-Site but carries the header', async () => {
    const response = await t.request({ method: 'POST', url: '/api/v1/destinations', body, headers: { origin: undefined } });
    expect(response.statusCode).toBe(200);
  });

  it('leaves reads alone: a GET needs no CSRF header', async () => {
    const response = await t.request({ method: 'GET', url: '/api/v1/destinations', headers: { 'x-requested-with': undefined, origin: undefined } });
    expect(response.statusCode).toBe(200);
  });
});

describe('sessions', () => {
  it('refuses a wrong password and an unknown e-mail alike, with 401 and no cookie: the answer does not say who has an account', async () => {
    for (const body of [
      { email: 'admin', password: 'wrong' },
      { email: 'nobody@example.com', password: TEST_PASSWORD },
      { email: 'ADMIN', password: 'wrong' },
    ]) {
      const response = await t.request({ method: 'POST', url: '/api/session', body, cookie: null });
      expect(response.statusCode).toBe(401);
      expect(response.json()).toEqual({ detail: 'That e-mail and password do not match an active account' });
      expect(response.headers['set-cookie']).toBeUndefined();
    }
  });

  it('compares e-mails regardless of case', async () => {
    const response = await t.request({ method: 'POST', url: '/api/session', body: { email: 'Admin', password: TEST_PASSWORD }, cookie: null });
    expect(response.statusCode).toBe(204);
  });

  it('answers 422 on each field that is missing', async () => {
    const response = await t.request({ method: 'POST', url: '/api/session', body: {}, cookie: null });
    expect(response.statusCode).toBe(422);
    expect(response.json().detail.map((issue: { loc: string[] }) => issue.loc)).toEqual([
      ['body', 'email'],
      ['body', 'password'],
    ]);
  });

  it('sets an HttpOnly, SameSite=Strict cookie for the whole app, not Secure on http', async () => {
    const response = await t.request({
      method: 'POST',
      url: '/api/session',
      body: { email: 'admin', password: 'correct horse battery staple' },
      cookie: null,
    });
    const cookie = response.cookies.find((c) => c.name === 'session');
    expect(cookie).toMatchObject({ httpOnly: true, sameSite: 'Strict', path: '/' });
    expect(cookie?.secure).toBeFalsy();
  });

  it('tells a caller who is not signed in so, with 200: a signed-out page load is not an error', async () => {
    for (const cookie of [null, 'session=forged']) {
      const response = await t.request({ method: 'GET', url: '/api/session', cookie });
      expect(response.statusCode).toBe(200);
      expect(response.json()).toEqual({ signed_in: false, sign_in: { password: true, oidc: null }, ended: null });
      expect(response.headers['cache-control']).toBe('no-store');
    }
  });

  it('tells who is signed in, with the session expiry and server settings', async () => {
    const response = await t.request({ method: 'GET', url: '/api/session' });
    expect(response.statusCode).toBe(200);
    expect(response.json()).toEqual({
      signed_in: true,
      expires_at: expect.stringMatching(/Z$/),
      user: { id: expect.any(String), email: 'admin', name: 'Admin', role: 'admin' },
      settings: { ambient_credentials_allowed: false, iam_roles_allowed: false },
      sign_in: { password: true, oidc: null },
    });
  });

  it('signs out: the cookie is cleared and the old token no longer works', async () => {
    const cookie = await signIn(t);
    const response = await t.request({ method: 'DELETE', url: '/api/session', cookie });
    expect(response.statusCode).toBe(204);
    expect(response.cookies.find((c) => c.name === 'session')?.value).toBe('');
    expect(await isSignedIn(t, cookie)).toBe(false);
    expect((await t.request({ method: 'GET', url: '/api/v1/destinations', cookie })).statusCode).toBe(401);
  });

  it('issues a new session id at sign-in and ends the one sent along', async () => {
    const before = await signIn(t);
    const response = await t.request({
      method: 'POST',
      url: '/api/session',
      body: { email: 'admin', password: 'correct horse battery staple' },
      cookie: before,
    });
    const after = `session=${response.cookies.find((c) => c.name === 'session')?.value}`;
    expect(after).not.toBe(before);
    expect(await isSignedIn(t, before)).toBe(false);
    expect(await isSignedIn(t, after)).toBe(true);
  });

  it('stores only a hash of the session token', async () => {
    const token = t.cookie.replace('session=', '');
    const rows = (await t.store.db.all<{ token_hash: string }>('SELECT token_hash FROM sessions')).map((row) => row.token_hash);
    expect(rows.length).toBeGreaterThan(0);
    expect(rows).not.toContain(token);
  });
});

describe('session lifetime', () => {
  it('upgrades the single admin of an earlier version to the first admin user: same password, sessions and API keys', async () => {
    // A database as the version before users left it: its admin password hash, a signed-in session, a key the admin made.
    const dataDir = tempDataDir();
    const databaseUrl = ON_POSTGRES ? await freshSchema() : null;
    const old = databaseUrl ? openPostgres(databaseUrl) : openSqlite(path.join(dataDir, DATABASE_FILE));
    await migrate(old, '009-api-keys.sql');
    const at = new Date().toISOString();
    const sessionToken = 'a-session-token-from-before-the-upgrade';
    const apiKey = generateApiKey();
    await old.run('INSERT INTO settings (key, value) VALUES ($1, $2)', ['admin_password_hash', await hashPassword(TEST_PASSWORD)]);
    await old.run('INSERT INTO sessions (token_hash, created_at, last_seen_at, expires_at) VALUES ($1, $2, $2, $3)', [
      hashToken(sessionToken),
      at,
      new Date(Date.now() + 3_600_000).toISOString(),
    ]);
    await old.run(
      "INSERT INTO api_keys (id, name, key_hash, prefix, role, owner, created_at) VALUES ($1, 'deploy script', $2, $3, 'editor', 'admin', $4)",
      [randomUUID(), hashApiKey(apiKey), apiKey.slice(0, 11), at],
    );
    await old.close();

    const upgraded = await buildTestApp({ dataDir, databaseUrl });
    try {
      const admin = await upgraded.store.users.findByEmail('admin');
      expect(admin).toMatchObject({ role: 'admin', deactivated_at: null });
      expect(await isSignedIn(upgraded, `session=${sessionToken}`)).toBe(true);
      // Signed in by the same password (buildTestApp signed in with it already), as "admin".
      const session = (await upgraded.request({ method: 'GET', url: '/api/session' })).json();
      expect(session.user).toMatchObject({ email: 'admin', role: 'admin' });
      expect((await requestWithKey(upgraded, apiKey, { method: 'GET', url: '/api/v1/destinations' })).statusCode).toBe(200);
      const keys = (await upgraded.request({ method: 'GET', url: '/api/v1/api-keys' })).json() as { owner: string }[];
      expect(keys.map((key) => key.owner)).toEqual(['admin']);
      expect(await upgraded.store.settings.get('admin_password_hash')).toBeNull();
    } finally {
      await upgraded.close();
    }
  }, 60_000);

  it('uses ADMIN_PASSWORD only to create the first admin: a later value changes nothing and signs nobody out', async () => {
    const own = await buildTestApp();
    try {
      const before = await signIn(own);
      const again = await ensureFirstAdmin(own.store, { email: 'admin', password: 'a different admin password' }, () => undefined);
      expect(again).toEqual({ source: 'existing', ignoredPassword: true });
      expect(await isSignedIn(own, before)).toBe(true);
      await expect(signIn(own, 'a different admin password')).rejects.toThrow(/401/);
      expect(await signIn(own)).toMatch(/^session=/);
    } finally {
      await own.close();
    }
  }, 30_000);

  it('removes expired sessions from the store when the app starts', async () => {
    const first = await buildTestApp();
    const past = new Date(Date.now() - 60_000).toISOString();
    const admin = (await first.store.users.findByEmail('admin'))!;
    await first.store.sessions.create({ token_hash: 'expired-session', user_id: admin.id, created_at: past, last_seen_at: past, expires_at: past });
    await first.close({ keepData: true });
    const second = await buildTestApp({ dataDir: first.config.dataDir, databaseUrl: first.config.databaseUrl }, { key: first.key });
    try {
      expect(await second.store.sessions.find('expired-session')).toBeNull();
    } finally {
      await second.close();
    }
  });

  it('counts connection checks per principal, so signing in again does not reset CHECK_RATE_PER_MIN', async () => {
    const limited = await buildTestApp({ checkRatePerMin: 2 });
    try {
      const start = (cookie: string) =>
        limited.request({ method: 'POST', url: '/api/v1/connection-checks', body: destinationBody({ remote_url: 's3://rate-bucket/x/' }), cookie });
      expect((await start(limited.cookie)).statusCode).toBe(202);
      expect((await start(limited.cookie)).statusCode).toBe(202);
      const fresh = await signIn(limited);
      const refused = await start(fresh);
      expect(refused.statusCode).toBe(429);
      expect(refused.json().detail).toMatch(/^Too many connection checks: wait \d+ s and try again$/);
    } finally {
      await limited.close();
    }
  }, 30_000);
});

describe('behind https', () => {
  it('marks the cookie Secure when PUBLIC_ORIGIN is https', async () => {
    const secure = await buildTestApp({ publicOrigin: 'https://s3-admin.example.com' });
    try {
      const response = await secure.app.inject({
        method: 'POST',
        url: '/api/session',
        headers: { origin: 'https://s3-admin.example.com', 'x-requested-with': 'XMLHttpRequest', 'content-type': 'application/json' },
        payload: JSON.stringify({ email: 'admin', password: 'correct horse battery staple' }),
      });
      expect(response.cookies.find((c) => c.name === 'session')?.secure).toBe(true);
    } finally {
      await secure.close();
    }
  });
});

describe('sign-in attempts are limited', () => {
  it('answers 429 with Retry-After after 10 attempts a minute from one address, even for the right password', async () => {
    const limited = await buildTestApp();
    try {
      const attempt = (password: string) =>
        limited.request({ method: 'POST', url: '/api/session', body: { email: 'admin', password }, cookie: null });
      // The harness signed in once: that was the first of the ten.
      for (let i = 0; i < 9; i++) expect((await attempt(`wrong ${i}`)).statusCode).toBe(401);
      const refused = await attempt('correct horse battery staple');
      expect(refused.statusCode).toBe(429);
      expect(Number(refused.headers['retry-after'])).toBeGreaterThan(0);
      expect(refused.json().detail).toMatch(/^Too many sign-in attempts: wait \d+ s and try again$/);
    } finally {
      await limited.close();
    }
    // Each attempt verifies a scrypt hash (~0.5 s here): eleven take a while on a 2-core machine.
  }, 30_000);

  // A limit of 3 keeps the scrypt work (≈0.5 s a password) of these tests small; the default 10 is tested above.
  it('counts a burst before checking any password: 40 at once from one address, 1 checked (one place per address) under a limit of 3', async () => {
    const limited = await buildTestApp({ signInRatePerMin: 3 });
    try {
      const answers = await Promise.all(
        Array.from({ length: 40 }, (_, i) =>
          limited.request({ method: 'POST', url: '/api/session', body: { email: 'admin', password: `wrong ${i}` }, cookie: null }),
        ),
      );
      const statuses = answers.map((a) => a.statusCode);
      expect(statuses.filter((s) => s === 401)).toHaveLength(1);
      expect(statuses.filter((s) => s === 429)).toHaveLength(39);
      for (const refused of answers.filter((a) => a.statusCode === 429)) {
        expect(Number(refused.headers['retry-after'])).toBeGreaterThan(0);
        expect(refused.headers['content-security-policy']).toBeDefined();
      }
      // Each failure is on record with where it came from.
      const failures = (await limited.store.activity.sessionEvents()).filter((e) => e.kind === 'session.sign_in_failed');
      expect(failures).toHaveLength(1);
      expect(failures.every((e) => e.client_address === '127.0.0.1')).toBe(true);
    } finally {
      await limited.close();
    }
  }, 60_000);

  it('shares the password checks fairly: addresses each within their limit cannot crowd out other people’s sign-ins', async () => {
    const proxied = await buildTestApp({ trustProxy: 1 });
    try {
      const signIn = (from: string, password: string) =>
        proxied.request({
          method: 'POST',
          url: '/api/session',
          body: { email: 'admin', password },
          cookie: null,
          headers: { 'x-forwarded-for': from },
        });
      // 12 addresses, each sending 3 attempts at once (within its own per-minute limit), then 3 real sign-ins.
      const flood = Array.from({ length: 12 }, (_, a) => Array.from({ length: 3 }, (_, i) => signIn(`198.51.100.${a + 1}`, `wrong ${i}`))).flat();
      const real = ['203.0.113.7', '203.0.113.8', '2001:db8:7::1'].map((from) => signIn(from, TEST_PASSWORD));
      const [flooded, people] = await Promise.all([Promise.all(flood), Promise.all(real)]);
      expect(people.map((answer) => answer.statusCode)).toEqual([204, 204, 204]);
      // One place per address: each address had one attempt checked, its others told to wait for it.
      expect(flooded.filter((a) => a.statusCode === 401)).toHaveLength(12);
      const refused = flooded.filter((a) => a.statusCode === 429);
      expect(refused).toHaveLength(24);
      expect(refused[0]?.json().detail).toBe('A sign-in from your address is being checked: wait 1 s and try again');
      expect(refused[0]?.headers['retry-after']).toBe('1');
    } finally {
      await proxied.close();
    }
  }, 120_000);
});

describe('security headers', () => {
  it('sends a strict Content Security Policy and the usual hardening headers', async () => {
    const response = await t.request({ method: 'GET', url: '/api/health', cookie: null });
    const csp = String(response.headers['content-security-policy']);
    for (const directive of ["default-src 'self'", "script-src 'self'", "object-src 'none'", "frame-ancestors 'none'", "base-uri 'none'"]) {
      expect(csp).toContain(directive);
    }
    expect(csp).not.toMatch(/script-src[^;]*'unsafe-inline'/);
    expect(csp).not.toContain('upgrade-insecure-requests');
    expect(response.headers).toMatchObject({
      'x-content-type-options': 'nosniff',
      'referrer-policy': 'no-referrer',
      'x-frame-options': 'DENY',
      'cache-control': 'no-store',
    });
    expect(response.headers['strict-transport-security']).toBeUndefined();
  });
});

describe('TRUST_PROXY', () => {
  const fail = async (app: TestApp, from: string, times: number) => {
    for (let i = 0; i < times; i++) {
      const response = await app.request({
        method: 'POST',
        url: '/api/session',
        body: { email: 'admin', password: `wrong ${i}` },
        cookie: null,
        headers: { 'x-forwarded-for': from },
      });
      expect(response.statusCode).toBe(401);
    }
  };
  const attemptFrom = (app: TestApp, from: string) =>
    app.request({
      method: 'POST',
      url: '/api/session',
      body: { email: 'admin', password: 'wrong again' },
      cookie: null,
      headers: { 'x-forwarded-for': from },
    });

  it('on: the client address comes from X-Forwarded-For, so one client’s failures do not lock out another', async () => {
    const proxied = await buildTestApp({ trustProxy: 1, signInRatePerMin: 3 });
    try {
      await fail(proxied, '203.0.113.1', 3);
      expect((await attemptFrom(proxied, '203.0.113.1')).statusCode).toBe(429);
      expect((await attemptFrom(proxied, '203.0.113.2')).statusCode).toBe(401);
    } finally {
      await proxied.close();
    }
  }, 60_000);

  it('off: X-Forwarded-For is ignored, so a client cannot dodge the limit by inventing addresses', async () => {
    const direct = await buildTestApp({ trustProxy: false, signInRatePerMin: 3 });
    try {
      // The harness's own sign-in, from the same socket address, was the first of the three.
      await fail(direct, '203.0.113.1', 2);
      expect((await attemptFrom(direct, '203.0.113.2')).statusCode).toBe(429);
    } finally {
      await direct.close();
    }
  }, 60_000);
});
