import { fileURLToPath } from 'node:url';
import type { APIRequestContext, Page } from '@playwright/test';
import { expect, test as e2e } from './fixtures.ts';
import { E2E_PASSWORD, E2E_S3_ENDPOINT, E2E_VISUAL_ORIGIN } from '../playwright.config.ts';
import { IDENTITIES } from './local-s3/identities.ts';

/**
 * Every screen and its main states at 390, 768 and 1440 px, compared with the baselines in e2e/__screenshots__/ (kept per
 * Chromium major version: playwright.config.ts). The app runs on an instance of its own with a fresh data directory,
 * so a screen shows only what this file made; the fonts are the app's own; the browser's clock is frozen, its time
 * zone and locale fixed; what moves anyway — every time and duration, which the app always writes as a `<time>` — is
 * drawn as a box of one size. A changed screenshot fails until its baseline is updated
 * (`npx playwright test e2e/visual.spec.ts --update-snapshots`) in the commit that explains the change.
 */
// The suite's fixtures (a Content Security Policy violation fails the test), with an API client of this instance.
const test = e2e.extend({
  api: async ({ playwright }, use) => {
    const api = await playwright.request.newContext({
      baseURL: E2E_VISUAL_ORIGIN,
      extraHTTPHeaders: { origin: E2E_VISUAL_ORIGIN, 'x-requested-with': 'XMLHttpRequest' },
      userAgent: USER_AGENT,
    });
    expect((await api.post('/api/session', { data: { email: 'admin', password: E2E_PASSWORD } })).status()).toBe(204);
    await use(api);
    await api.dispose();
  },
});
/** The sessions list shows browsers by their user agent: one that names no version a Chromium update would change. */
const USER_AGENT = 'Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/140.0.0.0 Safari/537.36';
test.describe.configure({ mode: 'serial' });
test.use({ baseURL: E2E_VISUAL_ORIGIN, timezoneId: 'UTC', locale: 'en-US', colorScheme: 'light', userAgent: USER_AGENT });

const WIDTHS = [390, 768, 1440] as const;
const FROZEN = new Date('2026-12-06T12:00:00Z');
/** Times and durations: one box each, whatever they say. */
const STEADY = fileURLToPath(new URL('./visual-steady.css', import.meta.url));

async function signIn(page: Page, api: APIRequestContext) {
  await page.context().addCookies((await api.storageState()).cookies);
}

/** The screen at each width, whole page, once its data and fonts are in. */
async function shoot(page: Page, name: string, open: () => Promise<void>) {
  for (const width of WIDTHS) {
    await page.setViewportSize({ width, height: 900 });
    await open();
    await page.evaluate(() => document.fonts.ready.then(() => undefined));
    await expect(page.locator('.spinner')).toHaveCount(0);
    // The test objects a check writes have random names (a fixed length): their sentences are covered.
    const mask = [page.locator('.step-message', { hasText: 'connection-test' })];
    await expect(page).toHaveScreenshot(`${name}-${width}.png`, { fullPage: true, stylePath: STEADY, mask, maskColor: '#d0d7de' });
  }
}

const local = (prefix: string, identity = IDENTITIES.writer) => ({
  remote_url: `s3://local-bucket/${prefix}/`,
  endpoint_url: E2E_S3_ENDPOINT,
  key: identity.accessKeyId,
  secret: identity.secretAccessKey,
});

async function create(api: APIRequestContext, name: string, config: Record<string, unknown>) {
  const response = await api.post('/api/v1/destinations', { data: { name, type: 's3', config, check_schedule: 'off' } });
  expect(response.status(), await response.text()).toBe(200);
  return (await response.json()) as { id: string };
}

async function testedOnce(api: APIRequestContext, id: string, status: 'SUCCESS' | 'FAILURE') {
  expect((await api.post(`/api/v1/destinations/${id}/connection-check`)).status()).toBe(202);
  await expect.poll(async () => (await (await api.get(`/api/v1/destinations/${id}`)).json()).last_check?.status, { timeout: 15_000 }).toBe(status);
}

test.beforeEach(async ({ page }) => {
  await page.clock.setFixedTime(FROZEN);
});

test('sign-in', async ({ page }) => {
  await shoot(page, 'sign-in', async () => {
    await page.goto('/');
    await expect(page.getByRole('button', { name: 'Sign in', exact: true })).toBeVisible();
  });
});

test('the list, empty, then with connectors in each state', async ({ page, api }) => {
  await signIn(page, api);
  await shoot(page, 'list-empty', async () => {
    await page.goto('/destinations');
    await expect(page.getByRole('link', { name: 'New connector' }).first()).toBeVisible();
  });
  const passing = await create(api, 'Analytics exports', local('visual/analytics'));
  await testedOnce(api, passing.id, 'SUCCESS');
  const failing = await create(api, 'Finance archive', { ...local('visual/finance'), remote_url: 's3://no-such-bucket-here/finance/' });
  await testedOnce(api, failing.id, 'FAILURE');
  await create(api, 'Temporary credentials', {
    ...local('visual/temporary', IDENTITIES.temporary),
    token: 'visual-session-token',
    token_expires_at: '2099-01-01T00:00:00Z',
  });
  await create(api, 'Partner drop zone', { ...local('visual/partner'), remote_url: 's3://partner-drop-zone-with-a-long-bucket-name/incoming/2026/' });
  await shoot(page, 'list', async () => {
    await page.goto('/destinations');
    await expect(page.getByRole('row', { name: /Finance archive/ }).getByRole('link', { name: /Edit the Bucket URI/ })).toBeVisible();
  });
});

test('a connector’s page: a passing result and a failing one with its fix', async ({ page, api }) => {
  await signIn(page, api);
  const all = (await (await api.get('/api/v1/destinations')).json()) as { id: string; name: string }[];
  const id = (name: string) => all.find((d) => d.name === name)?.id as string;
  await shoot(page, 'detail-passing', async () => {
    await page.goto(`/destinations/${id('Analytics exports')}`);
    await expect(page.getByText(/^Connection works/)).toBeVisible();
  });
  await shoot(page, 'detail-failing', async () => {
    await page.goto(`/destinations/${id('Finance archive')}`);
    await expect(page.getByRole('link', { name: 'Edit the Bucket URI' })).toBeVisible();
  });
});

test('the new connector wizard: empty, and refusing what is missing', async ({ page, api }) => {
  await signIn(page, api);
  await shoot(page, 'wizard', async () => {
    await page.goto('/destinations/new');
    await expect(page.getByLabel('Name', { exact: true })).toBeVisible();
  });
  await shoot(page, 'wizard-errors', async () => {
    await page.goto('/destinations/new');
    await page.getByRole('button', { name: 'Next' }).click();
    await expect(page.getByLabel('Name', { exact: true })).toBeFocused();
  });
});

test('the admin’s screens: users, API keys, notifications, activity, account', async ({ page, api }) => {
  await signIn(page, api);
  for (const [name, path, ready] of [
    ['users', '/users', 'Users'],
    ['api-keys', '/api-keys', 'API keys'],
    ['notifications', '/notifications', 'Notifications'],
    ['activity', '/activity', 'Activity'],
    ['account', '/account', 'Your account'],
  ] as const) {
    await shoot(page, name, async () => {
      await page.goto(path);
      await expect(page.getByRole('heading', { level: 1, name: ready })).toBeVisible();
    });
  }
});
