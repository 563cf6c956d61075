import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { OIDC_CLIENT_ID, OIDC_CLIENT_SECRET, startOidcProvider, type OidcProvider } from '../../../e2e/oidc/provider.ts';
import { oidcConfig } from '../oidc-config.ts';
import { createOidcService, OidcRefusal } from '../security/oidc.ts';
import { sessionOf as sessionOfResponse, signInAs as signInThroughProvider, throughProvider } from '../test-support/oidc-sign-in.ts';
import { buildTestApp, TEST_ORIGIN, type TestApp } from '../test-support/test-app.ts';

// Single sign-on against a real OpenID Provider on loopback (oidc-provider), driven as a browser would: the app's
// start, the provider's own login and consent pages, the provider's redirect back to the app's callback.
let provider: OidcProvider;
let t: TestApp;
const env = (issuer: string) => ({
  OIDC_ISSUER: issuer,
  OIDC_CLIENT_ID,
  OIDC_CLIENT_SECRET,
  OIDC_PROVIDER_NAME: 'Corp SSO',
  OIDC_ROLE_MAP: 's3-admins=admin,s3-editors=editor,s3-viewers=viewer',
  OIDC_SCOPES: 'openid email profile groups',
});
beforeAll(async () => {
  provider = await startOidcProvider({ redirectUris: [`${TEST_ORIGIN}/api/auth/oidc/callback`] });
  t = await buildTestApp({ oidc: oidcConfig(env(provider.issuer)), signInRatePerMin: 1_000 });
});
afterAll(async () => {
  await t?.close();
  await provider?.close();
});

const signInAs = (login: string, tamper?: (callback: URL) => void) => signInThroughProvider(t, login, tamper);
const sessionOf = (response: { cookies: { name: string; value: string }[] }) => sessionOfResponse(t, response);

describe('single sign-on through an OpenID Provider', () => {
  it('says how one may sign in before anyone is signed in', async () => {
    const response = await t.request({ method: 'GET', url: '/api/session', cookie: null });
    expect(response.json()).toEqual({ signed_in: false, sign_in: { password: true, oidc: { name: 'Corp SSO' } }, ended: null });
  });

  it('sends the browser to the provider with PKCE, state and nonce', async () => {
    const start = await t.request({ method: 'GET', url: '/api/auth/oidc/start', cookie: null });
    const url = new URL(String(start.headers.location));
    expect(url.origin).toBe(provider.issuer);
    expect(Object.fromEntries(url.searchParams)).toMatchObject({
      client_id: OIDC_CLIENT_ID,
      response_type: 'code',
      redirect_uri: `${TEST_ORIGIN}/api/auth/oidc/callback`,
      code_challenge_method: 'S256',
      scope: 'openid email profile groups',
    });
    for (const name of ['state', 'nonce', 'code_challenge']) expect(url.searchParams.get(name)?.length, name).toBeGreaterThanOrEqual(22);
  });

  it('signs in someone new by their group’s role, keyed by issuer and subject, and records it', async () => {
    const { first } = await signInAs('ana');
    expect(first.statusCode).toBe(303);
    expect(first.headers.location).toBe('/destinations');
    expect((await sessionOf(first))?.user).toMatchObject({ email: 'ana@corp.example', name: 'Ana Lima', role: 'editor' });
    const ana = await t.store.users.findByEmail('ana@corp.example');
    expect(await t.store.users.findByOidc(provider.issuer, 'ana')).toMatchObject({ id: ana?.id, password_hash: null });
    const [entry] = await t.store.db.all<{ kind: string; actor: string; detail: string }>(
      "SELECT kind, actor, detail FROM activity_log WHERE kind = 'session.signed_in' ORDER BY id DESC LIMIT 1",
    );
    expect(entry).toEqual({ kind: 'session.signed_in', actor: 'ana@corp.example', detail: 'with Corp SSO' });
  });

  it('refuses a replayed callback: the sign-in it belonged to is spent', async () => {
    const { first, again } = await signInAs('ana');
    expect(first.headers.location).toBe('/destinations');
    const replayed = await again();
    expect(replayed.headers.location).toBe('/?sign_in_error=expired');
    expect(replayed.cookies.find((c) => c.name === 'session')).toBeUndefined();
  });

  it('refuses a callback whose state is not the one sent, with an activity entry', async () => {
    const { first } = await signInAs('ana', (callback) => callback.searchParams.set('state', 'not-the-state-we-sent'));
    const [latest] = await t.store.db.all<{ detail: string }>(
      "SELECT detail FROM activity_log WHERE kind = 'session.sign_in_failed' ORDER BY id DESC LIMIT 1",
    );
    expect(first.headers.location, latest?.detail).toBe('/?sign_in_error=state');
    const [entry] = await t.store.db.all<{ detail: string; client_address: string }>(
      "SELECT detail, client_address FROM activity_log WHERE kind = 'session.sign_in_failed' ORDER BY id DESC LIMIT 1",
    );
    expect(entry?.detail).toMatch(/^with Corp SSO: state mismatch/);
    expect(entry?.client_address).toBe('127.0.0.1');
  });

  it('refuses someone whose groups give no role, and a deactivated user whatever the provider says', async () => {
    expect((await signInAs('nora')).first.headers.location).toBe('/?sign_in_error=no_role');
    expect(await t.store.users.findByEmail('nora@corp.example')).toBeNull();
    const ana = (await t.store.users.findByEmail('ana@corp.example')) ?? (await signInAs('ana'), await t.store.users.findByEmail('ana@corp.example'));
    await t.store.users.deactivate(ana!.id, new Date().toISOString());
    expect((await signInAs('ana')).first.headers.location).toBe('/?sign_in_error=deactivated');
    await t.store.users.reactivate(ana!.id, new Date().toISOString());
  });

  it('links an invited account by a verified e-mail, and never by an unverified one', async () => {
    const invited = await t.request({ method: 'POST', url: '/api/v1/users', body: { email: 'ALBA@corp.example', role: 'viewer' } });
    const { first } = await signInAs('alba');
    expect((await sessionOf(first))?.user).toMatchObject({ id: invited.json().user.id, role: 'admin' });
    await t.request({ method: 'POST', url: '/api/v1/users', body: { email: 'una@corp.example', role: 'viewer' } });
    expect((await signInAs('una')).first.headers.location).toBe('/?sign_in_error=email_unverified');
  });

  it('refuses an expired ID token (a client clock two hours ahead of the provider’s)', async () => {
    const oidc = createOidcService(oidcConfig(env(provider.issuer))!, {
      db: t.store.db,
      users: t.store.users,
      publicOrigin: TEST_ORIGIN,
      clockSkewSeconds: 2 * 3600,
    });
    const { url, loginId } = await oidc.start();
    const callback = await throughProvider(url, 'ana');
    const refused = await oidc.finish(loginId, callback.search).catch((error: unknown) => error);
    expect(refused).toBeInstanceOf(OidcRefusal);
    expect(refused).toMatchObject({ code: 'provider' });
    expect((refused as OidcRefusal).reason).toMatch(/OAUTH_JWT_TIMESTAMP_CHECK_FAILED/);
  });

  it('refuses a provider that answers as another issuer (wrong iss)', async () => {
    const oidc = createOidcService(oidcConfig(env(provider.issuer.replace('127.0.0.1', 'localhost')))!, {
      db: t.store.db,
      users: t.store.users,
      publicOrigin: TEST_ORIGIN,
    });
    await expect(oidc.start()).rejects.toMatchObject({ code: 'provider' });
  });

  it('lets an admin turn the password form off once single sign-on is set up; a password sign-in is then refused', async () => {
    expect((await t.request({ method: 'PUT', url: '/api/v1/settings/sign-in', body: { password_sign_in: false } })).statusCode).toBe(200);
    expect((await t.request({ method: 'GET', url: '/api/session', cookie: null })).json().sign_in).toEqual({
      password: false,
      oidc: { name: 'Corp SSO' },
    });
    const refused = await t.request({ method: 'POST', url: '/api/session', body: { email: 'admin', password: 'whatever' }, cookie: null });
    expect(refused.statusCode).toBe(403);
    expect(refused.json().detail).toBe('Password sign-in is turned off here: sign in with Corp SSO');
    expect((await t.request({ method: 'PUT', url: '/api/v1/settings/sign-in', body: { password_sign_in: true } })).statusCode).toBe(200);
  });
});

