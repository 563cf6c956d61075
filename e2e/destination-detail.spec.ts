import {
  checkOutcome,
  createDestination,
  E2E_S3_ENDPOINT,
  E2E_SILENT_ENDPOINT,
  expect,
  expectNoAxeViolations,
  fillWizard,
  IDENTITIES,
  stepRow,
  test,
  uniqueName,
} from './fixtures.ts';
import { execFileSync } from 'node:child_process';

const localConfig = (identity = IDENTITIES.writer) => ({
  remote_url: 's3://local-bucket/detail/',
  endpoint_url: E2E_S3_ENDPOINT,
  key: identity.accessKeyId,
  secret: identity.secretAccessKey,
});

test('Test adds a second check to the history, each openable', async ({ signedInPage: page, api }) => {
  const destination = await createDestination(api, uniqueName('History'), localConfig());
  await page.goto(`/destinations/${destination.id}`);
  await expect(page.getByText('Not tested yet')).toBeVisible();
  await page.getByRole('button', { name: 'Test', exact: true }).click();
  expect(await checkOutcome(page)).toMatch(/^Connection works/);
  await page.getByRole('button', { name: 'Test', exact: true }).click();
  await expect(page.getByRole('table', { name: /history/i }).getByRole('row')).toHaveCount(3);
  expect(await checkOutcome(page)).toMatch(/^Connection works/);
  const links = page.getByRole('table', { name: /history/i }).getByRole('link');
  await expect(links).toHaveCount(2);
  const activity = page.getByRole('region', { name: 'Activity' });
  await expect(activity.getByText('Connection check')).toHaveCount(2);
  await expect(activity.getByText('Created')).toBeVisible();
  await links.last().click();
  await expect(page).toHaveURL(/\?check=[0-9a-f-]{36}$/);
  await expect(
    page
      .getByRole('table', { name: /history/i })
      .getByRole('row')
      .last(),
  ).toHaveAttribute('aria-current', 'true');
});

test('edits the name and replaces the secret, keeping what was not touched', async ({ signedInPage: page, api }) => {
  const destination = await createDestination(api, uniqueName('Edit me'), localConfig(IDENTITIES.readOnly));
  await page.goto(`/destinations/${destination.id}`);
  await page.getByRole('link', { name: 'Edit' }).click();
  await expect(page.getByLabel('AWS Secret Key')).toHaveValue('');
  await expect(page.getByLabel('AWS Secret Key')).toHaveAccessibleDescription(/A secret key is saved: leave this empty to keep it/);
  const name = uniqueName('Edited');
  await page.getByLabel('Name', { exact: true }).fill(name);
  await page.getByRole('textbox', { name: 'AWS Key' }).fill(IDENTITIES.writer.accessKeyId);
  await page.getByRole('button', { name: 'Save changes' }).click();
  // A new key needs its secret again: saved credentials never go with a key they were not entered for.
  await expect(page.getByLabel('AWS Secret Key')).toHaveAccessibleDescription(/You changed the AWS Key: enter the AWS Secret Key again/);
  await page.getByLabel('AWS Secret Key').fill(IDENTITIES.writer.secretAccessKey);
  await page.getByRole('button', { name: 'Save changes' }).click();
  await expect(page.getByRole('heading', { name, level: 1 })).toBeVisible();
  const saved = await (await api.get(`/api/v1/destinations/${destination.id}`)).json();
  expect(saved).toMatchObject({ name, version: 2, config: { key: IDENTITIES.writer.accessKeyId, remote_url: 's3://local-bucket/detail/' } });
  // The activity says what changed in the form's words, never the values.
  await expect(page.getByRole('region', { name: 'Activity' }).getByText(': Name, AWS Key, AWS Secret Key')).toBeVisible();
  await page.getByRole('button', { name: 'Test' }).click();
  expect(await checkOutcome(page)).toMatch(/^Connection works/);
  expect(await page.content()).not.toContain(IDENTITIES.writer.secretAccessKey);
});

test('a stale edit says the connector changed elsewhere and offers a reload', async ({ signedInPage: page, api }) => {
  const destination = await createDestination(api, uniqueName('Stale'), localConfig());
  await page.goto(`/destinations/${destination.id}/edit`);
  await expect(page.getByLabel('Name', { exact: true })).toBeVisible();
  const elsewhere = uniqueName('Renamed elsewhere');
  const put = await api.put(`/api/v1/destinations/${destination.id}`, { data: { name: elsewhere }, headers: { 'if-match': '"1"' } });
  expect(put.status()).toBe(200);
  await page.getByLabel('Region (optional)').fill('us-east-1');
  await page.getByRole('button', { name: 'Save changes' }).click();
  await expect(page.getByRole('alert')).toContainText('This connector was changed elsewhere since you opened it.');
  await page.getByRole('button', { name: 'Reload the saved connector' }).click();
  await expect(page.getByLabel('Name', { exact: true })).toHaveValue(elsewhere);
});

