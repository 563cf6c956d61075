import { createHash, randomBytes, randomUUID } from 'node:crypto';
import * as client from 'openid-client';
import { parseEmail } from '#shared/email-address';
import type { SignInErrorCode } from '#shared/sign-in-errors';
import type { OidcConfig } from '../oidc-config.ts';
import { roleFromClaims } from '../oidc-config.ts';
import type { Sql } from '../store/sql.ts';
import { LastAdminError, type NewUser, type UserRecord, type UsersRepository } from '../store/users-repository.ts';

/** How long a sign-in may spend at the provider before its callback is refused. */
const LOGIN_LIFETIME_MS = 10 * 60 * 1000;
const hashLoginId = (id: string) => createHash('sha256').update(id).digest('hex');

/** A sign-in the callback refuses: `code` is what the browser is told (sign-in-errors.ts), `reason` what the log and activity keep. */
export class OidcRefusal extends Error {
  constructor(
    readonly code: SignInErrorCode,
    readonly reason: string,
    readonly account: string | null = null,
  ) {
    super(reason);
  }
}

/** Where the provider sends the browser back: registered with the provider as the redirect URI. */
export const oidcRedirectUri = (publicOrigin: string) => `${publicOrigin}/api/auth/oidc/callback`;

/**
 * Single sign-on with the authorization code flow, PKCE, `state` and `nonce`, through `openid-client` (which checks
 * the ID token's signature, `iss`, `aud`, `exp` and nonce). Users are keyed on (issuer, subject); nobody signs in
 * without a verified e-mail, which links an existing account that is not linked yet; the role comes from the claims at every
 * sign-in; a deactivated user is refused whatever the provider says.
 */
