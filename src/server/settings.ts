/**
 * Every environment variable the app reads, in one list: the configuration (config.ts, oidc-config.ts, the IAM role
 * base identity), the rotation tool's NEW_APP_ENCRYPTION_KEY, and the outbound proxy. settings.test.ts holds the
 * README's configuration tables to exactly these, and the start warns about a variable that looks like one of them
 * but is not (a typo starts silently on a default otherwise: `DATABSE_URL` on a fresh SQLite).
 */
export const SETTINGS = [
  'PORT', 'HOST', 'PUBLIC_ORIGIN', 'ALLOWED_HOSTS', 'TRUST_PROXY', 'DATA_DIR', 'DATABASE_URL',
  'APP_ENCRYPTION_KEY', 'APP_ENCRYPTION_KEY_PREVIOUS', 'APP_ENCRYPTION_KEY_NEXT', 'NEW_APP_ENCRYPTION_KEY',
  'ADMIN_EMAIL', 'ADMIN_PASSWORD', 'SCHEDULED_CHECKS', 'CHECK_TIMEOUT_MS', 'CHECK_CONCURRENCY', 'CHECK_RATE_PER_MIN',
  'SIGN_IN_RATE_PER_MIN', 'WRITE_RATE_PER_MIN', 'SHUTDOWN_GRACE_MS', 'S3_ENDPOINT_ALLOWLIST', 'HTTPS_PROXY', 'HTTP_PROXY',
  'NO_PROXY', 'S3_CA_BUNDLE', 'ALLOW_AMBIENT_CREDENTIALS_S3', 'ALLOW_IAM_ROLES', 'IAM_ROLE_ACCOUNT_ALLOWLIST',
  'AWS_ROLE_BASE_ACCESS_KEY_ID', 'AWS_ROLE_BASE_SECRET_ACCESS_KEY', 'AWS_ROLE_BASE_SESSION_TOKEN', 'WEBHOOK_ALLOWLIST',
  'METRICS_TOKEN', 'LOG_LEVEL', 'OIDC_ISSUER', 'OIDC_CLIENT_ID', 'OIDC_CLIENT_SECRET', 'OIDC_PROVIDER_NAME', 'OIDC_SCOPES',
  'OIDC_ROLE_CLAIM', 'OIDC_ROLE_MAP', 'OIDC_DEFAULT_ROLE', 'OIDC_TRUSTED_EMAIL_ISSUER',
] as const;

/** Beginnings only this app's variables have: an unknown name with one of them is a mistake. */
const OUR_PREFIXES = ['APP_ENCRYPTION', 'CHECK_', 'OIDC_', 'S3_', 'ADMIN_', 'ALLOW_', 'WEBHOOK_', 'METRICS_', 'SHUTDOWN_', 'SIGN_IN_', 'WRITE_RATE', 'IAM_ROLE_', 'AWS_ROLE_BASE_', 'TRUST_PROXY', 'PUBLIC_ORIGIN', 'SCHEDULED_'];
/** Names shorter than this are compared only when they carry one of our prefixes (HOME is not a typo of HOST). */
const FUZZY_MIN_LENGTH = 8;

function distance(a: string, b: string): number {
  const row = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    let diagonal = row[0] as number;
    row[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const above = row[j] as number;
      row[j] = Math.min(above + 1, (row[j - 1] as number) + 1, diagonal + (a[i - 1] === b[j - 1] ? 0 : 1));
      diagonal = above;
    }
  }
  return row[b.length] as number;
}

/** Variables that look like ours but are not, each with the one it most likely meant (or null). */
export function misspelledSettings(env: NodeJS.ProcessEnv): { name: string; meant: string | null }[] {
  const known = new Set<string>(SETTINGS);
  const found: { name: string; meant: string | null }[] = [];
  for (const name of Object.keys(env)) {
    if (known.has(name)) continue;
    const nearest = SETTINGS.map((setting) => ({ setting, d: distance(name, setting) })).sort((x, y) => x.d - y.d)[0];
    const close = nearest !== undefined && nearest.d <= 2 && name.length >= FUZZY_MIN_LENGTH;
    const ours = OUR_PREFIXES.some((prefix) => name.startsWith(prefix));
    if (close || ours) found.push({ name, meant: nearest && nearest.d <= 3 ? nearest.setting : null });
  }
  return found;
}
