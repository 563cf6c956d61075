import { E2E_S3_PORT } from '../playwright.config.ts';
import {
  checkOutcome,
  createDestination,
  E2E_S3_ENDPOINT,
  expect,
  expectNoAxeViolations,
  fillWizard,
  IDENTITIES,
  stepRow,
  test,
  uniqueName,
} from './fixtures.ts';

test('creates a connector end to end: Save and Test lands on its page with the steps filled in live', async ({ signedInPage: page }) => {
  const name = uniqueName('Invoices');
  await fillWizard(page, { name });
  await page.getByRole('button', { name: 'Save and Test' }).click();
  await expect(page).toHaveURL(/\/destinations\/[0-9a-f-]{36}\?check=[0-9a-f-]{36}$/);
  await expect(page.getByRole('heading', { name, level: 1 })).toBeVisible();
  expect(await checkOutcome(page)).toMatch(/^Connection works/);
  for (const label of ['Endpoint reachable', 'Bucket', 'Write a test object', 'Multipart upload', 'Clean up']) {
    await expect(stepRow(page, label).getByText('Passed', { exact: true })).toBeVisible();
  }
  await expect(stepRow(page, 'Identity (STS)').getByText('Skipped', { exact: true })).toBeVisible();
  await page.getByRole('link', { name: 'Destinations' }).first().click();
  const row = page.getByRole('row', { name: new RegExp(name) });
  await expect(row.getByText('Passed', { exact: true })).toBeVisible();
  await expect(row.getByRole('cell', { name: `127.0.0.1:${E2E_S3_PORT}` })).toBeVisible();
});

test('after saving, the secret appears nowhere in the page or browser storage', async ({ signedInPage: page }) => {
  await fillWizard(page, { name: uniqueName('No leak') });
  await page.getByRole('button', { name: 'Save and Test' }).click();
  await checkOutcome(page);
  const html = await page.content();
  expect(html).not.toContain(IDENTITIES.writer.secretAccessKey);
  const storage = await page.evaluate(() => JSON.stringify({ ...localStorage }) + JSON.stringify({ ...sessionStorage }));
  expect(storage).not.toContain(IDENTITIES.writer.secretAccessKey);
  expect(page.url()).not.toContain('LocalS3TestSecretKey');
});

// One field a step in the browser; every rule of every field is tested on the component, in
// src/client/features/destinations/components/wizard/new-connector-wizard.test.tsx.
const FIELD_CASES: [string, string, string, string][] = [
  // [step's field label, value, step index to reach, message]
  ['Name', '', 'Connector', 'Enter a name for this connector'],
  ['Bucket URI', 's3://My-Bucket/', 'Bucket', "Bucket names can't contain uppercase letters"],
  ['AWS Secret Key', 'short', 'Authentication', 'AWS Secret Keys are exactly 40 characters of letters, digits, / + and ='],
];

test.describe('each field says specifically what is wrong, on the field', () => {
  for (const [label, value, stepTitle, message] of FIELD_CASES) {
    test(`${label} = "${value.slice(0, 20)}" → ${message}`, async ({ signedInPage: page }) => {
      await page.goto('/destinations/new');
      const steps = ['Connector', 'Bucket', 'Authentication'];
      const valid: Record<string, string> = {
        Name: uniqueName('Rules'),
        'Bucket URI': 's3://my-bucket/',
        'Region (optional)': '',
        'AWS Key': 'AKIAIOSFODNN7EXAMPLE',
        'AWS Secret Key': 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY',
      };
      const fieldsOf: Record<string, string[]> = {
        Connector: ['Name'],
        Bucket: ['Bucket URI', 'Region (optional)'],
        Authentication: ['AWS Key', 'AWS Secret Key'],
      };
      for (const step of steps) {
        for (const field of fieldsOf[step] ?? []) {
          const input = field === 'AWS Key' ? page.getByRole('textbox', { name: 'AWS Key' }) : page.getByLabel(field);
          await input.fill(field === label ? value : (valid[field] ?? ''));
        }
        await page.getByRole('button', { name: 'Next' }).click();
        if (step === stepTitle) break;
      }
      const field = label === 'AWS Key' ? page.getByRole('textbox', { name: 'AWS Key' }) : page.getByLabel(label);
      await expect(field).toHaveAttribute('aria-invalid', 'true');
      await expect(field).toHaveAccessibleDescription(new RegExp(`^${message.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}`));
      await expect(field).toBeFocused();
      await expect(page.getByText('Invalid input')).toHaveCount(0);
    });
  }
});

