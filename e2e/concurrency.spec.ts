import { createDestination, E2E_S3_ENDPOINT, expect, IDENTITIES, test, uniqueName } from './fixtures.ts';

// One connector open in two pages of the same admin: whoever saves second is told, and nothing is overwritten unseen.
test('two pages edit one connector: the second save sees "changed elsewhere", reloads and saves on top', async ({ signedInPage: first, api }) => {
  const destination = await createDestination(api, uniqueName('Two pages'), {
    remote_url: 's3://local-bucket/two-pages/',
    endpoint_url: E2E_S3_ENDPOINT,
    key: IDENTITIES.writer.accessKeyId,
    secret: IDENTITIES.writer.secretAccessKey,
  });
  const second = await first.context().newPage();
  for (const page of [first, second]) {
    await page.goto(`/destinations/${destination.id}/edit`);
    await expect(page.getByLabel('Name', { exact: true })).toHaveValue(destination.name);
  }

  const firstName = uniqueName('Saved by the first page');
  await first.getByLabel('Name', { exact: true }).fill(firstName);
  await first.getByRole('button', { name: 'Save changes' }).click();
  await expect(first.getByRole('heading', { level: 1, name: firstName })).toBeVisible();

  await second.getByLabel('Region (optional)').fill('eu-west-1');
  await second.getByRole('button', { name: 'Save changes' }).click();
  const alert = second.getByRole('alert');
  await expect(alert).toContainText('This connector was changed elsewhere since you opened it.');
  // Nothing of the second page's edit was written.
  const afterConflict = await (await api.get(`/api/v1/destinations/${destination.id}`)).json();
  expect(afterConflict).toMatchObject({ name: firstName, version: 2 });
  expect(afterConflict.config.region ?? null).toBeNull();

  await second.getByRole('button', { name: 'Reload the saved connector' }).click();
  await expect(second.getByLabel('Name', { exact: true })).toHaveValue(firstName);
  await expect(alert).toHaveCount(0);
  await second.getByLabel('Region (optional)').fill('eu-west-1');
  await second.getByRole('button', { name: 'Save changes' }).click();
  await expect(second.getByRole('heading', { level: 1, name: firstName })).toBeVisible();

  const saved = await (await api.get(`/api/v1/destinations/${destination.id}`)).json();
  expect(saved).toMatchObject({ name: firstName, version: 3, config: { region: 'eu-west-1' } });
  // The first page, back on the detail view, picks up the second page's change when it is next looked at.
  await first.reload();
  await expect(first.getByText('eu-west-1')).toBeVisible();
});
