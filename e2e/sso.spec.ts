import type { Page } from '@playwright/test';
import { expect, expectNoAxeViolations, test } from './fixtures.ts';

/**
 * Single sign-on in the browser, through a real OpenID provider on loopback (oidc-provider, e2e/oidc/provider.ts):
 * its own login and consent pages, then back to the app.
 */
async function signInAtProvider(page: Page, login: string) {
  await page.goto('/');
  await page.getByRole('link', { name: 'Sign in with Corp SSO' }).click();
  // The provider's own login page.
  await page.getByPlaceholder('Enter any login').fill(login);
  await page.getByPlaceholder('and password').fill('whatever the provider asks');
  await page.getByRole('button', { name: 'Sign-in' }).click();
  // Its consent page, the first time.
  await page.getByRole('button', { name: 'Continue' }).click();
}

test('signs in through the identity provider: a new person gets the role their group gives', async ({ page }) => {
  await page.goto('/');
  await expect(page.getByRole('link', { name: 'Sign in with Corp SSO' })).toBeVisible();
  await expect(page.getByText('or with your e-mail and password')).toBeVisible();
  await expectNoAxeViolations(page);
  await signInAtProvider(page, 'ana');
  await expect(page.getByRole('heading', { name: 'Destinations', level: 1 })).toBeVisible();
  await expect(page).toHaveURL(/\/destinations$/);
  await expect(page.getByText('Signed in as ana@corp.example Editor')).toBeVisible();
  await expect(page.getByRole('link', { name: 'New connector' })).toBeVisible();
});

test('someone whose groups give no role comes back to sign-in, told to ask an admin', async ({ page }) => {
  await signInAtProvider(page, 'nora');
  await expect(page.getByRole('alert')).toHaveText(
    'You signed in with the identity provider, but none of your groups gives you a role here. Ask an admin to add you.',
  );
  // The reason left the address bar: a reload does not say it again.
  await expect(page).toHaveURL(/\/$/);
  await page.reload();
  await expect(page.getByRole('heading', { name: 'Sign in', level: 1 })).toBeVisible();
  await expect(page.getByRole('alert')).toHaveCount(0);
});

test('an admin turns password sign-in off: the sign-in screen offers single sign-on only', async ({ signedInPage: page, api, browser }) => {
  try {
    await page.goto('/users');
    const toggle = page.getByRole('checkbox', { name: 'Offer password sign-in beside “Sign in with Corp SSO”' });
    await expect(toggle).toBeChecked();
    await toggle.uncheck();
    await expect(toggle).not.toBeChecked();
    await expectNoAxeViolations(page);

    const signedOut = await (await browser.newContext()).newPage();
    await signedOut.goto('/');
    await expect(signedOut.getByRole('link', { name: 'Sign in with Corp SSO' })).toBeVisible();
    await expect(signedOut.getByLabel('Password', { exact: true })).toHaveCount(0);
    await expect(signedOut.getByText('Password sign-in is turned off here.')).toBeVisible();
  } finally {
    // The rest of the suite signs in with a password.
    expect((await api.put('/api/v1/settings/sign-in', { data: { password_sign_in: true } })).status()).toBe(200);
  }
});