test('Back keeps every value, and warnings show without blocking', async ({ signedInPage: page }) => {
  await page.goto('/destinations/new');
  await page.getByLabel('Name', { exact: true }).fill('Kept values');
  await page.getByRole('radio', { name: 'MinIO' }).check();
  await page.getByRole('button', { name: 'Next' }).click();
  await expect(page.getByLabel('Region (optional)')).toHaveValue('us-east-1');
  await page.getByLabel('Bucket URI').fill('s3://My_Lab/out');
  await page.getByLabel('Custom URL').fill('http://minio.lab:9000');
  await page.getByLabel('Custom URL').blur();
  await expect(page.getByText('This Custom URL uses http://')).toBeVisible();
  await page.getByRole('button', { name: 'Next' }).click();
  await expect(page.getByRole('heading', { name: 'Step 3 of 4: Authentication' })).toBeVisible();
  await page.getByRole('button', { name: 'Back' }).click();
  await expect(page.getByLabel('Bucket URI')).toHaveValue('s3://My_Lab/out');
  await expect(page.getByLabel('Custom URL')).toHaveValue('http://minio.lab:9000');
  await page.getByRole('button', { name: 'Back' }).click();
  await expect(page.getByLabel('Name', { exact: true })).toHaveValue('Kept values');
  await expect(page.getByRole('radio', { name: 'MinIO' })).toBeChecked();
});

test('a wrong secret fails the check with its hint', async ({ signedInPage: page }) => {
  await fillWizard(page, { name: uniqueName('Wrong secret'), secret: IDENTITIES.readOnly.secretAccessKey });
  await page.getByRole('button', { name: 'Save and Test' }).click();
  expect(await checkOutcome(page)).toContain('The AWS Secret Key does not match the AWS Key');
  const bucket = stepRow(page, 'Bucket');
  await expect(bucket.getByText('Failed', { exact: true })).toBeVisible();
  await expect(bucket.getByText('SignatureDoesNotMatch')).toBeVisible();
  await expect(bucket.getByText(/Paste the secret access key that was issued with this key/)).toBeVisible();
});

test('a missing bucket fails the bucket step, with the note that fits the service', async ({ signedInPage: page }) => {
  await fillWizard(page, { name: uniqueName('Missing bucket'), remoteUrl: 's3://no-such-bucket/' });
  await page.getByRole('button', { name: 'Save and Test' }).click();
  expect(await checkOutcome(page)).toContain('The bucket "no-such-bucket" does not exist');
  // An S3-compatible service not named: not AWS's "minutes to hours", only that some services take a while.
  await expect(stepRow(page, 'Bucket').getByText(/some services apply it only after a while/)).toBeVisible();
  await expect(stepRow(page, 'Bucket').getByText(/minutes to hours/)).toHaveCount(0);
  await expect(stepRow(page, 'Write a test object').getByText('Skipped', { exact: true })).toBeVisible();
});

test('a read-only identity fails the write and offers the policy to copy', async ({ signedInPage: page, context }) => {
  await context.grantPermissions(['clipboard-read', 'clipboard-write']);
  await fillWizard(page, { name: uniqueName('Read only'), identity: IDENTITIES.readOnly });
  await page.getByRole('button', { name: 'Save and Test' }).click();
  await checkOutcome(page);
  const write = stepRow(page, 'Write a test object');
  await expect(write.getByText('s3:PutObject', { exact: true })).toBeVisible();
  await write.getByText('Least-privilege policy for this destination').click();
  await expect(write.locator('pre')).toContainText('"s3:PutObject"');
  await write.getByRole('button', { name: 'Copy policy' }).click();
  await expect(write.getByRole('status')).toHaveText('Copied');
  expect(await page.evaluate(() => navigator.clipboard.readText())).toContain('arn:aws:s3:::local-bucket/e2e/*');
});

test('Test checks the unsaved connector before saving it', async ({ signedInPage: page, api }) => {
  const name = uniqueName('Tested first');
  await fillWizard(page, { name });
  await page.getByRole('button', { name: 'Test', exact: true }).click();
  expect(await checkOutcome(page)).toMatch(/^Connection works/);
  await expect(page).toHaveURL(/\/destinations\/new\?step=review$/);
  const list = (await (await api.get('/api/v1/destinations')).json()) as { name: string }[];
  expect(list.map((d) => d.name)).not.toContain(name);
});

