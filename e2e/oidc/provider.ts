import http from 'node:http';
import type { AddressInfo } from 'node:net';
import Provider from 'oidc-provider';

/**
 * A real OpenID Provider on loopback for the tests: the certified `oidc-provider` package, with its development login
 * page (any login name, any password: the login name picks the account below). Authorization code flow with PKCE
 * required, as a well-run provider has it.
 */
export const OIDC_CLIENT_ID = 's3-admin-tests';
export const OIDC_CLIENT_SECRET = 'a client secret of the tests, long enough to sign with';

export type OidcAccount = { email?: string; email_verified?: boolean | string; name?: string; groups?: string[]; hd?: string };

/** The people of the test provider, by login name. */
export const OIDC_ACCOUNTS: Record<string, OidcAccount> = {
  // In the editors' group, with a verified address.
  ana: { email: 'ana@corp.example', email_verified: true, name: 'Ana Lima', groups: ['s3-editors', 'everyone'] },
  // An admin by group.
  alba: { email: 'alba@corp.example', email_verified: true, name: 'Alba Admin', groups: ['s3-admins'] },
  // In no group the app maps: no role unless a default is set.
  nora: { email: 'nora@corp.example', email_verified: true, name: 'Nora Nobody', groups: ['everyone'] },
  // Claims an address the provider has not verified.
  una: { email: 'una@corp.example', email_verified: false, name: 'Una Unverified', groups: ['s3-viewers'] },
  // Hostile or careless accounts, as a provider anyone can register with would hold them.
  mallory: { email: 'mallory@corp.example', email_verified: false, name: 'Mallory', groups: [] },
  multiat: { email: 'm@corp.example@evil.example', email_verified: true, name: 'Two Ats', groups: ['s3-editors'] },
  quoted: { email: '"m@corp.example@"@evil.example', email_verified: true, name: 'Quoted', groups: ['s3-editors'] },
  squatter: { email: 'newhire@corp.example', email_verified: false, name: 'Squatter', groups: ['s3-viewers'] },
  newhire: { email: 'NewHire@Corp.Example', email_verified: true, name: 'New Hire', groups: ['s3-viewers'] },
  rootclaim: { email: 'admin', email_verified: true, name: 'Not the admin', groups: ['s3-viewers'] },
  keyname: { email: 'API key "viewer-key" (s3dk_2K1Ixp…)', email_verified: true, name: 'Key', groups: ['s3-viewers'] },
  stringy: { email: 'stringy@corp.example', email_verified: 'true', name: 'Stringy', groups: ['s3-viewers'] },
  // As Entra ID sends them: an e-mail with no email_verified claim at all.
  entra: { email: 'entra@corp.example', name: 'Entra User', groups: ['s3-viewers'] },
  eve: { email: 'eve@evil.example', email_verified: true, name: 'Eve', groups: [] },
};

export type OidcProvider = { issuer: string; port: number; close(): Promise<void> };

export async function startOidcProvider(options: {
  port?: number;
  redirectUris: string[];
  accounts?: Record<string, OidcAccount>;
}): Promise<OidcProvider> {
  const accounts = options.accounts ?? OIDC_ACCOUNTS;
  const server = http.createServer();
  await new Promise<void>((resolve) => server.listen(options.port ?? 0, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;
  const issuer = `http://127.0.0.1:${port}`;
  const provider = new Provider(issuer, {
    clients: [
      {
        client_id: OIDC_CLIENT_ID,
        client_secret: OIDC_CLIENT_SECRET,
        redirect_uris: options.redirectUris,
        grant_types: ['authorization_code'],
        response_types: ['code'],
        token_endpoint_auth_method: 'client_secret_basic',
      },
    ],
    pkce: { required: () => true },
    claims: { openid: ['sub'], email: ['email', 'email_verified'], profile: ['name'], groups: ['groups'], hd: ['hd'] },
    // Claims in the ID token itself, as Okta and Entra ID put groups there: the app reads the ID token only.
    conformIdTokenClaims: false,
    findAccount: async (_ctx, id) => ({
      accountId: id,
      claims: async () => ({ sub: id, ...(accounts[id] ?? { email: `${id}@corp.example`, email_verified: true }) }),
    }),
    cookies: { keys: ['a cookie key of the test provider'] },
    features: { devInteractions: { enabled: true } },
    ttl: { Session: 60, Interaction: 600, Grant: 600, AccessToken: 600, AuthorizationCode: 60, IdToken: 600 },
  });
  // The development login page is not for production: the provider says so on its console, which tests need not see.
  provider.on('server_error', () => undefined);
  server.on('request', provider.callback());
  return {
    issuer,
    port,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
