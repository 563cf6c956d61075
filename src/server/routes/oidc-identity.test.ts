import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { OIDC_CLIENT_ID, OIDC_CLIENT_SECRET, startOidcProvider, type OidcProvider } from '../../../e2e/oidc/provider.ts';
import { oidcConfig } from '../oidc-config.ts';
import { sessionOf, signInAs } from '../test-support/oidc-sign-in.ts';
import { buildTestApp, TEST_ORIGIN, type TestApp } from '../test-support/test-app.ts';

// Identities only from verified e-mails: a hostile identity provider's accounts (e2e/oidc/provider.ts) against the
// app's callback. Each refusal leaves nothing written: no user, no link, no role change.
let provider: OidcProvider;
const apps: TestApp[] = [];
const base = (issuer: string, extra: Record<string, string> = {}) => ({
  OIDC_ISSUER: issuer,
  OIDC_CLIENT_ID,
  OIDC_CLIENT_SECRET,
  OIDC_SCOPES: 'openid email profile groups',
  ...extra,
});
const app = async (extra: Record<string, string>) => {
  const t = await buildTestApp({ oidc: oidcConfig(base(provider.issuer, extra)), signInRatePerMin: 1_000 });
  apps.push(t);
  return t;
};
beforeAll(async () => {
  provider = await startOidcProvider({ redirectUris: [`${TEST_ORIGIN}/api/auth/oidc/callback`] });
});
afterAll(async () => {
  for (const t of apps) await t.close();
  await provider?.close();
});

const outcome = async (t: TestApp, login: string) => String((await signInAs(t, login)).first.headers.location);
const userCount = async (t: TestApp) => Number((await t.store.db.get<{ n: number | string }>('SELECT count(*) AS n FROM users'))?.n);

describe('roles mapped from the e-mail domain (OIDC_ROLE_CLAIM=email_domain)', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await app({ OIDC_ROLE_CLAIM: 'email_domain', OIDC_ROLE_MAP: 'corp.example=editor' });
  });

  it('refuses an unverified address in the mapped domain, and makes no user', async () => {
    const before = await userCount(t);
    expect(await outcome(t, 'mallory')).toBe('/?sign_in_error=email_unverified');
    expect(await userCount(t)).toBe(before);
  });

  it('refuses an address with several @ and a quoted local part hiding an @: neither is in corp.example', async () => {
    expect(await outcome(t, 'multiat')).toBe('/?sign_in_error=email_invalid');
    expect(await outcome(t, 'quoted')).toBe('/?sign_in_error=email_invalid');
    const [entry] = await t.store.db.all<{ detail: string }>(
      "SELECT detail FROM activity_log WHERE kind = 'session.sign_in_failed' ORDER BY id DESC LIMIT 1",
    );
    expect(entry?.detail).toMatch(/not one plain address/);
    expect(entry?.detail).not.toContain('evil.example');
  });

  it('takes the role from the domain of the verified address', async () => {
    const { first } = await signInAs(t, 'ana');
    expect((await sessionOf(t, first))?.user).toMatchObject({ email: 'ana@corp.example', role: 'editor' });
    expect(await outcome(t, 'eve')).toBe('/?sign_in_error=no_role');
  });

  it('refuses email_verified sent as the string "true" (only the boolean counts)', async () => {
    expect(await outcome(t, 'stringy')).toBe('/?sign_in_error=email_unverified');
  });
});

describe('roles mapped from groups', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await app({ OIDC_ROLE_MAP: 's3-admins=admin,s3-editors=editor,s3-viewers=viewer' });
  });

  it('lets no unverified address squat a new hire’s e-mail: the admin’s invitation and the real sign-in still work', async () => {
    expect(await outcome(t, 'squatter')).toBe('/?sign_in_error=email_unverified');
    expect(await t.store.users.findByEmail('newhire@corp.example')).toBeNull();
    const invited = await t.request({ method: 'POST', url: '/api/v1/users', body: { email: 'NewHire@Corp.Example', role: 'editor' } });
    expect(invited.statusCode).toBe(201);
    expect(invited.json().user.email).toBe('NewHire@corp.example');
    // The same address in another case is the same person.
    const again = await t.request({ method: 'POST', url: '/api/v1/users', body: { email: 'newhire@corp.example', role: 'viewer' } });
    expect(again.statusCode).toBe(409);
    const { first } = await signInAs(t, 'newhire');
    expect((await sessionOf(t, first))?.user).toMatchObject({ id: invited.json().user.id, role: 'viewer' });
  });

  it('never links or touches the first admin ("admin" is not an e-mail), whatever the provider verifies', async () => {
    expect(await outcome(t, 'rootclaim')).toBe('/?sign_in_error=email_invalid');
    const admin = await t.store.users.findByEmail('admin');
    expect(admin).toMatchObject({ role: 'admin', oidc_subject: null });
  });

  it('makes no user whose e-mail reads like another actor (an API key’s label)', async () => {
    const before = await userCount(t);
    expect(await outcome(t, 'keyname')).toBe('/?sign_in_error=email_invalid');
    expect(await userCount(t)).toBe(before);
  });

  it('refuses an e-mail without email_verified unless OIDC_TRUSTED_EMAIL_ISSUER names the issuer', async () => {
    expect(await outcome(t, 'entra')).toBe('/?sign_in_error=email_unverified');
    const trusting = await app({ OIDC_ROLE_MAP: 's3-viewers=viewer', OIDC_TRUSTED_EMAIL_ISSUER: provider.issuer });
    const { first } = await signInAs(trusting, 'entra');
    expect((await sessionOf(trusting, first))?.user).toMatchObject({ email: 'entra@corp.example', role: 'viewer' });
    // Trust covers a missing claim, never an explicit "not verified".
    expect(await outcome(trusting, 'squatter')).toBe('/?sign_in_error=email_unverified');
  });

  it('links an existing account only after every refusal rule passed: a deactivated or role-less sign-in links nothing', async () => {
    const invited = await t.request({ method: 'POST', url: '/api/v1/users', body: { email: 'nora@corp.example', role: 'editor' } });
    // nora is in no mapped group: refused for want of a role, and her invited account stays unlinked and an editor.
    expect(await outcome(t, 'nora')).toBe('/?sign_in_error=no_role');
    expect(await t.store.users.find(invited.json().user.id)).toMatchObject({ oidc_subject: null, role: 'editor' });
    const alba = await t.request({ method: 'POST', url: '/api/v1/users', body: { email: 'alba@corp.example', role: 'viewer' } });
    await t.request({ method: 'POST', url: `/api/v1/users/${alba.json().user.id}/deactivate` });
    expect(await outcome(t, 'alba')).toBe('/?sign_in_error=deactivated');
    expect(await t.store.users.find(alba.json().user.id)).toMatchObject({ oidc_subject: null, role: 'viewer' });
  });
});
