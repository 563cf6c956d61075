import AxeBuilder from '@axe-core/playwright';
import { test as base, expect, type APIRequestContext, type Page } from '@playwright/test';
import { E2E_ORIGIN, E2E_PASSWORD, E2E_S3_ENDPOINT, E2E_SILENT_ENDPOINT } from '../playwright.config.ts';
import { IDENTITIES, type Identity } from './local-s3/identities.ts';

export { IDENTITIES, E2E_S3_ENDPOINT, E2E_SILENT_ENDPOINT };

export const CSRF_HEADERS = { origin: E2E_ORIGIN, 'x-requested-with': 'XMLHttpRequest' };

type Fixtures = {
  /** An API client signed in as the admin, for setting up state the way another client would. */
  api: APIRequestContext;
  /** A page whose browser context carries the admin's session cookie. */
  signedInPage: Page;
};

export const test = base.extend<Fixtures>({
  // Every page fails its test on a Content Security Policy violation: the suite runs on the production build with
  // the production headers, so a violation here is one in production.
  page: async ({ page }, use) => {
    const violations: string[] = [];
    page.on('console', (message) => {
      if (message.type() === 'error' && message.text().includes('Content Security Policy')) violations.push(message.text());
    });
    await use(page);
    expect(violations, 'Content Security Policy violations').toEqual([]);
  },
  api: async ({ playwright }, use) => {
    const api = await playwright.request.newContext({ baseURL: E2E_ORIGIN, extraHTTPHeaders: CSRF_HEADERS });
    const response = await api.post('/api/session', { data: { email: 'admin', password: E2E_PASSWORD } });
    expect(response.status()).toBe(204);
    await use(api);
    await api.dispose();
  },
  signedInPage: async ({ page, api }, use) => {
    const { cookies } = await api.storageState();
    await page.context().addCookies(cookies);
    await use(page);
  },
});

export { expect };

let counter = 0;
export const uniqueName = (label: string) => `${label} ${Date.now().toString(36)}-${++counter}`;

/** Creates a destination through the API and returns its view. */
export async function createDestination(api: APIRequestContext, name: string, config: Record<string, unknown> = {}) {
  const response = await api.post('/api/v1/destinations', {
    data: {
      name,
      type: 's3',
      config: {
        remote_url: 's3://e2e-bucket/exports/',
        key: 'AKIAIOSFODNN7EXAMPLE',
        secret: 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY',
        ...config,
      },
    },
  });
  expect(response.status(), await response.text()).toBe(200);
  return (await response.json()) as { id: string; name: string; version: number };
}

export async function deleteAllDestinations(api: APIRequestContext) {
  const list = (await (await api.get('/api/v1/destinations')).json()) as { id: string; version: number }[];
  for (const destination of list) {
    const response = await api.delete(`/api/v1/destinations/${destination.id}`, { headers: { 'if-match': `"${destination.version}"` } });
    expect(response.status()).toBe(200);
  }
}

/** axe-core's WCAG 2.x A/AA rules on the current page: what they find, one line per rule. */
export async function axeViolations(page: Page): Promise<string[]> {
  const results = await new AxeBuilder({ page }).withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa']).analyze();
  return results.violations.map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`);
}

/** axe-core's WCAG 2.x A/AA rules on the current page: no violations. */
export async function expectNoAxeViolations(page: Page) {
  expect(await axeViolations(page)).toEqual([]);
}

/** Fills the wizard's steps for an S3-compatible connector on the local endpoint, stopping on the review step. */
export async function fillWizard(
  page: Page,
  options: { name: string; remoteUrl?: string; identity?: Identity; key?: string; secret?: string; provider?: string; endpoint?: string },
) {
  const identity = options.identity ?? IDENTITIES.writer;
  await page.goto('/destinations/new');
  await page.getByLabel('Name', { exact: true }).fill(options.name);
  await page.getByRole('radio', { name: options.provider ?? 'Other S3-compatible' }).check();
  await page.getByRole('button', { name: 'Next' }).click();
  await page.getByLabel('Bucket URI').fill(options.remoteUrl ?? 's3://local-bucket/e2e/');
  await page.getByLabel('Custom URL').fill(options.endpoint ?? E2E_S3_ENDPOINT);
  await page.getByRole('button', { name: 'Next' }).click();
  await page.getByRole('textbox', { name: 'AWS Key' }).fill(options.key ?? identity.accessKeyId);
  await page.getByLabel('AWS Secret Key').fill(options.secret ?? identity.secretAccessKey);
  await page.getByRole('button', { name: 'Next' }).click();
  await expect(page.getByRole('heading', { name: 'Step 4 of 4: Review' })).toBeVisible();
}

/** The outcome line of the check shown on the page, once the check has one. */
export async function checkOutcome(page: Page) {
  const outcome = page.getByText(/^(Connection (works|failed)|Cancelled( by .+)? before it finished)/);
  await expect(outcome).toBeVisible({ timeout: 15_000 });
  return outcome.innerText();
}

/** A step row of the timeline, found by its label. */
export const stepRow = (page: Page, label: string) => page.getByRole('listitem').filter({ has: page.getByText(label, { exact: true }) });
