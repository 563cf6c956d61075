import { parseEmail } from '#shared/email-address';
import { USER_ROLES, type UserRole } from '#shared/roles';

/** Single sign-on through an OpenID Provider, from OIDC_* settings; null when OIDC_ISSUER is not set. */
export type OidcConfig = {
  issuer: URL;
  clientId: string;
  clientSecret: string;
  /** What the button says: "Sign in with <name>". */
  providerName: string;
  /** The ID token claim whose values map to roles: `groups` (Okta, Entra ID, Keycloak), or `hd` / `email_domain` for Google. */
  roleClaim: string;
  /** Claim value → role; someone matching several gets the highest. */
  roleMap: Map<string, UserRole>;
  /** The role of someone matching nothing, or null: they are refused and told to ask an admin. */
  defaultRole: UserRole | null;
  /** What the app asks for (OIDC_SCOPES): Okta and Keycloak put `groups` in the ID token when asked for its scope. */
  scopes: string;
  /**
   * OIDC_TRUSTED_EMAIL_ISSUER: the issuer whose `email` claim is trusted without `email_verified` (Entra ID sends none:
   * its `email` is set by the tenant's administrators). Null: an e-mail counts only with `email_verified: true`.
   */
  trustedEmailIssuer: string | null;
};

export class OidcConfigError extends Error {}

const LOOPBACK = new Set(['127.0.0.1', 'localhost', '[::1]']);

/**
 * Reads OIDC_ISSUER, OIDC_CLIENT_ID, OIDC_CLIENT_SECRET, OIDC_PROVIDER_NAME, OIDC_SCOPES, OIDC_ROLE_CLAIM, OIDC_ROLE_MAP
 * ("s3-admins=admin,s3-editors=editor") and OIDC_DEFAULT_ROLE (viewer, editor, admin or none). An `http://` issuer is
 * accepted on loopback only: anywhere else its tokens would cross the network in the clear.
 */
export function oidcConfig(env: NodeJS.ProcessEnv): OidcConfig | null {
  const raw = env.OIDC_ISSUER?.trim();
  if (!raw) return null;
  let issuer: URL;
  try {
    issuer = new URL(raw);
  } catch {
    throw new OidcConfigError(
      `OIDC_ISSUER must be the provider's issuer URL, like https://login.example.com/realms/main (got "${raw.slice(0, 80)}")`,
    );
  }
  if (issuer.protocol !== 'https:' && !(issuer.protocol === 'http:' && LOOPBACK.has(issuer.hostname))) {
    throw new OidcConfigError(`OIDC_ISSUER must be https:// (http:// only on loopback, for testing): got "${issuer.origin}"`);
  }
  const clientId = env.OIDC_CLIENT_ID?.trim();
  if (!clientId) throw new OidcConfigError('OIDC_CLIENT_ID must be set with OIDC_ISSUER: the client id the provider gave this app');
  const clientSecret = env.OIDC_CLIENT_SECRET?.trim();
  if (!clientSecret) throw new OidcConfigError('OIDC_CLIENT_SECRET must be set with OIDC_ISSUER: the client secret the provider gave this app');
  const roleClaim = env.OIDC_ROLE_CLAIM?.trim() || 'groups';
  const roleMap = new Map<string, UserRole>();
  for (const entry of (env.OIDC_ROLE_MAP ?? '')
    .split(',')
    .map((part) => part.trim())
    .filter(Boolean)) {
    const at = entry.lastIndexOf('=');
    const value = entry.slice(0, at).trim();
    const role = entry.slice(at + 1).trim() as UserRole;
    if (at <= 0 || !USER_ROLES.includes(role)) {
      throw new OidcConfigError(`OIDC_ROLE_MAP entries are <claim value>=<viewer|editor|admin>, comma-separated (got "${entry}")`);
    }
    roleMap.set(roleClaim === 'email_domain' ? mappedDomain(value) : value, role);
  }
  const fallback = env.OIDC_DEFAULT_ROLE?.trim().toLowerCase() || 'none';
  if (fallback !== 'none' && !USER_ROLES.includes(fallback as UserRole)) {
    throw new OidcConfigError(`OIDC_DEFAULT_ROLE must be viewer, editor, admin or none (got "${fallback}")`);
  }
  if (roleMap.size === 0 && fallback === 'none') {
    throw new OidcConfigError('Set OIDC_ROLE_MAP (which group gets which role) or OIDC_DEFAULT_ROLE: otherwise nobody could sign in with OIDC');
  }
  return {
    issuer,
    clientId,
    clientSecret,
    providerName: env.OIDC_PROVIDER_NAME?.trim() || issuer.hostname,
    roleClaim,
    scopes: scopes(env.OIDC_SCOPES),
    roleMap,
    defaultRole: fallback === 'none' ? null : (fallback as UserRole),
    trustedEmailIssuer: trustedEmailIssuer(env.OIDC_TRUSTED_EMAIL_ISSUER, raw),
  };
}

/** Only the configured issuer can be trusted for e-mails: a value naming another would trust nobody, silently. */
function trustedEmailIssuer(value: string | undefined, issuer: string): string | null {
  const trusted = value?.trim();
  if (!trusted) return null;
  if (trusted !== issuer) {
    throw new OidcConfigError(`OIDC_TRUSTED_EMAIL_ISSUER must be OIDC_ISSUER exactly ("${issuer.slice(0, 120)}"), got "${trusted.slice(0, 120)}"`);
  }
  return trusted;
}

/** A domain of OIDC_ROLE_MAP as the e-mail rule writes domains (lower case, IDNA A-labels), so the two compare equal. */
function mappedDomain(value: string): string {
  const parsed = parseEmail(`someone@${value}`);
  if (!parsed.ok) throw new OidcConfigError(`OIDC_ROLE_MAP maps e-mail domains with OIDC_ROLE_CLAIM=email_domain: "${value}" is not a domain name`);
  return parsed.domain;
}

function scopes(raw: string | undefined): string {
  const list = (raw ?? 'openid email profile').split(/[\s,]+/).filter(Boolean);
  if (!list.includes('openid')) throw new OidcConfigError(`OIDC_SCOPES must include openid (got "${list.join(' ')}")`);
  if (list.some((scope) => !/^[\x21\x23-\x5b\x5d-\x7e]+$/.test(scope))) throw new OidcConfigError('OIDC_SCOPES are space-separated scope names');
  return list.join(' ');
}

/**
 * The role the claims give: the highest a claim value maps to, else the default (null: none, refused). `email_domain`
 * is the domain of the verified address as parsed (email-address.ts), never a split of the raw claim.
 */
export function roleFromClaims(config: OidcConfig, claims: Record<string, unknown>, verifiedEmailDomain: string): UserRole | null {
  const raw = config.roleClaim === 'email_domain' ? verifiedEmailDomain : claims[config.roleClaim];
  const values = (Array.isArray(raw) ? raw : [raw]).filter((value): value is string => typeof value === 'string');
  let best: UserRole | null = null;
  for (const value of values) {
    const role = config.roleMap.get(value);
    if (role && (best === null || USER_ROLES.indexOf(role) > USER_ROLES.indexOf(best))) best = role;
  }
  return best ?? config.defaultRole;
}