test('deletes from the list after a dialog that names the connector; Escape cancels', async ({ signedInPage: page, api }) => {
  const name = uniqueName('Doomed');
  await createDestination(api, name, localConfig());
  await page.goto('/destinations');
  const trigger = page.getByRole('button', { name: `Delete ${name}` });
  await trigger.click();
  const dialog = page.getByRole('dialog', { name: `Delete “${name}”?` });
  await expect(dialog).toBeVisible();
  await expectNoAxeViolations(page);
  await page.keyboard.press('Escape');
  await expect(dialog).toBeHidden();
  await expect(trigger).toBeFocused();
  await trigger.click();
  await dialog.getByRole('button', { name: 'Delete connector' }).click();
  await expect(dialog).toBeHidden();
  await expect(page.getByRole('row', { name: new RegExp(name) })).toHaveCount(0);
  // Says what was deleted, and focus is on the list, not lost with the row's button.
  await expect(page.getByRole('status').filter({ hasText: `Deleted “${name}” and its connection check history.` })).toBeVisible();
  await expect(page.getByRole('heading', { name: 'Destinations', level: 1 })).toBeFocused();
});

test('deleting from the detail page leads to the list, which says what was deleted', async ({ signedInPage: page, api }) => {
  const name = uniqueName('Doomed from detail');
  const destination = await createDestination(api, name, localConfig());
  await page.goto(`/destinations/${destination.id}`);
  await page.getByRole('button', { name: 'Delete', exact: true }).click();
  await page.getByRole('dialog').getByRole('button', { name: 'Delete connector' }).click();
  await expect(page).toHaveURL(/\/destinations$/);
  await expect(page.getByRole('heading', { name: 'Destinations', level: 1 })).toBeFocused();
  await expect(page.getByRole('status').filter({ hasText: `Deleted “${name}”` })).toBeVisible();
  // Said once: a reload does not say it again.
  await page.reload();
  await expect(page.getByText(`Deleted “${name}”`)).toHaveCount(0);
});

test('an unknown or malformed connector id is a not-found page with its own title and the way back, not "Try again"', async ({
  signedInPage: page,
}) => {
  for (const path of [
    '/destinations/6f1c5a43-3a9b-4c56-8a55-0d3d7a1b2c3d',
    '/destinations/not-an-id',
    '/destinations/6f1c5a43-3a9b-4c56-8a55-0d3d7a1b2c3d/edit',
  ]) {
    await page.goto(path);
    await expect(page.getByRole('heading', { name: 'Connector not found', level: 1 }), path).toBeVisible();
    await expect(page).toHaveTitle('Connector not found · S3 destinations');
    await expect(page.getByRole('button', { name: 'Try again' })).toHaveCount(0);
    await expect(page.getByRole('link', { name: 'Go to the destinations' })).toBeVisible();
  }
});

test('the list row Test starts a check and shows it on the detail page', async ({ signedInPage: page, api }) => {
  const name = uniqueName('Row test');
  await createDestination(api, name, localConfig());
  await page.goto('/destinations');
  await page.getByRole('button', { name: `Test ${name}` }).click();
  await expect(page.getByRole('heading', { name, level: 1 })).toBeVisible();
  expect(await checkOutcome(page)).toMatch(/^Connection works/);
});

test('the detail and edit pages pass axe', async ({ signedInPage: page, api }) => {
  const destination = await createDestination(api, uniqueName('Axe detail'), localConfig(IDENTITIES.readOnly));
  await page.goto(`/destinations/${destination.id}`);
  await page.getByRole('button', { name: 'Test', exact: true }).click();
  await checkOutcome(page);
  await page.getByText('Least-privilege policy for this destination').click();
  await expectNoAxeViolations(page);
  await page.goto(`/destinations/${destination.id}/edit`);
  await expect(page.getByLabel('Name', { exact: true })).toBeVisible();
  await expectNoAxeViolations(page);
});

