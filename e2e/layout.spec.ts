import type { Browser, Page } from '@playwright/test';
import { axeViolations, checkOutcome, createDestination, E2E_S3_ENDPOINT, expect, fillWizard, IDENTITIES, test, uniqueName } from './fixtures.ts';
import { CUSTOMER_ACCOUNT } from './local-s3/identities.ts';

/**
 * What the page shows sideways: the document's own scroll, any box that scrolls or clips its content sideways, and
 * every button (or link styled as one) that is not wholly inside the window and every box that clips it. And a dialog
 * reaching past the window's top or bottom: fixed in place, what it holds there (its buttons) is out of reach.
 */
async function layoutProblems(page: Page): Promise<string[]> {
  return page.evaluate(() => {
    const problems: string[] = [];
    const name = (el: Element) =>
      `${el.tagName.toLowerCase()}${el.id ? `#${el.id}` : ''}${el.className && typeof el.className === 'string' ? `.${el.className.trim().split(/\s+/).join('.')}` : ''}`;
    const doc = document.documentElement;
    if (doc.scrollWidth > doc.clientWidth) {
      problems.push(`the page scrolls sideways: ${doc.scrollWidth} > ${doc.clientWidth}`);
      // The deepest boxes that reach past the window: where to look.
      const past = [...document.querySelectorAll('body *')].filter((el) => el.getBoundingClientRect().right > doc.clientWidth + 0.5);
      for (const el of past.filter((el) => !past.some((other) => other !== el && el.contains(other))).slice(0, 5))
        problems.push(`  reaches past: ${name(el)}`);
    }
    for (const el of document.querySelectorAll('body *')) {
      const style = getComputedStyle(el);
      if (
        ['auto', 'scroll', 'hidden'].includes(style.overflowX) &&
        el.scrollWidth > el.clientWidth + 1 &&
        el.clientWidth > 1 &&
        !el.matches('input, textarea, select, pre, .visually-hidden')
      ) {
        problems.push(`${name(el)} scrolls or clips sideways: ${el.scrollWidth} > ${el.clientWidth}`);
      }
    }
    for (const dialog of document.querySelectorAll('[role="dialog"]')) {
      const rect = dialog.getBoundingClientRect();
      if (rect.top < -0.5 || rect.bottom > window.innerHeight + 0.5)
        problems.push(`${name(dialog)} reaches past the window (${Math.round(rect.top)}–${Math.round(rect.bottom)} of ${window.innerHeight})`);
    }
    for (const el of document.querySelectorAll('button, a.button, [role="button"]')) {
      const rect = el.getBoundingClientRect();
      if (rect.width === 0 || rect.height === 0 || el.closest('.visually-hidden')) continue;
      const label = `${name(el)} "${(el.textContent ?? '').trim()}"`;
      if (rect.left < -0.5 || rect.right > window.innerWidth + 0.5)
        problems.push(`${label} is outside the window (${Math.round(rect.left)}–${Math.round(rect.right)})`);
      for (let box = el.parentElement; box; box = box.parentElement) {
        if (getComputedStyle(box).overflowX === 'visible') continue;
        const outer = box.getBoundingClientRect();
        if (rect.left < outer.left - 0.5 || rect.right > outer.right + 0.5) problems.push(`${label} is clipped by ${name(box)}`);
      }
    }
    return problems;
  });
}

/** What each screen looked at shows: its layout problems and axe's findings, by the screen's name. */
function looker(page: Page) {
  const seen: Record<string, string[]> = {};
  const look = async (screen: string) => {
    seen[screen] = [...(await layoutProblems(page)), ...(await axeViolations(page))];
  };
  return { seen, look };
}

/** What a page shows someone signed out (a fresh browser context of the same size), once `ready` holds. */
async function signedOutProblems(browser: Browser, viewport: { width: number; height: number }, url: string, ready: (page: Page) => Promise<void>) {
  const context = await browser.newContext({ viewport });
  try {
    const page = await context.newPage();
    await page.goto(url);
    await ready(page);
    return [...(await layoutProblems(page)), ...(await axeViolations(page))];
  } finally {
    await context.close();
  }
}

