import { createDestination, deleteAllDestinations, expect, expectNoAxeViolations, test, uniqueName } from './fixtures.ts';

test.describe.configure({ mode: 'serial' });

test('shows an empty state when there are no destinations', async ({ signedInPage: page, api }) => {
  await deleteAllDestinations(api);
  await page.goto('/destinations');
  await expect(page.getByText('No destination connectors yet')).toBeVisible();
  await expect(page.getByRole('table')).toHaveCount(0);
});

test('lists a destination created through the API, without its secret', async ({ signedInPage: page, api }) => {
  const secret = 'SECRETe2eMARKER/abcdefghijklmnopqrstuvwx';
  const token = 'TOKENe2eMARKER0123456789';
  const name = uniqueName('Invoices');
  await createDestination(api, name, { key: 'ASIAIOSFODNN7EXAMPLE', secret, token, token_expires_at: new Date(Date.now() + 3 * 3600_000).toISOString() });
  await page.goto('/destinations');
  const row = page.getByRole('row', { name: new RegExp(name) });
  await expect(row).toBeVisible();
  await expect(row.getByRole('cell', { name: 's3://e2e-bucket/exports/' })).toBeVisible();
  await expect(row.getByText('Temporary (STS)')).toBeVisible();
  await expect(row.getByText(/Expires in 3 h/)).toBeVisible();
  const html = await page.content();
  expect(html).not.toContain('SECRETe2eMARKER');
  expect(html).not.toContain('TOKENe2eMARKER');
  const storage = await page.evaluate(() => JSON.stringify({ ...localStorage }) + JSON.stringify({ ...sessionStorage }));
  expect(storage).toBe('{}{}');
});

test('the list passes axe', async ({ signedInPage: page, api }) => {
  await createDestination(api, uniqueName('Axe'), { endpoint_url: 'https://minio.example.com', key: 'minio', secret: 'minio-secret' });
  await page.goto('/destinations');
  await expect(page.getByRole('table')).toBeVisible();
  await expectNoAxeViolations(page);
});

test('deep links and unknown paths work after a reload', async ({ signedInPage: page }) => {
  await page.goto('/');
  await expect(page).toHaveURL(/\/destinations$/);
  await page.goto('/no/such/page');
  await expect(page.getByRole('heading', { name: 'Page not found' })).toBeVisible();
  await page.getByRole('link', { name: 'Go to the destinations' }).click();
  await expect(page.getByRole('heading', { name: 'Destinations', level: 1 })).toBeFocused();
  await page.goBack();
  await expect(page.getByRole('heading', { name: 'Page not found' })).toBeVisible();
});
