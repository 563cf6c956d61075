import { E2E_PASSWORD } from '../playwright.config.ts';
import { CSRF_HEADERS, createDestination, expect, expectNoAxeViolations, test, uniqueName } from './fixtures.ts';

test('signs in as the first admin and lands on the destinations, saying who is signed in', async ({ page }) => {
  await page.goto('/');
  await expect(page.getByRole('heading', { name: 'Sign in' })).toBeVisible();
  await expect(page.getByLabel('E-mail', { exact: true })).toBeFocused();
  await page.getByLabel('E-mail', { exact: true }).fill('admin');
  await page.getByLabel('Password', { exact: true }).fill(E2E_PASSWORD);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await expect(page.getByRole('heading', { name: 'Destinations', level: 1 })).toBeVisible();
  await expect(page).toHaveURL(/\/destinations$/);
  await expect(page.getByText('Signed in as admin Admin')).toBeVisible();
});

test('says on each field what is missing, and on the password when the two do not match an account', async ({ page }) => {
  await page.goto('/destinations');
  const email = page.getByLabel('E-mail', { exact: true });
  const password = page.getByLabel('Password', { exact: true });
  await page.getByRole('button', { name: 'Sign in' }).click();
  await expect(email).toHaveAccessibleDescription('Enter your e-mail');
  await expect(password).toHaveAccessibleDescription('Enter your password');
  await expect(password).toHaveAttribute('aria-invalid', 'true');
  await email.fill('admin');
  await password.fill('not the password');
  await password.press('Enter');
  await expect(password).toHaveAccessibleDescription('That e-mail and password do not match an active account');
  await expect(password).toBeFocused();
});

test('the sign-in screen passes axe', async ({ page }) => {
  await page.goto('/');
  await expect(page.getByRole('heading', { name: 'Sign in' })).toBeVisible();
  await expectNoAxeViolations(page);
});

test('signs out: back to sign-in, and the session no longer opens the API', async ({ signedInPage: page, api }) => {
  await createDestination(api, uniqueName('Before sign-out'));
  await page.goto('/destinations');
  await expect(page.getByRole('heading', { name: 'Destinations', level: 1 })).toBeVisible();
  await page.getByRole('button', { name: 'Sign out' }).click();
  // The sign-in screen itself, not the "Sign in again" dialog over the app.
  await expect(page.getByRole('heading', { name: 'Sign in', exact: true, level: 1 })).toBeVisible();
  await expect(page.getByRole('dialog')).toHaveCount(0);
  // The signed-in page's title does not stay behind.
  await expect(page).toHaveTitle('Sign in · S3 destinations');
  const response = await page.request.get('/api/v1/destinations', { headers: CSRF_HEADERS });
  expect(response.status()).toBe(401);
  await page.reload();
  await expect(page.getByRole('heading', { name: 'Sign in' })).toBeVisible();
});

test('a signed-out load asks who is signed in without an error in the console', async ({ page }) => {
  const errors: string[] = [];
  page.on('console', (message) => {
    if (message.type() === 'error') errors.push(message.text());
  });
  await page.goto('/destinations');
  await expect(page.getByRole('heading', { name: 'Sign in' })).toBeVisible();
  expect(errors).toEqual([]);
});
