import { checkOutcome, createDestination, expect, IDENTITIES, stepRow, test, uniqueName } from './fixtures.ts';

// The Amazon S3 path: no Custom URL, so the check speaks to "AWS" (the local endpoint, through the SDK's endpoint
// overrides) exactly as it would to the real service.
const aws = (remoteUrl: string, extra: Record<string, unknown> = {}) => ({
  remote_url: remoteUrl,
  key: IDENTITIES.writer.accessKeyId,
  secret: IDENTITIES.writer.secretAccessKey,
  ...extra,
});

test('a bucket policy that denies writes: the results say so, and send the user to the bucket policy', async ({ signedInPage: page, api }) => {
  const destination = await createDestination(api, uniqueName('Denied by bucket policy'), aws('s3://deny-writes-bucket/e2e/'));
  await page.goto(`/destinations/${destination.id}`);
  await page.getByRole('button', { name: 'Test', exact: true }).click();
  expect(await checkOutcome(page)).toContain('the bucket policy of "deny-writes-bucket" explicitly denies s3:PutObject');
  const write = stepRow(page, 'Write a test object');
  await expect(write.getByText(/Look for a Deny statement in the bucket policy/)).toBeVisible();
  await expect(write.getByText(/server-side encryption \(SSE-KMS\)/)).toBeVisible();
});

test('a wrong Region: the results name the bucket’s region, in the step and in the summary', async ({ signedInPage: page, api }) => {
  const destination = await createDestination(api, uniqueName('Wrong region'), aws('s3://eu-bucket/e2e/', { region: 'us-east-1' }));
  await page.goto(`/destinations/${destination.id}`);
  await page.getByRole('button', { name: 'Test', exact: true }).click();
  expect(await checkOutcome(page)).toContain('The bucket "eu-bucket" is in eu-west-1, not in us-east-1.');
  await expect(stepRow(page, 'Bucket').getByText(/^Set Region to eu-west-1, or leave it empty/)).toBeVisible();
  const facts = page.locator('dl.check-facts');
  await expect(facts.getByText('Bucket region')).toBeVisible();
  await expect(facts.getByText('eu-west-1', { exact: true })).toBeVisible();
  // The fix is a control: the edit page with the region the check found, focused, to save and test.
  await stepRow(page, 'Bucket').getByRole('link', { name: 'Set Region to eu-west-1' }).click();
  await expect(page.getByRole('status').filter({ hasText: 'Region set to eu-west-1, where the check found the bucket' })).toBeVisible();
  await expect(page.getByLabel('Region (optional)')).toHaveValue('eu-west-1');
  await expect(page.getByLabel('Region (optional)')).toBeFocused();
  await page.getByRole('button', { name: 'Save and Test' }).click();
  expect(await checkOutcome(page)).toMatch(/^Connection works/);
});

test('a missing bucket offers to edit the Bucket URI, focused', async ({ signedInPage: page, api }) => {
  const destination = await createDestination(api, uniqueName('No such bucket'), aws('s3://no-such-bucket-here/e2e/'));
  await page.goto(`/destinations/${destination.id}`);
  await page.getByRole('button', { name: 'Test', exact: true }).click();
  expect(await checkOutcome(page)).toContain('The bucket "no-such-bucket-here" does not exist');
  await stepRow(page, 'Bucket').getByRole('link', { name: 'Edit the Bucket URI' }).click();
  await expect(page.getByLabel('Bucket URI')).toBeFocused();
});

test('a failing row of the list offers its fix: Set Region from the list, then a passing test', async ({ signedInPage: page, api }) => {
  const name = uniqueName('Row fix');
  const destination = await createDestination(api, name, aws('s3://eu-bucket/e2e/', { region: 'us-east-1' }));
  expect((await api.post(`/api/v1/destinations/${destination.id}/connection-check`)).status()).toBe(202);
  await expect
    .poll(async () => (await (await api.get(`/api/v1/destinations/${destination.id}`)).json()).last_check?.status, { timeout: 15_000 })
    .toBe('FAILURE');
  await page.goto(`/destinations?q=${encodeURIComponent(name)}`);
  const row = page.getByRole('row', { name: new RegExp(name) });
  await expect(row.getByText('The bucket "eu-bucket" is in eu-west-1, not in us-east-1.')).toBeVisible();
  await row.getByRole('link', { name: `Set Region to eu-west-1 of ${name}` }).click();
  await expect(page.getByLabel('Region (optional)')).toHaveValue('eu-west-1');
  await expect(page.getByLabel('Region (optional)')).toBeFocused();
  await page.getByRole('button', { name: 'Save and Test' }).click();
  expect(await checkOutcome(page)).toMatch(/^Connection works/);
});

test('a failing row whose fix is other credentials offers Update credentials, once', async ({ signedInPage: page, api }) => {
  const name = uniqueName('Row credentials');
  const destination = await createDestination(api, name, aws('s3://eu-bucket/e2e/', { key: 'AKIAUNKNOWNKEY000000', region: 'eu-west-1' }));
  expect((await api.post(`/api/v1/destinations/${destination.id}/connection-check`)).status()).toBe(202);
  await expect
    .poll(async () => (await (await api.get(`/api/v1/destinations/${destination.id}`)).json()).last_check?.status, { timeout: 15_000 })
    .toBe('FAILURE');
  // STS is asked first: it says InvalidClientTokenId for a key it does not know (S3 would say InvalidAccessKeyId).
  expect((await (await api.get(`/api/v1/destinations/${destination.id}`)).json()).last_check.code).toBe('InvalidClientTokenId');
  await page.goto(`/destinations?q=${encodeURIComponent(name)}`);
  const row = page.getByRole('row', { name: new RegExp(name) });
  await expect(row.getByRole('button', { name: `Update credentials of ${name}` })).toHaveCount(1);
  await row.getByRole('button', { name: `Update credentials of ${name}` }).click();
  await expect(page.getByRole('dialog', { name: /Update credentials/ })).toBeVisible();
});

test('a versioned bucket without s3:DeleteObjectVersion: the cleanup warning names the action and each version left', async ({
  signedInPage: page,
  api,
}) => {
  const identity = IDENTITIES.noVersionDelete;
  const destination = await createDestination(
    api,
    uniqueName('Versioned'),
    aws('s3://versioned-bucket/e2e/', { key: identity.accessKeyId, secret: identity.secretAccessKey }),
  );
  await page.goto(`/destinations/${destination.id}`);
  await page.getByRole('button', { name: 'Test', exact: true }).click();
  expect(await checkOutcome(page)).toMatch(/^Connection works/);
  const cleanup = stepRow(page, 'Clean up');
  await expect(
    cleanup.getByText(/Could not delete the test object versions; left in the bucket: e2e\/\.connection-test\/.+ \(version .+\)/),
  ).toBeVisible();
  await expect(cleanup.getByText('s3:DeleteObjectVersion', { exact: true })).toBeVisible();
});
