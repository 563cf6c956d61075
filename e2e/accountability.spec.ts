import type { APIRequestContext } from '@playwright/test';
import { E2E_ORIGIN } from '../playwright.config.ts';
import { CSRF_HEADERS, expect, expectNoAxeViolations, test, uniqueName } from './fixtures.ts';

/** Who did what, and where each person is signed in. */
const address = () => `${uniqueName('acct').replace(/\W+/g, '-').toLowerCase()}@example.com`;
const PASSWORD = 'a password for accountability';

/** A person invited by the admin who set their password through the link: signed in by an API client of their own. */
async function person(api: APIRequestContext, playwright: { request: { newContext(o: object): Promise<APIRequestContext> } }, role: string) {
  const email = address();
  const invited = (await (await api.post('/api/v1/users', { data: { email, role } })).json()) as { link: { url: string } };
  const client = await playwright.request.newContext({ baseURL: E2E_ORIGIN, extraHTTPHeaders: { ...CSRF_HEADERS, 'user-agent': 'curl/8.5.0' } });
  const used = await client.post('/api/user-links/use', { data: { token: new URL(invited.link.url).hash.slice(1), password: PASSWORD } });
  expect(used.status()).toBe(204);
  return { email, client };
}

test('someone sees where they are signed in on their account page and ends a session they do not recognise', async ({ page, api, playwright }) => {
  const { email, client } = await person(api, playwright, 'viewer');
  await page.goto('/');
  await page.getByLabel('E-mail', { exact: true }).fill(email);
  await page.getByLabel('Password', { exact: true }).fill(PASSWORD);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.getByRole('link', { name: email }).click();
  await expect(page.getByRole('heading', { name: 'Your account', level: 1 })).toBeVisible();
  await expect(page.getByText('Viewer: May see connectors, check results, history and each connector’s activity.', { exact: true })).toBeVisible();
  const sessions = page.getByRole('table', { name: 'Your sessions' });
  await expect(sessions.getByRole('row', { name: /This browser/ })).toBeVisible();
  await expectNoAxeViolations(page);
  // The other one is the script's (curl), from this machine.
  await sessions.getByRole('button', { name: 'End the session A script from 127.0.0.1' }).click();
  await expect(sessions.getByRole('row')).toHaveCount(2);
  expect((await client.get('/api/v1/destinations')).status()).toBe(401);
  await client.dispose();
});

test('an admin reads everyone’s activity, filtered by person, with failed sign-ins and where they came from', async ({
  signedInPage: page,
  api,
  playwright,
}) => {
  const { email, client } = await person(api, playwright, 'editor');
  expect((await client.post('/api/session', { data: { email, password: 'not my password' } })).status()).toBe(401);
  await page.goto('/destinations');
  await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Activity' }).click();
  await expect(page.getByRole('heading', { name: 'Activity', level: 1 })).toBeFocused();
  await page.getByLabel('What').selectOption({ label: 'Sign-ins' });
  await expect(page).toHaveURL(/group=sign_ins/);
  const failed = page.getByRole('row', { name: new RegExp(`Sign-in failed.*as ${email.replace(/[.]/g, '\\.')}`) }).first();
  await expect(failed).toContainText('127.0.0.1');
  await page.getByLabel('What').selectOption({ label: 'Everything' });
  await page.getByLabel('Person').selectOption(email);
  await expect(page.getByRole('row', { name: /Password set/ })).toContainText('accepted the invitation');
  await expect(page.getByRole('row', { name: /Sign-in failed/ })).toHaveCount(0);
  await expectNoAxeViolations(page);
  await client.dispose();
});
