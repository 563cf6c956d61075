import {
  createDestination,
  deleteAllDestinations,
  E2E_S3_ENDPOINT,
  expect,
  expectNoAxeViolations,
  IDENTITIES,
  test,
  uniqueName,
} from './fixtures.ts';

test.describe.configure({ mode: 'serial' });

test('shows an empty state when there are no destinations', async ({ signedInPage: page, api }) => {
  await deleteAllDestinations(api);
  await page.goto('/destinations');
  await expect(page.getByText('No destination connectors yet')).toBeVisible();
  await expect(page.getByRole('table')).toHaveCount(0);
});

test('lists a destination created through the API, without its secret', async ({ signedInPage: page, api }) => {
  const secret = 'SECRETe2eMARKER/abcdefghijklmnopqrstuvwx';
  const token = 'TOKENe2eMARKER0123456789';
  const name = uniqueName('Invoices');
  await createDestination(api, name, {
    key: 'ASIAIOSFODNN7EXAMPLE',
    secret,
    token,
    token_expires_at: new Date(Date.now() + 3 * 3600_000).toISOString(),
  });
  await page.goto('/destinations');
  const row = page.getByRole('row', { name: new RegExp(name) });
  await expect(row).toBeVisible();
  await expect(row.getByRole('cell', { name: 's3://e2e-bucket/exports/' })).toBeVisible();
  await expect(row.getByText('Temporary (STS)')).toBeVisible();
  await expect(row.getByText(/Expires in 3 h/)).toBeVisible();
  const html = await page.content();
  expect(html).not.toContain('SECRETe2eMARKER');
  expect(html).not.toContain('TOKENe2eMARKER');
  const storage = await page.evaluate(() => JSON.stringify({ ...localStorage }) + JSON.stringify({ ...sessionStorage }));
  expect(storage).toBe('{}{}');
});

test('the list passes axe', async ({ signedInPage: page, api }) => {
  await createDestination(api, uniqueName('Axe'), { endpoint_url: 'https://minio.example.com', key: 'minio', secret: 'minio-secret' });
  await page.goto('/destinations');
  await expect(page.getByRole('table')).toBeVisible();
  await expectNoAxeViolations(page);
});

test('deep links and unknown paths work after a reload', async ({ signedInPage: page }) => {
  await page.goto('/');
  await expect(page).toHaveURL(/\/destinations$/);
  await page.goto('/no/such/page');
  await expect(page.getByRole('heading', { name: 'Page not found' })).toBeVisible();
  await page.getByRole('link', { name: 'Go to the destinations' }).click();
  await expect(page.getByRole('heading', { name: 'Destinations', level: 1 })).toBeFocused();
  await page.goBack();
  await expect(page.getByRole('heading', { name: 'Page not found' })).toBeVisible();
});

