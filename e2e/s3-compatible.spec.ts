import { dialectEndpoint } from '../playwright.config.ts';
import { checkOutcome, expect, fillWizard, IDENTITIES, stepRow, test, uniqueName } from './fixtures.ts';

// One journey per family of S3-compatible service, against a local endpoint answering as that service does
// (e2e/local-s3/dialects.ts): what a person reads is in the service's own terms.

test('Ceph: a wrong secret the gateway calls AccessDenied names both causes, once, with one Update credentials', async ({ signedInPage: page }) => {
  await fillWizard(page, {
    name: uniqueName('Ceph wrong secret'),
    provider: 'Ceph (RADOS Gateway)',
    endpoint: dialectEndpoint('rgw'),
    secret: IDENTITIES.readOnly.secretAccessKey,
  });
  await page.getByRole('button', { name: 'Save and Test' }).click();
  expect(await checkOutcome(page)).toMatch(/no request of this check was accepted: the access key or secret key may be wrong or disabled/);
  const write = stepRow(page, 'Write a test object');
  await expect(write.getByText(/^First copy the access key and secret key again from the gateway user \(radosgw-admin user info/)).toBeVisible();
  await expect(stepRow(page, 'Multipart upload').getByText('Same cause as Write a test object.')).toBeVisible();
  await expect(page.getByText(/IAM policy of this identity|minutes to hours/)).toHaveCount(0);
  await expect(page.getByRole('button', { name: /Update credentials/ })).toHaveCount(1);
});

test('MinIO: a key that may not write gets MinIO’s policy words; a connector naming another service is told what answered', async ({
  signedInPage: page,
}) => {
  await fillWizard(page, {
    name: uniqueName('MinIO read-only'),
    provider: 'MinIO',
    endpoint: dialectEndpoint('minio'),
    identity: IDENTITIES.readOnly,
  });
  await page.getByRole('button', { name: 'Save and Test' }).click();
  expect(await checkOutcome(page)).toContain('Access denied: these credentials may not use s3:PutObject on bucket "local-bucket".');
  await expect(stepRow(page, 'Write a test object').getByText(/mc admin policy attach/)).toBeVisible();

  await fillWizard(page, { name: uniqueName('MinIO named Ceph'), provider: 'Ceph (RADOS Gateway)', endpoint: dialectEndpoint('minio') });
  await page.getByRole('button', { name: 'Save and Test' }).click();
  expect(await checkOutcome(page)).toMatch(/^Connection works/);
  const endpoint = stepRow(page, 'Endpoint reachable');
  await expect(endpoint.getByText(/The endpoint says it is MinIO \(Server: MinIO\), but this connector names Ceph \(RADOS Gateway\)/)).toBeVisible();
  await expect(endpoint.getByText(/choose MinIO as the Provider/)).toBeVisible();
});

test('Cloudflare R2: an AWS key where the R2 token’s belongs is told by its length', async ({ signedInPage: page }) => {
  await fillWizard(page, { name: uniqueName('R2 with an AWS key'), provider: 'Cloudflare R2', endpoint: dialectEndpoint('r2') });
  await page.getByRole('button', { name: 'Save and Test' }).click();
  expect(await checkOutcome(page)).toContain('The endpoint expects an AWS Key of 32 characters; this one has 20.');
  await expect(
    stepRow(page, 'Bucket').getByText(/from R2 → Manage API tokens .*A 20-character key is an Amazon S3 \(IAM\) access key/),
  ).toBeVisible();

  await fillWizard(page, { name: uniqueName('R2 token'), provider: 'Cloudflare R2', endpoint: dialectEndpoint('r2'), identity: IDENTITIES.r2Token });
  await page.getByRole('button', { name: 'Save and Test' }).click();
  expect(await checkOutcome(page)).toMatch(/^Connection works/);
  await expect(stepRow(page, 'Multipart upload').getByText(/R2 needs every part of an upload but the last to be of one size/)).toBeVisible();
});

test('Backblaze B2: a rate limit says how long B2 asked to wait', async ({ signedInPage: page }) => {
  // This endpoint answers every request with B2's rate limit (503 SlowDown, Retry-After: 30).
  await fillWizard(page, { name: uniqueName('B2 rate limited'), provider: 'Backblaze B2', endpoint: dialectEndpoint('b2') });
  await page.getByRole('button', { name: 'Save and Test' }).click();
  expect(await checkOutcome(page)).toContain('The endpoint asked to slow down (too many requests).');
  await expect(stepRow(page, 'Bucket').getByText(/It asked to wait 30 s \(Retry-After\): test again after that/)).toBeVisible();
});
