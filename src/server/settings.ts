import { SettingsSchema } from './config.ts';

/**
 * Every environment variable the app reads: the keys of the configuration's one schema (config.ts). settings.test.ts
 * holds the README's configuration tables to exactly these, and the start warns about a variable that looks like one
 * of them but is not (a typo starts silently on a default otherwise: `DATABSE_URL` on a fresh SQLite).
 */
export const SETTINGS = Object.keys(SettingsSchema.shape) as (keyof typeof SettingsSchema.shape)[];

/** Beginnings only this app's variables have: an unknown name with one of them is a mistake. */
const OUR_PREFIXES = [
  'APP_ENCRYPTION',
  'CHECK_',
  'OIDC_',
  'S3_',
  'ADMIN_',
  'ALLOW_',
  'WEBHOOK_',
  'METRICS_',
  'SHUTDOWN_',
  'SIGN_IN_',
  'WRITE_RATE',
  'IAM_ROLE_',
  'AWS_ROLE_BASE_',
  'TRUST_PROXY',
  'PUBLIC_ORIGIN',
  'SCHEDULED_',
];
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