test('a session that ends mid-wizard signs in again without losing what was typed', async ({ signedInPage: page, context }) => {
  const name = uniqueName('Survives sign-in');
  await fillWizard(page, { name });
  await context.clearCookies();
  await page.getByRole('button', { name: 'Save and Test' }).click();
  const dialog = page.getByRole('dialog', { name: 'Sign in again' });
  await expect(dialog).toBeVisible();
  // Who was signed in is filled in: only the password is asked for.
  await expect(dialog.getByLabel('E-mail', { exact: true })).toHaveValue('admin');
  await expect(dialog.getByLabel('Password', { exact: true })).toBeFocused();
  await dialog.getByLabel('Password', { exact: true }).fill('e2e admin password');
  await dialog.getByRole('button', { name: 'Sign in' }).click();
  await expect(dialog).toBeHidden();
  await expect(page.getByRole('heading', { name: 'Step 4 of 4: Review' })).toBeVisible();
  await expect(page.getByText(name, { exact: true })).toBeVisible();
  await page.getByRole('button', { name: 'Save and Test' }).click();
  await expect(page.getByRole('heading', { name, level: 1 })).toBeVisible();
});

test('leaving the wizard with unsaved input asks first', async ({ signedInPage: page }) => {
  await page.goto('/destinations/new');
  await page.getByLabel('Name', { exact: true }).fill('Half typed');
  let asked = '';
  page.once('dialog', (dialog) => {
    asked = dialog.message();
    void dialog.dismiss();
  });
  await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Destinations' }).click();
  expect(asked).toContain('Leave without saving?');
  await expect(page).toHaveURL(/\/destinations\/new$/);
  await expect(page.getByLabel('Name', { exact: true })).toHaveValue('Half typed');
});

test('the wizard step is in the URL: browser Back and Forward move between steps, done steps are links, Cancel asks first', async ({
  signedInPage: page,
}) => {
  const dialogs: string[] = [];
  page.on('dialog', (dialog) => {
    dialogs.push(dialog.message());
    void (dialogs.length === 1 ? dialog.dismiss() : dialog.accept());
  });
  // A step past the furthest reached cannot be opened by its address (nothing typed is kept in the browser).
  await page.goto('/destinations/new?step=review');
  await expect(page).toHaveURL(/\/destinations\/new$/);
  await expect(page.getByRole('heading', { name: 'Step 1 of 4: Connector' })).toBeVisible();
  await page.getByLabel('Name', { exact: true }).fill('Stepping through');
  await page.getByRole('button', { name: 'Next' }).click();
  await expect(page).toHaveURL(/\/destinations\/new\?step=bucket$/);
  await page.getByLabel('Bucket URI').fill('s3://local-bucket/steps/');
  await page.getByRole('button', { name: 'Next' }).click();
  await expect(page.getByRole('heading', { name: 'Step 3 of 4: Authentication' })).toBeVisible();
  await expect(page).toHaveURL(/\?step=authentication$/);

  // Back and Forward move between steps, keeping what was typed, without asking: nothing is left.
  await page.goBack();
  await expect(page.getByRole('heading', { name: 'Step 2 of 4: Bucket' })).toBeVisible();
  await expect(page.getByLabel('Bucket URI')).toHaveValue('s3://local-bucket/steps/');
  await page.goBack();
  await expect(page.getByRole('heading', { name: 'Step 1 of 4: Connector' })).toBeFocused();
  await expect(page.getByLabel('Name', { exact: true })).toHaveValue('Stepping through');
  await page.goForward();
  await expect(page.getByRole('heading', { name: 'Step 2 of 4: Bucket' })).toBeVisible();
  expect(dialogs).toEqual([]);

  // A step done is a link back to it; a step not reached is not.
  const steps = page.getByRole('list', { name: 'Steps' });
  await expect(steps.getByRole('link')).toHaveCount(1);
  await expect(steps.getByRole('link', { name: 'Authentication' })).toHaveCount(0);
  await steps.getByRole('link', { name: /Connector/ }).click();
  await expect(page.getByRole('heading', { name: 'Step 1 of 4: Connector' })).toBeVisible();

  // Cancel leaves, asking first when something was typed: staying keeps it, leaving goes to the list.
  await page.getByLabel('Name', { exact: true }).fill('About to cancel');
  await page.getByRole('link', { name: 'Cancel' }).click();
  expect(dialogs).toEqual(['Leave without saving? What you typed in this connector will be lost.']);
  await expect(page.getByLabel('Name', { exact: true })).toHaveValue('About to cancel');
  await page.getByRole('link', { name: 'Cancel' }).click();
  await expect(page.getByRole('heading', { name: 'Destinations', level: 1 })).toBeVisible();
  expect(dialogs).toHaveLength(2);
});