test('pages a long list 50 rows at a time, asking the server for one page; the page is in the URL, so Back and reload keep it', async ({
  signedInPage: page,
  api,
}) => {
  await deleteAllDestinations(api);
  for (let n = 1; n <= 55; n++) await createDestination(api, `Paged ${String(n).padStart(2, '0')}`);
  const asked: string[] = [];
  page.on('request', (request) => {
    if (request.url().includes('/api/v1/destinations?')) asked.push(new URL(request.url()).search);
  });
  await page.goto('/destinations');
  const rows = page.locator('tbody tr');
  const pages = page.getByRole('navigation', { name: 'Pages of destinations' });
  await expect(rows).toHaveCount(50);
  await expect(page.getByText('1–50 of 55 connectors.')).toBeVisible();
  await expect(pages).toContainText('Page 1 of 2');
  // Newest first: the newest is on page 1, the five oldest on page 2.
  await expect(page.getByRole('row', { name: /Paged 55/ })).toBeVisible();
  await expect(page.getByRole('row', { name: /Paged 05/ })).toHaveCount(0);
  await expect(pages.getByText('First page')).toHaveAttribute('aria-disabled', 'true');
  await expect(pages.getByText('Previous page')).toHaveAttribute('aria-disabled', 'true');
  // Never the whole list: a page of 50.
  expect(asked.filter((search) => !search.includes('limit='))).toEqual([]);
  expect(asked.some((search) => search.includes('limit=50'))).toBe(true);
  await expectNoAxeViolations(page);

  await pages.getByRole('link', { name: 'Next page' }).click();
  await expect(page).toHaveURL(/\/destinations\?cursor=[\w-]+&page=2$/);
  await expect(rows).toHaveCount(5);
  await expect(page.getByText('51–55 of 55 connectors.')).toBeVisible();
  await expect(page.getByRole('row', { name: /Paged 01/ })).toBeVisible();
  await page.reload();
  await expect(rows).toHaveCount(5);
  await page.goBack();
  await expect(rows).toHaveCount(50);

  // Previous, from the second page: the server's rel="prev" page, here the first one (full, the newest on top).
  await pages.getByRole('link', { name: 'Next page' }).click();
  await expect(rows).toHaveCount(5);
  await pages.getByRole('link', { name: 'Previous page' }).click();
  await expect(page).toHaveURL(/\/destinations\?cursor=[\w-]+$/);
  await expect(rows).toHaveCount(50);
  await expect(page.getByText('1–50 of 55 connectors.')).toBeVisible();
  await expect(pages).toContainText('Page 1 of 2');
  await expect(page.getByRole('row', { name: /Paged 55/ })).toBeVisible();
  await expect(pages.getByText('Previous page')).toHaveAttribute('aria-disabled', 'true');
  await expect(pages.getByRole('link', { name: 'Next page' })).toBeVisible();
  await deleteAllDestinations(api);
});

test('searches, filters and sorts in the URL: a link or Back brings the same list again', async ({ signedInPage: page, api }) => {
  await deleteAllDestinations(api);
  const tag = uniqueName('find').replace(/\s+/g, '-');
  for (const [label, bucket] of [
    ['invoices', 'finance'],
    ['payroll', 'finance'],
    ['logs', 'platform'],
    ['archive', 'platform'],
  ] as const) {
    await createDestination(api, `${tag} ${label}`, { remote_url: `s3://${bucket}-${tag.toLowerCase()}/` });
  }
  const other = await createDestination(api, 'Someone else’s connector');
  // One failing check, the others untested.
  const failing = (await (await api.get(`/api/v1/destinations?name=${encodeURIComponent(`${tag} payroll`)}`)).json()) as { id: string }[];
  expect((await api.post(`/api/v1/destinations/${failing[0]!.id}/connection-check`)).status()).toBe(202);
  await expect
    .poll(async () => (await (await api.get(`/api/v1/destinations/${failing[0]!.id}`)).json()).last_check?.status, { timeout: 15_000 })
    .toBe('FAILURE');

  await page.goto('/destinations');
  const names = () => page.locator('tbody th').allInnerTexts();
  await page.getByRole('searchbox', { name: 'Search' }).fill('FINANCE');
  await expect(page).toHaveURL(/\?q=FINANCE$/);
  await expect.poll(names).toEqual([`${tag} payroll`, `${tag} invoices`]);
  await page.getByLabel('Sort by', { exact: true }).selectOption({ label: 'Name, A to Z' });
  await expect(page).toHaveURL(/\?q=FINANCE&sort=name$/);
  await expect.poll(names).toEqual([`${tag} invoices`, `${tag} payroll`]);
  await page.getByLabel('Last check', { exact: true }).selectOption({ label: 'Failed' });
  await expect.poll(names).toEqual([`${tag} payroll`]);
  await expect(page.getByText('1 connector.')).toBeVisible();
  await expectNoAxeViolations(page);

  // Back undoes the last choice; a link to the URL opens the same list.
  await page.goBack();
  await expect.poll(names).toEqual([`${tag} invoices`, `${tag} payroll`]);
  await expect(page.getByLabel('Last check', { exact: true })).toHaveValue('');
  await expect(page.getByRole('searchbox', { name: 'Search' })).toHaveValue('FINANCE');
  await page.goto(`/destinations?q=${encodeURIComponent(tag)}&status=untested&sort=-name`);
  await expect.poll(names).toEqual([`${tag} logs`, `${tag} invoices`, `${tag} archive`]);
  await expect(page.getByLabel('Sort by', { exact: true })).toHaveValue('-name');

  await page.getByRole('searchbox', { name: 'Search' }).fill('no such connector');
  await expect(page.getByText('No connectors match “no such connector” with these filters.')).toBeVisible();
  await page.getByRole('link', { name: 'Clear the search and filters' }).click();
  await expect(page.getByRole('row', { name: new RegExp(other.name) })).toBeVisible();
  await deleteAllDestinations(api);
});

