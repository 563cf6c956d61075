import { API_KEY_PREFIX } from '#shared/api-key-schemas';
import { E2E_ORIGIN } from '../playwright.config.ts';
import { expectNoAxeViolations, expect, test, uniqueName } from './fixtures.ts';

/**
 * The admin's API keys screen, end to end: a key created in the browser is shown once, works for a script (a request
 * from outside the browser, with no cookie), is named in what it did, and stops the moment it is revoked.
 */
test('an API key is created, shown once, used by a script, named in the activity and revoked', async ({ signedInPage: page, playwright }) => {
  await page.context().grantPermissions(['clipboard-read', 'clipboard-write']);
  await page.goto('/destinations');
  await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'API keys' }).click();
  await expect(page.getByRole('heading', { name: 'API keys', level: 1 })).toBeFocused();
  // How to use a key, with this server's address and the key read from the environment.
  await expect(page.getByRole('figure', { name: 'curl' })).toContainText(
    `curl --silent --show-error --fail-with-body "${E2E_ORIGIN}/api/v1/destinations/"`,
  );
  await expect(page.getByRole('figure', { name: 'Python (unstructured-client)' })).toContainText(`server_url="${E2E_ORIGIN}"`);

  await page.getByRole('button', { name: 'New API key' }).click();
  const dialog = page.getByRole('dialog', { name: 'New API key' });
  await expect(dialog.getByLabel('Name')).toBeFocused();
  await dialog.getByRole('button', { name: 'Create key' }).click();
  await expect(dialog.getByLabel('Name')).toHaveAccessibleDescription(/Enter a name/);
  const name = uniqueName('Nightly export');
  await dialog.getByLabel('Name').fill(name);
  const editor = dialog.getByRole('radio', { name: 'Editor', exact: true });
  await expect(editor).toHaveAccessibleDescription(/^May do all a Viewer may; also create, edit and delete connectors/);
  await editor.check();
  await dialog.getByLabel('Expires').selectOption('date');
  await dialog.getByLabel('Last day the key works').fill('2020-01-01');
  await dialog.getByRole('button', { name: 'Create key' }).click();
  await expect(dialog.getByLabel('Last day the key works')).toHaveAccessibleDescription('Choose an expiry in the future');
  await dialog.getByLabel('Expires').selectOption('90');
  await expectNoAxeViolations(page);
  await dialog.getByRole('button', { name: 'Create key' }).click();

  const shown = page.getByRole('dialog', { name: `API key “${name}” created` });
  const key = await shown.getByLabel('Your new API key').inputValue();
  expect(key).toMatch(new RegExp(`^${API_KEY_PREFIX}[A-Za-z0-9]{40}$`));
  await shown.getByRole('button', { name: 'Copy key' }).click();
  await expect(shown.getByRole('status')).toHaveText('Copied');
  expect(await page.evaluate(() => navigator.clipboard.readText())).toBe(key);
  await expectNoAxeViolations(page);
  await shown.getByRole('button', { name: 'Done' }).click();
  await expect(shown).toBeHidden();
  await expect(page.getByRole('button', { name: 'New API key' })).toBeFocused();

  // Shown once: gone from the page and never in browser storage.
  const row = page.getByRole('row').filter({ has: page.getByRole('rowheader', { name }) });
  await expect(row).toContainText(`${key.slice(0, API_KEY_PREFIX.length + 6)}…`);
  await expect(row).toContainText('Editor');
  await expect(row).toContainText('Never used');
  await expect(row).toContainText('in 90 days');
  await expect(row).toContainText('just now');
  expect(await page.content()).not.toContain(key);
  expect(await page.evaluate(() => JSON.stringify({ ...localStorage }) + JSON.stringify({ ...sessionStorage }))).not.toContain(
    key.slice(API_KEY_PREFIX.length),
  );

  // A script: no browser, no cookie, no CSRF header — only the key, as Unstructured's SDK sends it.
  const script = await playwright.request.newContext({ baseURL: E2E_ORIGIN, extraHTTPHeaders: { 'unstructured-api-key': key } });
  const created = await script.post('/api/v1/destinations/', {
    data: { name: uniqueName('Made by a script'), type: 's3', config: { remote_url: 's3://e2e-bucket/script/', anonymous: true } },
  });
  expect(created.status()).toBe(200);
  const destination = (await created.json()) as { id: string; name: string };
  await page.reload();
  await expect(row.getByRole('cell').nth(3)).toHaveText('just now');
  await expect(row).not.toContainText('Never used');

  await page.goto(`/destinations/${destination.id}`);
  await expect(page.getByText(`by API key "${name}" (${key.slice(0, API_KEY_PREFIX.length + 6)}…)`)).toBeVisible();

  // Revoked: the row says so and the script is refused at once.
  await page.goto('/api-keys');
  await row.getByRole('button', { name: `Revoke ${name}` }).click();
  const confirm = page.getByRole('dialog', { name: `Revoke “${name}”?` });
  await expectNoAxeViolations(page);
  await confirm.getByRole('button', { name: 'Revoke key' }).click();
  await expect(confirm).toBeHidden();
  await expect(row.getByText('Revoked', { exact: true })).toBeVisible();
  await expect(row.getByRole('button', { name: `Revoke ${name}` })).toHaveCount(0);
  const refused = await script.get('/api/v1/destinations/');
  expect(refused.status()).toBe(401);
  expect((await refused.json()).detail).toContain('revoked');
  await script.dispose();
  await expectNoAxeViolations(page);
});
