import { checkOutcome, E2E_S3_ENDPOINT, expect, IDENTITIES, test, uniqueName } from './fixtures.ts';

const SECRET = 'LEAKqz7browserSECRET/'.padEnd(40, 'B');
const TOKEN = `LEAKqz7browserTOKEN${'B'.repeat(80)}`;

test('marker credentials typed, saved, tested and replaced appear in no page HTML or browser storage', async ({ signedInPage: page }) => {
  // Create through the wizard with marker credentials (the check fails: SignatureDoesNotMatch).
  await page.goto('/destinations/new');
  const name = uniqueName('Browser leak');
  await page.getByLabel('Name', { exact: true }).fill(name);
  await page.getByRole('radio', { name: 'Other S3-compatible' }).check();
  await page.getByRole('button', { name: 'Next' }).click();
  await page.getByLabel('Bucket URI').fill('s3://local-bucket/leak/');
  await page.getByLabel('Custom URL').fill(E2E_S3_ENDPOINT);
  await page.getByRole('button', { name: 'Next' }).click();
  await page.getByRole('radio', { name: 'Temporary STS credentials' }).check();
  await page.getByRole('textbox', { name: 'AWS Key' }).fill(IDENTITIES.temporary.accessKeyId);
  await page.getByLabel('AWS Secret Key').fill(SECRET);
  await page.getByLabel('STS Token').fill(TOKEN);
  await page.getByRole('button', { name: 'Next' }).click();
  await page.getByRole('button', { name: 'Save and Test' }).click();
  expect(await checkOutcome(page)).toContain('The AWS Secret Key does not match');

  // Replace them through the dialog with other markers (fails again), then look everywhere.
  await page.getByRole('button', { name: 'Update credentials' }).first().click();
  const dialog = page.getByRole('dialog');
  await dialog.getByRole('textbox', { name: 'AWS Key' }).fill(IDENTITIES.temporary.accessKeyId);
  await dialog.getByLabel('AWS Secret Key').fill(SECRET.replace('B', 'C'));
  await dialog.getByLabel('STS Token').fill(TOKEN.replace('B', 'C'));
  await dialog.getByRole('button', { name: 'Test and save' }).click();
  await expect(dialog.getByText(/^Connection failed/)).toBeVisible({ timeout: 15_000 });
  await page.keyboard.press('Escape');
  await page.reload();
  await expect(page.getByRole('heading', { name, level: 1 })).toBeVisible();

  const html = await page.content();
  expect(html).not.toContain('LEAKqz7');
  const stored = await page.evaluate(async () => {
    const databases = await indexedDB.databases();
    return { local: JSON.stringify({ ...localStorage }), session: JSON.stringify({ ...sessionStorage }), indexedDb: databases.map((d) => d.name) };
  });
  expect(stored).toEqual({ local: '{}', session: '{}', indexedDb: [] });
  expect(page.url()).not.toContain('LEAKqz7');
});
