import { createDestination, expect, expectNoAxeViolations, fillWizard, test, uniqueName } from './fixtures.ts';

/** Scheduled re-checks on screen: the default a new connector gets, changing it, and when the next one comes. */
test('a new connector is checked daily; its page changes that, and the list says when the next check comes', async ({ signedInPage: page, api }) => {
  const destination = await createDestination(api, uniqueName('Scheduled'));
  await page.goto(`/destinations/${destination.id}`);
  const schedule = page.getByLabel('Check again by itself');
  await expect(schedule).toHaveValue('daily');
  await expect(schedule).toHaveAccessibleDescription(/^Next check in \d+ (hours?|minutes?|seconds?)\./);
  await schedule.selectOption({ label: 'Every hour' });
  await expect(schedule).toHaveAccessibleDescription(/^Next check in (\d+ minutes?|\d+ seconds?|1 hour)\./);
  await expectNoAxeViolations(page);
  await page.reload();
  await expect(page.getByLabel('Check again by itself')).toHaveValue('hourly');
  // The change is on record, by what the form calls it.
  await expect(page.getByRole('list').filter({ hasText: 'Scheduled checks' })).toBeVisible();

  await page.goto(`/destinations?q=${encodeURIComponent(destination.name)}`);
  const row = page.getByRole('row', { name: new RegExp(destination.name) });
  await expect(row.getByText(/^next in \d+ (minutes?|seconds?)$|^next in 1 hour$/)).toBeVisible();

  await page.goto(`/destinations/${destination.id}`);
  await page.getByLabel('Check again by itself').selectOption({ label: 'Off' });
  await expect(page.getByLabel('Check again by itself')).toHaveAccessibleDescription(/^Not checked by itself\./);
  await page.goto(`/destinations?q=${encodeURIComponent(destination.name)}`);
  await expect(page.getByRole('row', { name: new RegExp(destination.name) }).getByText(/^next in/)).toHaveCount(0);
});

test('the wizard says a new connector will be checked again every day', async ({ signedInPage: page }) => {
  await fillWizard(page, { name: uniqueName('Wizard schedule') });
  await expect(page.getByRole('heading', { name: 'Step 4 of 4: Review' })).toBeVisible();
  await expect(page.getByText("Every day (change it on the connector's page)")).toBeVisible();
});
