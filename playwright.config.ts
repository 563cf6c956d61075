import { defineConfig, devices } from '@playwright/test';
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { IDENTITIES } from './e2e/local-s3/identities.ts';

// Below Linux's ephemeral range (32768–60999): a port in it can be taken at any moment as the local end of an outgoing
// connection (Playwright's own readiness polls among them), and the server's listen then fails with EADDRINUSE — it
// did once in CI, on 41730.
export const E2E_PORT = 31730;
export const E2E_ORIGIN = `http://127.0.0.1:${E2E_PORT}`;
export const E2E_PASSWORD = 'e2e admin password';
export const E2E_S3_PORT = 31731;
export const E2E_S3_ENDPOINT = `http://127.0.0.1:${E2E_S3_PORT}`;
/** Accepts connections and never answers: a check against it runs until it is cancelled or out of time. */
export const E2E_SILENT_ENDPOINT = `http://127.0.0.1:${E2E_S3_PORT + 2}`;
/** Local endpoints answering as other services do (e2e/local-s3/dialects.ts); B2's answers every request with its rate limit. */
export const E2E_DIALECT_ENDPOINTS = { rgw: 31737, minio: 31738, r2: 31739, b2: 31740 } as const;
export const dialectEndpoint = (name: keyof typeof E2E_DIALECT_ENDPOINTS) => `http://127.0.0.1:${E2E_DIALECT_ENDPOINTS[name]}`;
/** How long the local STS's AssumeRole credentials live here (AWS's shortest are 15 minutes): the app's refresh is seen. */
export const E2E_ASSUMED_ROLE_LIFETIME_MS = 4_000;
/** Where the browser tests' webhook receiver listens (allowed by WEBHOOK_ALLOWLIST). */
export const E2E_WEBHOOK_PORT = 31736;
/** The local OpenID provider (oidc-provider) that single sign-on goes through. */
export const E2E_OIDC_PORT = 31735;
export const E2E_OIDC_ISSUER = `http://127.0.0.1:${E2E_OIDC_PORT}`;
/**
 * A second instance of the app, on its own fresh data directory, for the screenshots (visual.spec.ts): what it shows is
 * only what that spec made, whatever the other specs did before it.
 */
export const E2E_VISUAL_PORT = 31741;
export const E2E_VISUAL_ORIGIN = `http://127.0.0.1:${E2E_VISUAL_PORT}`;
const dataDir = (port: number) => path.join(os.tmpdir(), `s3-admin-e2e-${port}`);

// Debian's Chromium where there is no Playwright browser download (CI here); CHROMIUM_PATH overrides.
const debianChromium = '/usr/bin/chromium';
const executablePath = process.env.CHROMIUM_PATH ?? (fs.existsSync(debianChromium) ? debianChromium : undefined);

/**
 * The screenshots' baselines are kept per Chromium major version (another major draws text a pixel differently):
 * e2e/__screenshots__/chromium-<major>/. A Chromium without baselines of its own fails the visual tests until
 * `npx playwright test e2e/visual.spec.ts --update-snapshots` makes them, committed with the upgrade.
 */
function chromiumMajor(): string {
  try {
    const version = execFileSync(executablePath ?? 'chromium', ['--version'], { encoding: 'utf8', timeout: 10_000 });
    return /(\d+)\.\d+\.\d+/.exec(version)?.[1] ?? 'unknown';
  } catch {
    return 'unknown';
  }
}
/** How the tests and `npm run bench` launch Chromium. */
export const launchOptions = {
  executablePath,
  args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'],
};