test('a file that is not there is a 404, not the app’s page with 200: /favicon.ico, a stale chunk', async ({ page }) => {
  for (const path of ['/favicon.ico', '/assets/index-stale.js']) {
    const response = await page.request.get(path);
    expect(response.status(), path).toBe(404);
    expect(response.headers()['content-type'], path).not.toContain('text/html');
  }
  expect((await page.request.get('/favicon.svg')).status()).toBe(200);
  const deepLink = await page.request.get('/destinations/any-deep-link');
  expect(deepLink.status()).toBe(200);
  expect(deepLink.headers()['content-type']).toContain('text/html');
});

test('a failing row says why, and a Bucket URI breaks after its slashes', async ({ signedInPage: page, api }) => {
  const name = uniqueName('Says why');
  const destination = await createDestination(api, name, {
    remote_url: 's3://local-bucket/a/deeply/nested/prefix/for/exports/',
    endpoint_url: E2E_S3_ENDPOINT,
    key: IDENTITIES.readOnly.accessKeyId,
    secret: IDENTITIES.readOnly.secretAccessKey,
  });
  const started = await (await api.post(`/api/v1/destinations/${destination.id}/connection-check`)).json();
  await expect.poll(async () => (await (await api.get(`/api/v1/connection-checks/${started.id}`)).json()).status).toBe('FAILURE');
  await page.goto(`/destinations?q=${encodeURIComponent(name)}`);
  const row = page.getByRole('row', { name: new RegExp(name) });
  await expect(row.getByText('Failed', { exact: true })).toBeVisible();
  await expect(row.getByText(/^Access denied: .*s3:PutObject/)).toBeVisible();
  expect(await row.locator('code.bucket-uri wbr').count()).toBe(8);
});

test('column headers sort by their column, a second click the other way, in the URL as the Sort by select', async ({ signedInPage: page, api }) => {
  const tag = uniqueName('headers').replace(/\s+/g, '-');
  for (const label of ['bravo', 'alpha', 'charlie']) await createDestination(api, `${tag} ${label}`);
  await page.goto(`/destinations?q=${encodeURIComponent(tag)}`);
  const names = () => page.locator('tbody th').allInnerTexts();
  const header = page.getByRole('columnheader', { name: /\bName\b/ });
  await page.getByRole('button', { name: 'Sort by Name' }).click();
  await expect(page).toHaveURL(/sort=name$/);
  await expect.poll(names).toEqual([`${tag} alpha`, `${tag} bravo`, `${tag} charlie`]);
  await expect(header).toHaveAttribute('aria-sort', 'ascending');
  await expect(page.getByLabel('Sort by', { exact: true })).toHaveValue('name');
  await page.getByRole('button', { name: 'Sort by Name, the other way' }).click();
  await expect(page).toHaveURL(/sort=-name$/);
  await expect.poll(names).toEqual([`${tag} charlie`, `${tag} bravo`, `${tag} alpha`]);
  await expect(header).toHaveAttribute('aria-sort', 'descending');
  await expectNoAxeViolations(page);
});