test('a browser clock behind the server never puts a finished check in the future: "just now", not "in 3 minutes"', async ({
  signedInPage: page,
  api,
}) => {
  const destination = await createDestination(api, uniqueName('Clock behind'), localConfig());
  const started = await (await api.post(`/api/v1/destinations/${destination.id}/connection-check`)).json();
  await expect.poll(async () => (await (await api.get(`/api/v1/connection-checks/${started.id}`)).json()).status).not.toBe('SCHEDULED');
  // Only the browser's clock is moved: the server's times stay real.
  await page.clock.install({ time: new Date(Date.now() - 3 * 60_000) });
  await page.goto(`/destinations/${destination.id}`);
  const history = page.getByRole('table', { name: /history/i });
  await expect(history.getByText('just now')).toBeVisible();
  await expect(history.getByText(/^in /)).toHaveCount(0);
});

test('a result from before a change is marked on the detail page and the list; Save and Test on the edit page tests what was saved', async ({
  signedInPage: page,
  api,
}) => {
  const destination = await createDestination(api, uniqueName('Stale'), localConfig());
  await page.goto(`/destinations/${destination.id}`);
  await page.getByRole('button', { name: 'Test', exact: true }).click();
  expect(await checkOutcome(page)).toMatch(/^Connection works/);
  await expect(page.getByTestId('outdated-result')).toHaveCount(0);

  // A rename is not a change to what was tested.
  await page.getByRole('link', { name: 'Edit' }).click();
  const renamed = uniqueName('Stale renamed');
  await page.getByLabel('Name', { exact: true }).fill(renamed);
  await page.getByRole('button', { name: 'Save changes' }).click();
  await expect(page.getByRole('heading', { name: renamed, level: 1 })).toBeVisible();
  await expect(page.getByTestId('outdated-result')).toHaveCount(0);

  // A new Bucket URI is.
  await page.getByRole('link', { name: 'Edit' }).click();
  await page.getByLabel('Bucket URI').fill('s3://local-bucket/elsewhere/');
  await page.getByRole('button', { name: 'Save changes' }).click();
  await expect(page.getByTestId('outdated-result')).toHaveText(/Tested before the last change to the configuration — test again/);
  await expect(page.getByRole('table', { name: /history/i }).getByText('before a change')).toBeVisible();
  await page.goto('/destinations');
  const row = page.getByRole('row').filter({ has: page.getByRole('link', { name: renamed }) });
  await expect(row.getByText('Passed before the last change')).toBeVisible();
  await expect(row.locator('.badge-ok')).toHaveCount(0);

  // Save and Test from the edit page: saved, checked, and the result is current again.
  await page.goto(`/destinations/${destination.id}/edit`);
  await page.getByLabel('Bucket URI').fill('s3://local-bucket/detail/');
  await page.getByRole('button', { name: 'Save and Test' }).click();
  await expect(page).toHaveURL(new RegExp(`/destinations/${destination.id}\\?check=[0-9a-f-]{36}$`));
  expect(await checkOutcome(page)).toMatch(/^Connection works/);
  await expect(page.getByTestId('outdated-result')).toHaveCount(0);
  await expect(page.getByRole('table', { name: /history/i }).getByRole('row')).toHaveCount(3);
  const saved = await (await api.get(`/api/v1/destinations/${destination.id}`)).json();
  expect(saved).toMatchObject({ config_version: 3, config: { remote_url: 's3://local-bucket/detail/' }, last_check: { config_version: 3 } });
});

test('the edit page keeps the provider chosen in the wizard, and the detail page names it', async ({ signedInPage: page }) => {
  const name = uniqueName('MinIO kept');
  await fillWizard(page, { name, provider: 'MinIO' });
  await page.getByRole('button', { name: 'Save and Test' }).click();
  await expect(page.getByRole('heading', { name, level: 1 })).toBeVisible();
  await expect(page.getByRole('definition').filter({ hasText: `MinIO at ${E2E_S3_ENDPOINT}` })).toBeVisible();
  await page.getByRole('link', { name: 'Edit' }).click();
  await expect(page.getByRole('radio', { name: 'MinIO' })).toBeChecked();
  await expect(page.getByLabel('Custom URL')).toHaveValue(E2E_S3_ENDPOINT);
});