/** The app's settings for the browser tests, on `port` with a fresh data directory of its own. */
function appEnv(port: number): Record<string, string> {
  return {
    PORT: String(port),
    HOST: '127.0.0.1',
    DATA_DIR: dataDir(port),
    ADMIN_PASSWORD: E2E_PASSWORD,
    LOG_LEVEL: 'warn',
    CHECK_TIMEOUT_MS: '8000',
    CHECK_RATE_PER_MIN: '1000',
    // Scheduled checks would start at moments no test chooses; scheduler.test.ts runs them on a clock of its own.
    SCHEDULED_CHECKS: 'false',
    // Every test signs in through the API fixture: more than a person would in a minute.
    SIGN_IN_RATE_PER_MIN: '1000',
    // The SSRF guard lets the check reach the local endpoint's ports, and nothing else on loopback.
    S3_ENDPOINT_ALLOWLIST: [E2E_S3_PORT, E2E_S3_PORT + 2, ...Object.values(E2E_DIALECT_ENDPOINTS)].map((port) => `127.0.0.1:${port}`).join(','),
    AWS_ENDPOINT_URL_S3: E2E_S3_ENDPOINT,
    AWS_ENDPOINT_URL_STS: E2E_S3_ENDPOINT,
    // Alerts reach the tests' receiver on loopback, and no other private address.
    WEBHOOK_ALLOWLIST: `127.0.0.1:${E2E_WEBHOOK_PORT}`,
    // The IAM role method, the server assuming roles as the local endpoint's role base identity.
    ALLOW_IAM_ROLES: 'true',
    AWS_ROLE_BASE_ACCESS_KEY_ID: IDENTITIES.roleBase.accessKeyId,
    AWS_ROLE_BASE_SECRET_ACCESS_KEY: IDENTITIES.roleBase.secretAccessKey,
    OIDC_ISSUER: E2E_OIDC_ISSUER,
    OIDC_CLIENT_ID: 's3-admin-tests',
    OIDC_CLIENT_SECRET: 'a client secret of the tests, long enough to sign with',
    OIDC_PROVIDER_NAME: 'Corp SSO',
    OIDC_SCOPES: 'openid email profile groups',
    OIDC_ROLE_MAP: 's3-admins=admin,s3-editors=editor,s3-viewers=viewer',
  };
}

export default defineConfig({
  testDir: 'e2e',
  testMatch: '**/*.spec.ts',
  fullyParallel: false,
  workers: 1,
  forbidOnly: !!process.env.CI,
  retries: 0,
  timeout: 30_000,
  reporter: [['list'], ['json', { outputFile: 'reports/e2e.json' }]],
  snapshotPathTemplate: `{testDir}/__screenshots__/chromium-${chromiumMajor()}/{testFileName}/{arg}{ext}`,
  expect: { toHaveScreenshot: { animations: 'disabled', caret: 'hide', scale: 'css' } },
  use: {
    baseURL: E2E_ORIGIN,
    trace: 'retain-on-failure',
    screenshot: 'only-on-failure',
    launchOptions,
  },
  projects: [{ name: 'chromium', use: { ...devices['Desktop Chrome'] } }],
  webServer: [
    {
      // The local S3 endpoint (s3rver behind the SigV4 gateway): the only S3 the browser tests reach.
      command:
        `node --import tsx e2e/local-s3/serve.ts --port ${E2E_S3_PORT} --latency 20 --silent-port ${E2E_S3_PORT + 2} --assumed-role-lifetime-ms ${E2E_ASSUMED_ROLE_LIFETIME_MS}` +
        ` --also rgw=${E2E_DIALECT_ENDPOINTS.rgw} --also minio=${E2E_DIALECT_ENDPOINTS.minio} --also r2=${E2E_DIALECT_ENDPOINTS.r2} --also b2=${E2E_DIALECT_ENDPOINTS.b2}:30`,
      url: `${E2E_S3_ENDPOINT}/`,
      reuseExistingServer: false,
      timeout: 30_000,
    },
    {
      // A real OpenID provider: its own login and consent pages, any login name (e2e/oidc/provider.ts has the people).
      command: `node --import tsx e2e/oidc/serve.ts --port ${E2E_OIDC_PORT} --redirect-uri ${E2E_ORIGIN}/api/auth/oidc/callback`,
      url: `${E2E_OIDC_ISSUER}/.well-known/openid-configuration`,
      reuseExistingServer: false,
      timeout: 30_000,
    },
    {
      // The production build (npm run test:e2e builds it when stale), compiled, on a fresh data directory.
      command: `rm -rf ${dataDir(E2E_PORT)} && node dist/server/main.js`,
      url: `${E2E_ORIGIN}/api/health/ready`,
      reuseExistingServer: false,
      timeout: 60_000,
      env: appEnv(E2E_PORT),
    },
    {
      // The same build, on a data directory of its own, for the screenshots.
      command: `rm -rf ${dataDir(E2E_VISUAL_PORT)} && node dist/server/main.js`,
      url: `${E2E_VISUAL_ORIGIN}/api/health/ready`,
      reuseExistingServer: false,
      timeout: 60_000,
      env: appEnv(E2E_VISUAL_PORT),
    },
  ],
});