export function createOidcService(
  config: OidcConfig,
  deps: { db: Sql; users: UsersRepository; publicOrigin: string; now?: () => Date; clockSkewSeconds?: number },
) {
  const now = deps.now ?? (() => new Date());
  const redirectUri = oidcRedirectUri(deps.publicOrigin);
  const insecure = config.issuer.protocol === 'http:';
  let discovered: Promise<client.Configuration> | null = null;

  /** The provider's metadata, fetched once (and again after a failure, so a provider that was down is retried). */
  const configuration = () => {
    discovered ??= client
      .discovery(
        config.issuer,
        config.clientId,
        { client_secret: config.clientSecret, ...(deps.clockSkewSeconds ? { [client.clockSkew]: deps.clockSkewSeconds } : {}) },
        client.ClientSecretBasic(config.clientSecret),
        { execute: insecure ? [client.allowInsecureRequests] : [], timeout: 10 },
      )
      .catch((error: unknown) => {
        discovered = null;
        // Not answering, or answering as another issuer (the metadata's `issuer` must be OIDC_ISSUER exactly).
        const unreachable = error instanceof TypeError || (error as { cause?: unknown }).cause instanceof TypeError;
        throw new OidcRefusal(unreachable ? 'unreachable' : 'provider', `discovery of ${config.issuer.href} failed: ${(error as Error).message}`);
      });
    return discovered;
  };

  return {
    providerName: config.providerName,

    /** Where to send the browser, and the value of the cookie that ties the callback to this browser. */
    async start(): Promise<{ url: string; loginId: string }> {
      const provider = await configuration();
      const loginId = randomBytes(32).toString('base64url');
      const state = client.randomState();
      const nonce = client.randomNonce();
      const codeVerifier = client.randomPKCECodeVerifier();
      const at = now();
      await deps.db.run('DELETE FROM oidc_logins WHERE expires_at <= $1', [at.toISOString()]);
      await deps.db.run('INSERT INTO oidc_logins (id_hash, state, nonce, code_verifier, created_at, expires_at) VALUES ($1, $2, $3, $4, $5, $6)', [
        hashLoginId(loginId),
        state,
        nonce,
        codeVerifier,
        at.toISOString(),
        new Date(at.getTime() + LOGIN_LIFETIME_MS).toISOString(),
      ]);
      const url = client.buildAuthorizationUrl(provider, {
        redirect_uri: redirectUri,
        scope: config.scopes,
        state,
        nonce,
        code_challenge: await client.calculatePKCECodeChallenge(codeVerifier),
        code_challenge_method: 'S256',
      });
      return { url: url.href, loginId };
    },

    /**
     * The user the provider's answer signs in. `loginId` is the cookie set by start(); `search` the callback's query
     * string. The pending sign-in is spent first, so a replayed callback finds nothing.
     */
    async finish(loginId: string | undefined, search: string): Promise<UserRecord> {
      if (!loginId) throw new OidcRefusal('expired', 'no sign-in was started in this browser (no cookie)');
      const idHash = hashLoginId(loginId);
      const pending = await deps.db.get<{ state: string; nonce: string; code_verifier: string; expires_at: string }>(
        'DELETE FROM oidc_logins WHERE id_hash = $1 RETURNING state, nonce, code_verifier, expires_at',
        [idHash],
      );
      if (!pending || Date.parse(pending.expires_at) <= now().getTime()) throw new OidcRefusal('expired', 'the sign-in was used already or expired');
      const provider = await configuration();
      let claims: Record<string, unknown>;
      try {
        const tokens = await client.authorizationCodeGrant(provider, new URL(`${redirectUri}${search}`), {
          pkceCodeVerifier: pending.code_verifier,
          expectedState: pending.state,
          expectedNonce: pending.nonce,
          idTokenExpected: true,
        });
        claims = (tokens.claims() ?? {}) as Record<string, unknown>;
      } catch (error) {
        const code = (error as { code?: string }).code;
        // openid-client wraps what oauth4webapi found ("invalid response encountered"): the cause says what.
        const cause = (error as { cause?: { message?: string; code?: string } }).cause;
        const detail = [(error as Error).message, cause?.message].filter(Boolean).join(': ');
        if (/"state"/.test(detail)) throw new OidcRefusal('state', `state mismatch: ${detail}`);
        if (code === 'OAUTH_RESPONSE_BODY_ERROR' || code === 'OAUTH_AUTHORIZATION_RESPONSE_ERROR') {
          const said = (error as { error?: string }).error ?? 'error';
          throw new OidcRefusal('provider', `the provider answered ${said}: ${detail}`);
        }
        if (error instanceof TypeError) throw new OidcRefusal('unreachable', `the provider could not be reached: ${detail}`);
        throw new OidcRefusal('provider', `the provider's answer was refused (${code ?? (error as Error).name}): ${detail}`);
      }
      return signInFromClaims(claims);
    },
  };

  /**
   * The address the provider vouches for: the `email` claim, parsed by the one e-mail rule, and verified —
   * `email_verified: true` (a boolean, not the string), or from the issuer the operator trusts for e-mails.
   */
  function verifiedEmail(claims: Record<string, unknown>, who: string): { email: string; domain: string } {
    if (typeof claims.email !== 'string') throw new OidcRefusal('email_unverified', `the provider sent no e-mail for ${who}`);
    const parsed = parseEmail(claims.email);
    // What the provider sent is not an address: it is not repeated in the log (it may be anything), only its length.
    if (!parsed.ok)
      throw new OidcRefusal(
        'email_invalid',
        `the e-mail claim of ${who} is not one plain address (${claims.email.length} characters): ${parsed.problem}`,
      );
    const trusted =
      claims.email_verified === true ||
      (claims.email_verified === undefined && config.trustedEmailIssuer !== null && claims.iss === config.trustedEmailIssuer);
    if (!trusted)
      throw new OidcRefusal(
        'email_unverified',
        `${parsed.email} is not verified by the provider (email_verified: ${JSON.stringify(claims.email_verified ?? null)})`,
        parsed.email,
      );
    return parsed;
  }

  /**
   * Every refusal is decided before anything is written: an account is linked to this (issuer, subject), made, or
   * given its role only once the e-mail is verified, the account is active and the claims give a role.
   */
  async function signInFromClaims(claims: Record<string, unknown>): Promise<UserRecord> {
    const issuer = String(claims.iss);
    const subject = String(claims.sub);
    const { email, domain } = verifiedEmail(claims, `subject ${subject.slice(0, 100)}`);
    const name = typeof claims.name === 'string' ? claims.name.slice(0, 100) : '';
    const role = roleFromClaims(config, claims, domain);
    const at = now().toISOString();
    let user = await deps.users.findByOidc(issuer, subject);
    const linking = user === null;
    if (linking) {
      user = await deps.users.findByEmail(email);
      if (user?.oidc_subject) throw new OidcRefusal('email_taken', `${email} is linked to another subject`, email);
    }
    if (user?.deactivated_at) throw new OidcRefusal('deactivated', `${user.email} is deactivated`, user.email);
    if (role === null)
      throw new OidcRefusal('no_role', `no role for ${email}: no ${config.roleClaim} value is mapped, and there is no default`, user?.email ?? email);
    if (!user) {
      // Made on first sign-in, keyed by (issuer, subject), with the verified address as the rule writes it.
      const created: NewUser = { id: randomUUID(), email, name, role, password_hash: null, created_at: at, updated_at: at, deactivated_at: null };
      await deps.users.create(created).catch((error: unknown) => {
        throw new OidcRefusal('email_taken', `${created.email} could not be made: ${(error as Error).message}`, created.email);
      });
      await deps.users.linkOidc(created.id, issuer, subject, at);
      return { ...created, oidc_subject: subject };
    }
    if (linking && !(await deps.users.linkOidc(user.id, issuer, subject, at)))
      throw new OidcRefusal('email_taken', `${email} is linked to another subject`, email);
    if (user.role !== role) {
      // The provider's groups decide the role at each sign-in; the last admin is kept one rather than locked out.
      await deps.users.setRole(user.id, role, at).catch((error: unknown) => {
        if (!(error instanceof LastAdminError)) throw error;
      });
    }
    return (await deps.users.find(user.id)) ?? user;
  }
}

export type OidcService = ReturnType<typeof createOidcService>;
