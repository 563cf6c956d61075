import { E2E_S3_ENDPOINT, checkOutcome, expect, expectNoAxeViolations, IDENTITIES, stepRow, test, uniqueName } from './fixtures.ts';
import type { Page } from '@playwright/test';
import { updateAssumeRolePolicy } from './local-s3/iam.ts';
import { CUSTOMER_ACCOUNT } from './local-s3/identities.ts';
import { E2E_ASSUMED_ROLE_LIFETIME_MS, E2E_ORIGIN } from '../playwright.config.ts';

const ROLE_NAME = 'customer-s3-writer';
const ROLE = `arn:aws:iam::${CUSTOMER_ACCOUNT}:role/${ROLE_NAME}`;

/** The wizard up to its Authentication step, with "IAM role" chosen and `roleArn` typed. */
async function toRoleStep(page: Page, name: string, roleArn: string) {
  await page.goto('/destinations/new');
  await page.getByLabel('Name', { exact: true }).fill(name);
  await page.getByRole('button', { name: 'Next' }).click();
  await page.getByLabel('Bucket URI').fill('s3://local-bucket/e2e-role/');
  await page.getByRole('button', { name: 'Next' }).click();
  await page.getByRole('radio', { name: 'IAM role' }).check();
  await page.getByLabel('Role ARN').fill(roleArn);
}

test('an IAM-role connector: the trust policy copied into the role, a passing check, and another once the first credentials expired', async ({
  signedInPage: page,
}) => {
  test.setTimeout(60_000);
  await page.context().grantPermissions(['clipboard-read', 'clipboard-write'], { origin: E2E_ORIGIN });
  const name = uniqueName('Role');
  await toRoleStep(page, name, ROLE);

  // The trust policy names this server's base identity and the external ID the server made for this connector.
  const trust = page.getByRole('figure', { name: 'Trust policy' });
  await expect(trust).toBeVisible();
  const externalId = (await page.locator('.trust-policy code').first().innerText()).trim();
  expect(externalId).toMatch(/^[\w-]{32}$/);
  await expectNoAxeViolations(page);
  await page.getByRole('button', { name: 'Copy Trust policy' }).click();
  await expect(page.getByText('Copied')).toBeVisible();
  const copied = await page.evaluate(() => navigator.clipboard.readText());
  expect(JSON.parse(copied)).toMatchObject({
    Statement: [
      { Principal: { AWS: IDENTITIES.roleBase.arn }, Action: 'sts:AssumeRole', Condition: { StringEquals: { 'sts:ExternalId': externalId } } },
    ],
  });
  // The customer's administrator pastes it into the role (`aws iam update-assume-role-policy`).
  const updated = await updateAssumeRolePolicy(E2E_S3_ENDPOINT, IDENTITIES.customerAdmin, ROLE_NAME, copied);
  expect(updated.status, updated.body).toBe(200);

  await page.getByRole('button', { name: 'Next' }).click();
  await expect(page.getByRole('heading', { name: 'Step 4 of 4: Review' })).toBeVisible();
  await page.getByRole('button', { name: 'Save and Test' }).click();
  await expect(page.getByRole('heading', { name, level: 1 })).toBeVisible();
  expect(await checkOutcome(page)).toMatch(/^Connection works/);
  const assumeStep = stepRow(page, 'Assume the IAM role');
  await expect(assumeStep.getByText('Passed', { exact: true })).toBeVisible();
  await expect(assumeStep).toContainText('new credentials');
  await expect(stepRow(page, 'Identity (STS)')).toContainText(`assumed-role/${ROLE_NAME}/`);
  // Nothing expires from the user's point of view; the page shows the role and the external ID.
  await expect(page.getByText(ROLE, { exact: true })).toBeVisible();
  await expect(page.getByText(externalId, { exact: true }).first()).toBeVisible();

  // Past the first credentials' life (the local STS hands out short ones): the server assumes the role again.
  await page.waitForTimeout(E2E_ASSUMED_ROLE_LIFETIME_MS + 500);
  await page.getByRole('button', { name: 'Test', exact: true }).click();
  await expect(page.getByRole('table', { name: /history/i }).getByRole('row')).toHaveCount(3);
  expect(await checkOutcome(page)).toMatch(/^Connection works/);
  await expect(stepRow(page, 'Assume the IAM role')).toContainText('new credentials');
});

test('the wizard refuses a role ARN that is not one, on the field', async ({ signedInPage: page }) => {
  await toRoleStep(page, uniqueName('Bad role'), `arn:aws:sts::${CUSTOMER_ACCOUNT}:assumed-role/${ROLE_NAME}/session`);
  await page.getByRole('button', { name: 'Next' }).click();
  await expect(page.getByLabel('Role ARN')).toHaveAccessibleDescription(/This is the ARN of a role session/);
  await expect(page.getByLabel('Role ARN')).toBeFocused();
});