test('the whole New connector flow works with the keyboard alone', async ({ signedInPage: page }) => {
  await page.goto('/destinations');
  const name = uniqueName('Keyboard');
  await page.getByRole('link', { name: 'New connector' }).focus();
  await page.keyboard.press('Enter');
  await expect(page.getByLabel('Name', { exact: true })).toBeVisible();
  await page.getByLabel('Name', { exact: true }).focus();
  await page.keyboard.type(name);
  await page.keyboard.press('Tab');
  // Arrow keys move through the provider radios: Amazon S3 → MinIO → R2 → B2 → Ceph → Other.
  await page.keyboard.press('Space');
  // Down the providers to the last, Other S3-compatible.
  for (let i = 0; i < 7; i++) await page.keyboard.press('ArrowDown');
  await expect(page.getByRole('radio', { name: 'Other S3-compatible' })).toBeChecked();
  await page.keyboard.press('Enter');
  await expect(page.getByRole('heading', { name: 'Step 2 of 4: Bucket' })).toBeFocused();
  await page.keyboard.press('Tab');
  await page.keyboard.type('s3://local-bucket/keyboard/');
  await page.keyboard.press('Tab');
  await page.keyboard.type(E2E_S3_ENDPOINT);
  await page.keyboard.press('Enter');
  await expect(page.getByRole('heading', { name: 'Step 3 of 4: Authentication' })).toBeFocused();
  await page.keyboard.press('Tab');
  await expect(page.getByRole('radio', { name: 'Access key' })).toBeFocused();
  await page.keyboard.press('Tab');
  await expect(page.getByLabel('Paste credentials (optional)')).toBeFocused();
  await page.keyboard.press('Tab');
  await page.keyboard.type(IDENTITIES.writer.accessKeyId);
  await page.keyboard.press('Tab');
  await page.keyboard.type(IDENTITIES.writer.secretAccessKey);
  await page.keyboard.press('Enter');
  await expect(page.getByRole('heading', { name: 'Step 4 of 4: Review' })).toBeFocused();
  const save = page.getByRole('button', { name: 'Save and Test' });
  for (let i = 0; i < 6 && !(await save.evaluate((el) => el === document.activeElement)); i++) await page.keyboard.press('Tab');
  await expect(save).toBeFocused();
  await page.keyboard.press('Enter');
  expect(await checkOutcome(page)).toMatch(/^Connection works/);
});

test('the wizard passes axe on every step', async ({ signedInPage: page }) => {
  await page.goto('/destinations/new');
  await expectNoAxeViolations(page);
  await page.getByRole('button', { name: 'Next' }).click();
  await expect(page.getByLabel('Name', { exact: true })).toHaveAttribute('aria-invalid', 'true');
  await expectNoAxeViolations(page);
  await fillWizard(page, { name: uniqueName('Axe wizard') });
  await expectNoAxeViolations(page);
});

test('a temporary key under "Access key" is named on the AWS Key field, with a one-click switch to Temporary credentials', async ({
  signedInPage: page,
}) => {
  await page.goto('/destinations/new');
  await page.getByLabel('Name', { exact: true }).fill(uniqueName('Temporary key'));
  await page.getByRole('button', { name: 'Next' }).click();
  await page.getByLabel('Bucket URI').fill('s3://local-bucket/temporary/');
  await page.getByRole('button', { name: 'Next' }).click();
  const key = page.getByRole('textbox', { name: 'AWS Key' });
  await key.fill(IDENTITIES.temporary.accessKeyId);
  await page.getByLabel('AWS Secret Key').fill(IDENTITIES.temporary.secretAccessKey);
  await page.getByRole('button', { name: 'Next' }).click();
  // Not a silent dead end: the error is on a field the user can see, and focus goes there.
  await expect(key).toHaveAccessibleDescription(/This is a temporary key: choose Temporary credentials and add its STS Token/);
  await expect(key).toBeFocused();
  await page.getByRole('button', { name: 'Use Temporary credentials' }).click();
  await expect(page.getByRole('radio', { name: 'Temporary STS credentials' })).toBeChecked();
  await expect(page.getByLabel('STS Token')).toBeFocused();
  await page.getByLabel('STS Token').fill(IDENTITIES.temporary.sessionToken);
  await page.getByRole('button', { name: 'Next' }).click();
  await expect(page.getByRole('heading', { name: 'Step 4 of 4: Review' })).toBeVisible();
});