test('a running check shows its elapsed time and can be cancelled: it ends "cancelled" with no step left running', async ({
  signedInPage: page,
  api,
}) => {
  const destination = await createDestination(api, uniqueName('Cancel me'), { ...localConfig(), endpoint_url: E2E_SILENT_ENDPOINT });
  await page.goto(`/destinations/${destination.id}`);
  await page.getByRole('button', { name: 'Test', exact: true }).click();
  await expect(page.getByText('Testing the connection…')).toBeVisible();
  // The counter moves by itself while the endpoint says nothing.
  const elapsed = page.locator('.elapsed');
  await expect(elapsed).toHaveText(/^\d+ s$/);
  await expect(elapsed).not.toHaveText(/^0 s$/);
  // At once: the check ends by itself at its time budget (8 s here), and an axe scan first took longer than that on a
  // busy machine (CI saw the button gone before the click). The running screen's axe scan is the next test's.
  await page.getByRole('button', { name: 'Cancel check' }).click();
  // Neither a pass nor a failure, and who cancelled it.
  expect(await checkOutcome(page)).toMatch(/^Cancelled by \S+ before it finished: this check says nothing about the connection\.$/);
  await expect(elapsed).toHaveCount(0);
  await expect(page.getByRole('button', { name: 'Cancel check' })).toHaveCount(0);
  const results = page.getByRole('region', { name: 'Connection check' });
  await expect(results.getByText(/^(Running|Waiting)$/)).toHaveCount(0);
  await expect(results.getByText('Skipped: the check was cancelled before it finished.').first()).toBeVisible();
  await expect(page.getByRole('table', { name: /history/i }).getByText('Cancelled', { exact: true })).toBeVisible();
  await expect(page.getByRole('table', { name: /history/i }).getByText('Failed', { exact: true })).toHaveCount(0);
  // The list does not call the connector failed for it.
  await page.getByRole('link', { name: 'Destinations' }).first().click();
  const row = page.getByRole('row', { name: new RegExp(destination.name) });
  await expect(row).toBeVisible();
  await expect(row.getByText('Failed', { exact: true })).toHaveCount(0);
});