for (const [width, height] of [
  [390, 844],
  [768, 1024],
  [1440, 900],
] as const) {
  // The screens in six tests a width: as one (20 s) the connector screens ran past their 30 s on a machine with a core
  // kept busy, and even as three the first took 18 s there.
  test(`at ${width} px the list, a connector's page and its edit page do not scroll sideways, every action is fully visible, and axe finds nothing`, async ({
    signedInPage: page,
    api,
  }) => {
    await page.setViewportSize({ width, height });
    const { seen, look } = looker(page);

    // The list with what makes a row widest: a long Bucket URI, a Custom URL, expired credentials (Update credentials).
    const expired = await createDestination(api, uniqueName('Layout expired credentials with a long name'), {
      remote_url: 's3://a-rather-long-bucket-name-for-layout/with/a/deep/prefix/for/the/exports/',
      endpoint_url: E2E_S3_ENDPOINT,
      key: IDENTITIES.expired.accessKeyId,
      secret: IDENTITIES.expired.secretAccessKey,
      token: IDENTITIES.expired.sessionToken,
      token_expires_at: new Date(Date.now() - 3600_000).toISOString(),
    });
    const denied = await createDestination(api, uniqueName('Layout read-only'), {
      remote_url: 's3://local-bucket/layout/',
      endpoint_url: E2E_S3_ENDPOINT,
      key: IDENTITIES.readOnly.accessKeyId,
      secret: IDENTITIES.readOnly.secretAccessKey,
    });
    await page.goto('/destinations');
    await expect(
      page.getByRole('button', { name: `Update credentials of ${(await (await api.get(`/api/v1/destinations/${expired.id}`)).json()).name}` }),
    ).toBeVisible();
    await look('list');

    // The detail page of a failed check: hints, IAM action, the policy opened, history, activity.
    await page.goto(`/destinations/${denied.id}`);
    await page.getByRole('button', { name: 'Test', exact: true }).click();
    await checkOutcome(page);
    await page.getByText('Least-privilege policy for this destination').click();
    await page.getByText('Copy as API request').click();
    await look('detail');
    await page.goto(`/destinations/${denied.id}/edit`);
    await expect(page.getByRole('button', { name: 'Save and Test' })).toBeVisible();
    await look('edit');

    await page.goto('/destinations?q=nothing-matches-this');
    await expect(page.getByText(/No connectors match/)).toBeVisible();
    await look('list: nothing matches');
    await page.goto('/destinations/00000000-0000-4000-8000-000000000000');
    await expect(page.getByRole('heading', { name: 'Connector not found' })).toBeVisible();
    await look('not found');

    expect(seen).toEqual(Object.fromEntries(Object.keys(seen).map((screen) => [screen, []])));
  });

  test(`at ${width} px the API keys screen, its new key dialog and the sign-in screen fit, and axe finds nothing`, async ({
    signedInPage: page,
    api,
    browser,
  }) => {
    await page.setViewportSize({ width, height });
    const { seen, look } = looker(page);
    // API keys: a long-named key in the list, how to use a key, and the new key dialog.
    expect(
      (
        await api.post('/api/v1/api-keys', {
          data: { name: uniqueName('Layout key for the nightly export pipeline'), role: 'editor', expires_at: null },
        })
      ).status(),
    ).toBe(201);
    await page.goto('/api-keys');
    await expect(page.getByRole('figure', { name: 'curl' })).toBeVisible();
    await look('api keys');
    await page.getByRole('button', { name: 'New API key' }).click();
    await expect(page.getByRole('dialog', { name: 'New API key' })).toBeVisible();
    await look('api keys: new key');

    seen['sign-in'] = await signedOutProblems(browser, { width, height }, '/destinations', (signedOut) =>
      expect(signedOut.getByRole('button', { name: 'Sign in' })).toBeVisible(),
    );

    expect(seen).toEqual(Object.fromEntries(Object.keys(seen).map((screen) => [screen, []])));
  });

  test(`at ${width} px each step of the wizard fits, every action is fully visible, and axe finds nothing`, async ({ signedInPage: page }) => {
    await page.setViewportSize({ width, height });
    const { seen, look } = looker(page);
    // The wizard, each step.
    await page.goto('/destinations/new');
    await look('wizard: connector');
    await page.getByLabel('Name', { exact: true }).fill(uniqueName('Layout wizard'));
    await page.getByRole('radio', { name: 'MinIO' }).check();
    await page.getByRole('button', { name: 'Next' }).click();
    await page.getByLabel('Bucket URI').fill('s3://local-bucket/layout-wizard/');
    await page.getByLabel('Custom URL').fill(E2E_S3_ENDPOINT);
    await look('wizard: bucket');
    await page.getByRole('button', { name: 'Next' }).click();
    await page.getByRole('radio', { name: /Temporary/ }).check();
    await look('wizard: credentials');
    await page.getByRole('textbox', { name: 'AWS Key' }).fill(IDENTITIES.writer.accessKeyId);
    await page.getByLabel('AWS Secret Key').fill(IDENTITIES.writer.secretAccessKey);
    await page.getByRole('radio', { name: 'Access key' }).check();
    await page.getByRole('button', { name: 'Next' }).click();
    await expect(page.getByRole('heading', { name: 'Step 4 of 4: Review' })).toBeVisible();
    await look('wizard: review');

    expect(seen).toEqual(Object.fromEntries(Object.keys(seen).map((screen) => [screen, []])));
  });

  test(`at ${width} px the IAM role screens fit (long ARNs and IDs wrap), and axe finds nothing`, async ({ signedInPage: page }) => {
    await page.setViewportSize({ width, height });
    const { seen, look } = looker(page);
    // An IAM role: the authentication step with its trust policy and external ID, then its check and detail page
    // (long ARNs and IDs, which must wrap rather than push the page sideways).
    await page.goto('/destinations/new');
    await page.getByLabel('Name', { exact: true }).fill(uniqueName('Layout role'));
    await page.getByRole('button', { name: 'Next' }).click();
    await page.getByLabel('Bucket URI').fill('s3://local-bucket/layout-role/');
    await page.getByRole('button', { name: 'Next' }).click();
    await page.getByRole('radio', { name: 'IAM role' }).check();
    await page.getByLabel('Role ARN').fill(`arn:aws:iam::${CUSTOMER_ACCOUNT}:role/a-long-role-name-for-the-nightly-export-pipeline-writer`);
    await expect(page.getByRole('figure', { name: 'Trust policy' })).toBeVisible();
    await look('wizard: IAM role');
    await page.getByRole('button', { name: 'Next' }).click();
    await page.getByRole('button', { name: 'Save and Test' }).click();
    await checkOutcome(page);
    await look('IAM role: test result and detail');
    // A role that trusts this server without the external ID: the refusal quotes the role and the condition to add.
    await page.goto('/destinations/new');
    await page.getByLabel('Name', { exact: true }).fill(uniqueName('Layout open trust'));
    await page.getByRole('button', { name: 'Next' }).click();
    await page.getByLabel('Bucket URI').fill('s3://local-bucket/layout-open-trust/');
    await page.getByRole('button', { name: 'Next' }).click();
    await page.getByRole('radio', { name: 'IAM role' }).check();
    await page.getByLabel('Role ARN').fill(`arn:aws:iam::${CUSTOMER_ACCOUNT}:role/open-trust`);
    await page.getByRole('button', { name: 'Next' }).click();
    await page.getByRole('button', { name: 'Save and Test' }).click();
    expect(await checkOutcome(page)).toContain('without the external ID');
    await look('IAM role: a role open to anyone using this server, refused');

    expect(seen).toEqual(Object.fromEntries(Object.keys(seen).map((screen) => [screen, []])));
  });

  // The team's screens in two tests, for the same reason (as one they took 18 s with a core kept busy).
  test(`at ${width} px the users screen, its invite dialog and the page an invitation opens fit, and axe finds nothing`, async ({
    signedInPage: page,
    api,
    browser,
  }) => {
    await page.setViewportSize({ width, height });
    const { seen, look } = looker(page);
    // Users: a long address in the list, the invite dialog; the page an invitation link opens (signed out, at the end).
    const invited = await api.post('/api/v1/users', {
      data: { email: `${uniqueName('layout').replace(/\W+/g, '-')}-with-a-rather-long-address@example.com`, name: 'Layout person', role: 'editor' },
    });
    expect(invited.status()).toBe(201);
    const { link } = (await invited.json()) as { link: { url: string } };
    await page.goto('/users');
    await expect(page.getByRole('heading', { name: 'Users', level: 1 })).toBeVisible();
    await look('users');
    await page.getByRole('button', { name: 'Invite someone' }).click();
    await expect(page.getByRole('dialog', { name: 'Invite someone' })).toBeVisible();
    await look('users: invite');
    await page.keyboard.press('Escape');

    seen['set password'] = await signedOutProblems(browser, { width, height }, new URL(link.url).pathname + new URL(link.url).hash, (signedOut) =>
      expect(signedOut.getByLabel('New password')).toBeVisible(),
    );

    expect(seen).toEqual(Object.fromEntries(Object.keys(seen).map((screen) => [screen, []])));
  });

  test(`at ${width} px the activity, account and notifications screens fit, and axe finds nothing`, async ({ signedInPage: page, api }) => {
    await page.setViewportSize({ width, height });
    const { seen, look } = looker(page);
    await page.goto('/activity');
    await expect(page.getByRole('heading', { name: 'Activity', level: 1 })).toBeVisible();
    await expect(page.getByRole('table')).toBeVisible();
    await look('activity');
    await page.goto('/account');
    await expect(page.getByRole('table', { name: 'Your sessions' })).toBeVisible();
    await look('account');
    // Notifications: a webhook with a long name and its (empty) log, and the add dialog.
    expect(
      (
        await api.post('/api/v1/webhooks', {
          data: { name: uniqueName('Layout webhook for the data platform team channel'), url: 'https://hooks.example.com/services/T0/B0/layout' },
        })
      ).status(),
    ).toBe(201);
    await page.goto('/notifications');
    await expect(page.getByRole('heading', { name: 'Notifications', level: 1 })).toBeVisible();
    await expect(page.getByRole('article').first()).toBeVisible();
    await look('notifications');
    await page.getByRole('button', { name: 'Add webhook' }).click();
    await expect(page.getByRole('dialog', { name: 'Add a webhook' })).toBeVisible();
    await look('notifications: add');
    await page.keyboard.press('Escape');

    expect(seen).toEqual(Object.fromEntries(Object.keys(seen).map((screen) => [screen, []])));
  });
}

