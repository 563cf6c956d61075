import AxeBuilder from '@axe-core/playwright';
import { test as base, expect, type APIRequestContext, type Page } from '@playwright/test';
import { E2E_ORIGIN, E2E_PASSWORD } from '../playwright.config.ts';

export const CSRF_HEADERS = { origin: E2E_ORIGIN, 'x-requested-with': 'XMLHttpRequest' };

type Fixtures = {
  /** An API client signed in as the admin, for setting up state the way another client would. */
  api: APIRequestContext;
  /** A page whose browser context carries the admin's session cookie. */
  signedInPage: Page;
};

export const test = base.extend<Fixtures>({
  api: async ({ playwright }, use) => {
    const api = await playwright.request.newContext({ baseURL: E2E_ORIGIN, extraHTTPHeaders: CSRF_HEADERS });
    const response = await api.post('/api/session', { data: { password: E2E_PASSWORD } });
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
  expect(response.status(), await response.text()).toBe(201);
  return (await response.json()) as { id: string; name: string; version: number };
}

export async function deleteAllDestinations(api: APIRequestContext) {
  const list = (await (await api.get('/api/v1/destinations')).json()) as { id: string; version: number }[];
  for (const destination of list) {
    const response = await api.delete(`/api/v1/destinations/${destination.id}`, { headers: { 'if-match': `"${destination.version}"` } });
    expect(response.status()).toBe(200);
  }
}

/** axe-core's WCAG 2.x A/AA rules on the current page: no violations. */
export async function expectNoAxeViolations(page: Page) {
  const results = await new AxeBuilder({ page }).withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa']).analyze();
  expect(results.violations.map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`)).toEqual([]);
}