test('a running check passes axe: its counter, its Cancel button and its waiting steps', async ({ signedInPage: page, api }) => {
  const destination = await createDestination(api, uniqueName('Running axe'), { ...localConfig(), endpoint_url: E2E_SILENT_ENDPOINT });
  await page.goto(`/destinations/${destination.id}`);
  await page.getByRole('button', { name: 'Test', exact: true }).click();
  await expect(page.getByRole('button', { name: 'Cancel check' })).toBeVisible();
  await expectNoAxeViolations(page);
  // It ends by itself at its time budget (8 s here), with nothing left running.
  expect(await checkOutcome(page)).toMatch(/^Connection failed: No answer within the check's time budget/);
  await expect(page.locator('.elapsed')).toHaveCount(0);
});
test('step bars are a timeline: each starts at its own offset within the check, with the total labelled', async ({ signedInPage: page, api }) => {
  const destination = await createDestination(api, uniqueName('Timeline'), localConfig());
  await page.goto(`/destinations/${destination.id}`);
  await page.getByRole('button', { name: 'Test', exact: true }).click();
  expect(await checkOutcome(page)).toMatch(/^Connection works/);
  await expect(page.getByText(/Total \d+(\.\d)? (ms|s)\.$/)).toBeVisible();
  // History says the same total as the timeline (it said the time from queueing to saving, a different number).
  const total = /Total (.+)\.$/.exec(await page.getByText(/Total \d+(\.\d)? (ms|s)\.$/).innerText())![1];
  await expect(page.getByRole('table', { name: /history/i }).getByRole('cell', { name: total, exact: true })).toBeVisible();
  const bar = async (label: string) =>
    stepRow(page, label)
      .locator('.step-bar span')
      .evaluate((span) => ({ left: parseFloat((span as HTMLElement).style.left), width: parseFloat((span as HTMLElement).style.width) }));
  const write = await bar('Write a test object');
  const multipart = await bar('Multipart upload');
  const cleanup = await bar('Clean up');
  const bucket = await bar('Bucket');
  // After the endpoint (by the check's own times: on a fast machine the endpoint step takes under half a millisecond,
  // and the bucket's bar starts at 0 %), the bucket and both writes run side by side (each starts before the others
  // end); cleanup starts once all three have ended and ends the timeline.
  const check = (await (await api.get(`/api/v1/destinations/${destination.id}/connection-check`)).json()) as {
    steps: { name: string; started_ms: number; duration_ms: number }[];
  };
  const timed = (name: string) => check.steps.find((step) => step.name === name)!;
  expect(timed('bucket').started_ms).toBeGreaterThanOrEqual(timed('endpoint').started_ms + timed('endpoint').duration_ms - 1);
  const together = [bucket, write, multipart];
  for (const step of together) expect(step.left).toBeLessThan(Math.min(...together.map(({ left, width }) => left + width)));
  expect(cleanup.left).toBeGreaterThanOrEqual(Math.max(...together.map(({ left, width }) => left + width)) - 1);
  expect(cleanup.left + cleanup.width).toBeGreaterThan(99);
  // A step that never ran (no STS identity on an S3-compatible service) has no bar.
  await expect(stepRow(page, 'Identity (STS)').locator('.step-bar')).toHaveCount(0);
});

test('Copy as API request gives a curl command without the secret that, run in a shell with the key and secret set, creates the same destination', async ({
  signedInPage: page,
  api,
}) => {
  const name = uniqueName('Copied as curl');
  const original = await createDestination(api, name, { ...localConfig(), region: 'us-east-1' });
  await page.context().grantPermissions(['clipboard-read', 'clipboard-write']);
  await page.goto(`/destinations/${original.id}`);
  await page.getByText('Copy as API request').click();
  const curl = page.getByRole('figure', { name: 'curl' });
  await expect(curl).toContainText('$AWS_SECRET_ACCESS_KEY');
  await expect(page.getByRole('figure', { name: 'Python (unstructured-client)' })).toContainText('os.environ["AWS_SECRET_ACCESS_KEY"]');
  expect(await page.content()).not.toContain(IDENTITIES.writer.secretAccessKey);
  await curl.getByRole('button', { name: 'Copy curl' }).click();
  const copied = await page.evaluate(() => navigator.clipboard.readText());
  await expectNoAxeViolations(page);

  // The copy, edited as its note says (another name), run by a real shell and curl with an editor key.
  const created = await api.post('/api/v1/api-keys', { data: { name: uniqueName('curl'), role: 'editor', expires_at: null } });
  const { key } = (await created.json()) as { key: string };
  const copyName = `${name} (copy)`;
  const script = copied.replace(`"name": "${name}"`, `"name": "${copyName}"`);
  expect(script).not.toBe(copied);
  const output = execFileSync('bash', ['-c', script], {
    env: { PATH: process.env.PATH, S3DEST_API_KEY: key, AWS_SECRET_ACCESS_KEY: IDENTITIES.writer.secretAccessKey },
    encoding: 'utf8',
  });
  const copy = JSON.parse(output) as { id: string; name: string; config: Record<string, unknown> };
  expect(copy).toMatchObject({
    name: copyName,
    config: {
      remote_url: 's3://local-bucket/detail/',
      endpoint_url: E2E_S3_ENDPOINT,
      key: IDENTITIES.writer.accessKeyId,
      region: 'us-east-1',
      secret: '**********',
    },
  });
  // The secret the shell filled in is the one that works: the copy passes its check.
  await page.goto(`/destinations/${copy.id}`);
  await page.getByRole('button', { name: 'Test', exact: true }).click();
  expect(await checkOutcome(page)).toMatch(/^Connection works/);
});

test('every result says when it ran, and an older one opened from History says so, with the way to the latest', async ({
  signedInPage: page,
  api,
}) => {
  const destination = await createDestination(api, uniqueName('Older result'), localConfig());
  const finish = async () => {
    const started = await (await api.post(`/api/v1/destinations/${destination.id}/connection-check`)).json();
    await expect.poll(async () => (await (await api.get(`/api/v1/connection-checks/${started.id}`)).json()).status).not.toBe('SCHEDULED');
    return started.id as string;
  };
  const older = await finish();
  const latest = await finish();
  await page.goto(`/destinations/${destination.id}?check=${older}`);
  const results = page.getByRole('region', { name: 'Connection check' });
  await expect(results.getByText(/^Ran .+ \((just now|\d+ (seconds?|minutes?) ago)\)\.$/)).toBeVisible();
  const notice = page.getByTestId('older-result');
  await expect(notice).toContainText(/An older result\. The latest check \(.+\) passed/);
  await notice.getByRole('link', { name: 'open the latest result' }).click();
  await expect(page).toHaveURL(new RegExp(`check=${latest}$`));
  await expect(page.getByTestId('older-result')).toHaveCount(0);
  await expect(results.getByText(/^Ran /)).toBeVisible();
});
