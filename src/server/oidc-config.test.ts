import { describe, expect, it } from 'vitest';
import { oidcConfig, roleFromClaims } from './oidc-config.ts';

const base = {
  OIDC_ISSUER: 'https://login.example.com/realms/main',
  OIDC_CLIENT_ID: 's3-admin',
  OIDC_CLIENT_SECRET: 'secret',
  OIDC_ROLE_MAP: 's3-admins=admin,s3-editors=editor',
};

describe('OIDC settings', () => {
  it('is off without OIDC_ISSUER', () => {
    expect(oidcConfig({})).toBeNull();
  });

  it('reads the issuer, client, scopes, role claim and map, with the provider’s host as the default name', () => {
    const config = oidcConfig(base);
    expect(config).toMatchObject({
      clientId: 's3-admin',
      providerName: 'login.example.com',
      roleClaim: 'groups',
      scopes: 'openid email profile',
      defaultRole: null,
    });
    expect([...(config?.roleMap ?? [])]).toEqual([
      ['s3-admins', 'admin'],
      ['s3-editors', 'editor'],
    ]);
  });

  it.each([
    [{ OIDC_ISSUER: 'http://login.example.com' }, 'OIDC_ISSUER must be https:// (http:// only on loopback, for testing)'],
    [{ OIDC_ISSUER: 'not a url' }, "OIDC_ISSUER must be the provider's issuer URL"],
    [{ OIDC_CLIENT_ID: '' }, 'OIDC_CLIENT_ID must be set with OIDC_ISSUER'],
    [{ OIDC_CLIENT_SECRET: ' ' }, 'OIDC_CLIENT_SECRET must be set with OIDC_ISSUER'],
    [{ OIDC_ROLE_MAP: 's3-admins=owner' }, 'OIDC_ROLE_MAP entries are <claim value>=<viewer|editor|admin>'],
    [{ OIDC_ROLE_MAP: '' }, 'Set OIDC_ROLE_MAP (which group gets which role) or OIDC_DEFAULT_ROLE'],
    [{ OIDC_DEFAULT_ROLE: 'guest' }, 'OIDC_DEFAULT_ROLE must be viewer, editor, admin or none'],
    [{ OIDC_SCOPES: 'email profile' }, 'OIDC_SCOPES must include openid'],
  ])('refuses %o, naming the setting', (change, message) => {
    expect(() => oidcConfig({ ...base, ...change })).toThrow(message);
  });

  it('accepts an http:// issuer on loopback only', () => {
    expect(oidcConfig({ ...base, OIDC_ISSUER: 'http://127.0.0.1:9000' })?.issuer.href).toBe('http://127.0.0.1:9000/');
  });
});

describe('the role the claims give', () => {
  const config = oidcConfig(base)!;
  it.each([
    [{ groups: ['everyone', 's3-editors'] }, 'editor'],
    [{ groups: ['s3-editors', 's3-admins'] }, 'admin'],
    [{ groups: 's3-editors' }, 'editor'],
    [{ groups: ['everyone'] }, null],
    [{}, null],
    [{ groups: [42, { name: 's3-admins' }] }, null],
  ])('%o → %s', (claims, role) => {
    expect(roleFromClaims(config, claims, 'corp.example')).toBe(role);
  });

  it('falls back to OIDC_DEFAULT_ROLE, and reads a Google Workspace domain from hd or the e-mail', () => {
    expect(roleFromClaims(oidcConfig({ ...base, OIDC_DEFAULT_ROLE: 'viewer' })!, { groups: ['everyone'] }, 'example.com')).toBe('viewer');
    expect(
      roleFromClaims(oidcConfig({ ...base, OIDC_ROLE_CLAIM: 'hd', OIDC_ROLE_MAP: 'example.com=editor' })!, { hd: 'example.com' }, 'example.com'),
    ).toBe('editor');
    const byDomain = oidcConfig({ ...base, OIDC_ROLE_CLAIM: 'email_domain', OIDC_ROLE_MAP: 'Example.COM=viewer,bücher.example=editor' })!;
    expect(roleFromClaims(byDomain, {}, 'example.com')).toBe('viewer');
    expect(roleFromClaims(byDomain, {}, 'xn--bcher-kva.example')).toBe('editor');
    expect(roleFromClaims(byDomain, {}, 'example.com.evil.test')).toBeNull();
  });

  it('takes the domain it is given (the verified, parsed address), never the raw e-mail claim', () => {
    const byDomain = oidcConfig({ ...base, OIDC_ROLE_CLAIM: 'email_domain', OIDC_ROLE_MAP: 'corp.example=editor' })!;
    expect(roleFromClaims(byDomain, { email: 'm@corp.example@evil.example' }, 'evil.example')).toBeNull();
  });

  it('trusts e-mails without email_verified only from OIDC_ISSUER itself, named in OIDC_TRUSTED_EMAIL_ISSUER', () => {
    expect(oidcConfig(base)?.trustedEmailIssuer).toBeNull();
    expect(oidcConfig({ ...base, OIDC_TRUSTED_EMAIL_ISSUER: base.OIDC_ISSUER })?.trustedEmailIssuer).toBe(base.OIDC_ISSUER);
    expect(() => oidcConfig({ ...base, OIDC_TRUSTED_EMAIL_ISSUER: 'https://other.example' })).toThrow(
      /OIDC_TRUSTED_EMAIL_ISSUER must be OIDC_ISSUER exactly/,
    );
  });
});