test('Test on the Review step shows its results: focus moves to them, in view at 1440×900; the policy waits, collapsed', async ({
  signedInPage: page,
}) => {
  await page.setViewportSize({ width: 1440, height: 900 });
  await page.goto('/destinations/new');
  await page.getByLabel('Name', { exact: true }).fill(uniqueName('Review test'));
  await page.getByRole('button', { name: 'Next' }).click();
  await page.getByLabel('Bucket URI').fill('s3://local-bucket/review/');
  await page.getByRole('button', { name: 'Next' }).click();
  await page.getByRole('textbox', { name: 'AWS Key' }).fill(IDENTITIES.writer.accessKeyId);
  await page.getByLabel('AWS Secret Key').fill(IDENTITIES.writer.secretAccessKey);
  await page.getByRole('button', { name: 'Next' }).click();
  await expect(page.getByRole('heading', { name: 'Step 4 of 4: Review' })).toBeVisible();
  await expect(page.getByText('Least-privilege IAM policy')).toBeVisible();
  await expect(page.getByLabel('IAM policy')).toBeHidden();
  await page.getByRole('button', { name: 'Test', exact: true }).click();
  const heading = page.getByRole('heading', { name: 'Test of the unsaved connector' });
  await expect(heading).toBeFocused();
  await expect(heading).toBeInViewport();
  expect(await checkOutcome(page)).toMatch(/^Connection works/);
});

test('a name already in use is said on leaving the Name field, and Next does not move on', async ({ signedInPage: page, api }) => {
  const taken = uniqueName('Taken');
  await createDestination(api, taken);
  await page.goto('/destinations/new');
  const name = page.getByLabel('Name', { exact: true });
  await name.fill(taken.toUpperCase());
  await page.getByRole('radio', { name: 'Amazon S3' }).focus();
  await expect(name).toHaveAccessibleDescription(new RegExp(`A destination named “${taken}” already exists; choose another name`));
  await page.getByRole('button', { name: 'Next' }).click();
  await expect(page.getByRole('heading', { name: 'Step 1 of 4: Connector' })).toBeVisible();
  await expect(name).toBeFocused();
  await name.fill(`${taken} (2)`);
  await page.getByRole('button', { name: 'Next' }).click();
  await expect(page.getByRole('heading', { name: 'Step 2 of 4: Bucket' })).toBeVisible();
});

test('the AWS Secret Key and STS Token are hidden as typed, and Show reveals only what was typed here', async ({ signedInPage: page }) => {
  await page.goto('/destinations/new');
  await page.getByLabel('Name', { exact: true }).fill(uniqueName('Show secret'));
  await page.getByRole('radio', { name: 'Amazon S3' }).check();
  await page.getByRole('button', { name: 'Next' }).click();
  await page.getByLabel('Bucket URI').fill('s3://local-bucket/show/');
  await page.getByRole('button', { name: 'Next' }).click();
  const secret = page.getByLabel('AWS Secret Key');
  await secret.fill(IDENTITIES.writer.secretAccessKey);
  await expect(secret).toHaveAttribute('type', 'password');
  const show = page.getByRole('button', { name: 'Show AWS Secret Key' });
  await expect(show).toHaveAttribute('aria-pressed', 'false');
  await show.click();
  await expect(secret).toHaveAttribute('type', 'text');
  await expect(page.getByRole('button', { name: 'Hide AWS Secret Key' })).toHaveAttribute('aria-pressed', 'true');
  await expect(secret).toHaveValue(IDENTITIES.writer.secretAccessKey);
  await page.getByRole('button', { name: 'Hide AWS Secret Key' }).click();
  await expect(secret).toHaveAttribute('type', 'password');
  // One rule for both secrets: the STS Token too.
  await page.getByRole('radio', { name: 'Temporary STS credentials' }).check();
  const token = page.getByLabel('STS Token');
  await token.fill(IDENTITIES.temporary.sessionToken);
  await expect(token).toHaveAttribute('type', 'password');
  await page.getByRole('button', { name: 'Show STS Token' }).click();
  await expect(token).toHaveAttribute('type', 'text');
  await expectNoAxeViolations(page);
});