test('at 390 px the wizard’s actions keep one line each and Cancel stays in their row; selects and links share one look', async ({
  signedInPage: page,
  api,
}) => {
  // A connector, so that the list has its toolbar and a name link.
  await createDestination(api, uniqueName('Phone list'));
  await page.setViewportSize({ width: 390, height: 844 });
  await fillWizard(page, { name: uniqueName('Phone actions') });
  const boxes = await page.locator('.wizard-actions > .button').evaluateAll((buttons) =>
    buttons.map((button) => {
      const rect = button.getBoundingClientRect();
      return { text: (button.textContent ?? '').trim(), top: Math.round(rect.top), height: Math.round(rect.height) };
    }),
  );
  expect(boxes.map((box) => box.text)).toEqual(['Back', 'Cancel', 'Test', 'Save and Test']);
  // One line of text each (a button of three lines was 84 px tall).
  for (const box of boxes) expect(box.height, box.text).toBeLessThan(48);
  const [back, cancel] = boxes;
  expect(cancel!.top).toBe(back!.top);
  // Selects: one look, and a target a thumb can hit. (Leaving the wizard asks first: yes.)
  page.on('dialog', (dialog) => void dialog.accept());
  await page.goto('/destinations');
  await expect(page.getByRole('heading', { name: 'Destinations', level: 1 })).toBeVisible();
  await expect(page.locator('select')).toHaveCount(3);
  for (const select of await page.locator('select').all()) {
    const box = (await select.boundingBox())!;
    expect(box.height).toBeGreaterThanOrEqual(40);
  }
  await page.goto('/users');
  await expect(page.getByRole('heading', { name: 'Users', level: 1 })).toBeVisible();
  const role = page.getByLabel(/^Role of /).first();
  expect((await role.boundingBox())!.height).toBeGreaterThanOrEqual(40);
  // A connector's name in the list: the app's colour (--primary), not the browser's default blue.
  await page.goto('/destinations');
  await expect(page.locator('tbody th a').first()).toBeVisible();
  const linkColour = await page
    .locator('tbody th a')
    .first()
    .evaluate((link) => getComputedStyle(link).color);
  expect(linkColour).toBe('rgb(31, 95, 153)');
});