describe('single sign-on under a flood', () => {
  it('counts starts and callbacks per address, and past the limit writes nothing more', async () => {
    const limited = await buildTestApp({ oidc: oidcConfig(env(provider.issuer)), signInRatePerMin: 2 });
    try {
      const before = await limited.store.db.all('SELECT id FROM activity_log');
      const answers: string[] = [];
      for (let i = 0; i < 6; i++) {
        answers.push(
          String((await limited.request({ method: 'GET', url: '/api/auth/oidc/callback?code=x&state=y', cookie: null })).headers.location),
        );
      }
      expect(answers).toEqual([...Array(4).fill('/?sign_in_error=expired'), '/?sign_in_error=too_many', '/?sign_in_error=too_many']);
      const after = await limited.store.db.all('SELECT id FROM activity_log');
      expect(after.length - before.length).toBe(4);
      expect(String((await limited.request({ method: 'GET', url: '/api/auth/oidc/start', cookie: null })).headers.location)).toBe(
        '/?sign_in_error=too_many',
      );
    } finally {
      await limited.close();
    }
  });
});

describe('without single sign-on', () => {
  it('keeps the password form on, and says the start of a sign-on is not set up', async () => {
    const plain = await buildTestApp();
    try {
      expect((await plain.request({ method: 'GET', url: '/api/session', cookie: null })).json()).toEqual({
        signed_in: false,
        sign_in: { password: true, oidc: null },
        ended: null,
      });
      const off = await plain.request({ method: 'PUT', url: '/api/v1/settings/sign-in', body: { password_sign_in: false } });
      expect(off.statusCode).toBe(409);
      expect((await plain.request({ method: 'GET', url: '/api/auth/oidc/start', cookie: null })).headers.location).toBe('/?sign_in_error=off');
    } finally {
      await plain.close();
    }
  });
});
