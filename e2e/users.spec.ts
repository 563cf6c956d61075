import type { Browser, Page } from '@playwright/test';
import { E2E_PASSWORD } from '../playwright.config.ts';
import { createDestination, expect, expectNoAxeViolations, test, uniqueName } from './fixtures.ts';

/**
 * People and roles in the browser: an admin invites someone, the invitee arrives through their one-time link and
 * sees what their role allows; a deactivation signs them out at their next click.
 */
const address = () => `${uniqueName('person').replace(/\W+/g, '-').toLowerCase()}@example.com`;

/** The invitee's own browser: a fresh context, opening the link as they would from a chat message. */
async function arrive(browser: Browser, url: string, password = 'my own password, long enough'): Promise<Page> {
  const page = await (await browser.newContext()).newPage();
  await page.goto(url);
  await expect(page.getByLabel('New password')).toBeFocused();
  // The token leaves the address bar at once: it is not kept in the history.
  await expect(page).toHaveURL(/\/set-password$/);
  await page.getByLabel('New password').fill(password);
  await page.getByLabel('The same password again').fill(password);
  await page.getByRole('button', { name: /Set password and sign in/ }).click();
  await expect(page.getByRole('heading', { name: 'Destinations', level: 1 })).toBeVisible();
  return page;
}

test('an admin invites an editor, who sets a password through the link and can change connectors but not manage people', async ({
  signedInPage: page,
  browser,
}) => {
  const email = address();
  await page.goto('/destinations');
  await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Users' }).click();
  await expect(page.getByRole('heading', { name: 'Users', level: 1 })).toBeFocused();
  await page.getByRole('button', { name: 'Invite someone' }).click();
  const dialog = page.getByRole('dialog', { name: 'Invite someone' });
  // The e-mail is checked on its field, in the browser, by the server's own rules.
  await dialog.getByLabel('E-mail').fill('not an address');
  await dialog.getByRole('button', { name: 'Invite' }).click();
  await expect(dialog.getByLabel('E-mail')).toHaveAccessibleDescription(/Enter one e-mail address, like ana@example.com/);
  await dialog.getByLabel('E-mail').fill(email);
  await dialog.getByLabel('Name').fill('Edith Editor');
  // Each role is named by its name alone and described by what it may do (permissions.ts).
  const editorRole = dialog.getByRole('radio', { name: 'Editor', exact: true });
  await expect(editorRole).toHaveAccessibleDescription(/^May do all a Viewer may; also create, edit and delete connectors/);
  await editorRole.check();
  await dialog.getByRole('button', { name: 'Invite' }).click();

  const shown = page.getByRole('dialog', { name: `${email} is invited` });
  const link = await shown.getByLabel('Invitation link').inputValue();
  expect(link).toMatch(/\/set-password#[A-Za-z0-9_-]{43}$/);
  await shown.getByRole('button', { name: 'Done' }).click();
  // Shown once: gone from the page once the dialog closed.
  expect(await page.content()).not.toContain(link.split('#')[1]);
  const row = page.getByRole('row', { name: new RegExp(email) });
  await expect(row.getByText('Invited')).toBeVisible();

  const editor = await arrive(browser, link);
  await expect(editor.getByText(`Signed in as ${email} Editor`)).toBeVisible();
  await expect(editor.getByRole('link', { name: 'New connector' })).toBeVisible();
  const nav = editor.getByRole('navigation', { name: 'Main' });
  await expect(nav.getByRole('link', { name: 'Users' })).toHaveCount(0);
  await expect(nav.getByRole('link', { name: 'API keys' })).toHaveCount(0);
  await editor.goto('/users');
  await expect(editor.getByRole('heading', { name: 'Managing users needs the admin role' })).toBeVisible();
  // The link is spent.
  await editor.goto(link);
  await expect(editor.getByRole('alert')).toHaveText(
    'This link was used already, or a newer one replaced it: sign in, or ask an admin for a new one.',
  );

  await page.reload();
  await expect(page.getByRole('row', { name: new RegExp(email) }).getByText('Active')).toBeVisible();
  await expectNoAxeViolations(page);
});

test('a viewer sees connectors and results but is offered no change, and a page for changing says which role it needs', async ({
  signedInPage: page,
  browser,
  api,
}) => {
  const destination = await createDestination(api, uniqueName('Seen by a viewer'));
  const invited = await api.post('/api/v1/users', { data: { email: address(), role: 'viewer' } });
  const viewer = await arrive(browser, ((await invited.json()) as { link: { url: string } }).link.url);
  await expect(viewer.getByRole('link', { name: 'New connector' })).toHaveCount(0);
  await expect(viewer.getByRole('button', { name: `Delete ${destination.name}` })).toHaveCount(0);
  await viewer.getByRole('link', { name: destination.name }).click();
  await expect(viewer.getByRole('heading', { name: destination.name, level: 1 })).toBeVisible();
  for (const name of ['Test', 'Edit', 'Delete', 'Update credentials']) await expect(viewer.getByRole('button', { name, exact: true })).toHaveCount(0);
  await expect(viewer.getByRole('link', { name: 'Edit', exact: true })).toHaveCount(0);
  // No link that leads to a refusal: the saved secret's Replace is an editor's.
  await expect(viewer.getByRole('link', { name: 'Replace', exact: true })).toHaveCount(0);
  await expectNoAxeViolations(viewer);
  await viewer.goto('/destinations/new');
  await expect(viewer.getByRole('heading', { name: 'Creating a connector needs the editor role' })).toBeVisible();
  // One way back, said once.
  await expect(viewer.getByRole('main').getByRole('link', { name: /destinations/i })).toHaveCount(1);
  // The server decides anyway: a write sent by hand is refused.
  const refused = await viewer.request.post('/api/v1/destinations', {
    headers: { origin: new URL(page.url()).origin, 'x-requested-with': 'XMLHttpRequest' },
    data: { name: 'x', type: 's3', config: {} },
  });
  expect(refused.status()).toBe(403);
});

test('a deactivated person is signed out at once: their next request is refused, and their password no longer opens the app', async ({
  signedInPage: page,
  browser,
  api,
}) => {
  const email = address();
  const invited = (await (await api.post('/api/v1/users', { data: { email, role: 'editor' } })).json()) as { link: { url: string } };
  const person = await arrive(browser, invited.link.url);

  await page.goto('/users');
  await page.getByRole('button', { name: `Deactivate ${email}` }).click();
  const dialog = page.getByRole('dialog', { name: `Deactivate ${email}?` });
  await dialog.getByRole('button', { name: 'Deactivate' }).click();
  await expect(dialog).toBeHidden();
  await expect(page.getByRole('row', { name: new RegExp(email) }).getByText('Deactivated')).toBeVisible();
  await expectNoAxeViolations(page);

  // Mid-session: their next click is refused, and they are told why, not asked for a password that cannot work.
  await person.getByRole('link', { name: email }).click();
  const told = person.getByRole('dialog', { name: 'Your account was deactivated' });
  await expect(told).toBeVisible();
  await expect(told).toContainText('An admin deactivated your account, which signed you out.');
  await expect(person.getByText('Sign in to use the API, or send an API key')).toHaveCount(0);
  await person.reload();
  await expect(person.getByRole('heading', { name: 'Sign in', level: 1 })).toBeVisible();
  await expect(person.getByRole('alert').filter({ hasText: 'An admin deactivated your account' })).toBeVisible();
  await person.getByLabel('E-mail', { exact: true }).fill(email);
  await person.getByLabel('Password', { exact: true }).fill('my own password, long enough');
  await person.getByRole('button', { name: 'Sign in' }).click();
  await expect(person.getByLabel('Password', { exact: true })).toHaveAccessibleDescription('That e-mail and password do not match an active account');
});

test('e-mails are compared regardless of case at sign-in', async ({ page }) => {
  await page.goto('/');
  await page.getByLabel('E-mail', { exact: true }).fill('ADMIN');
  await page.getByLabel('Password', { exact: true }).fill(E2E_PASSWORD);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await expect(page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Users' })).toBeVisible();
});

test('a role change asks first, says what it gives, can be called off, and says when it is done', async ({ signedInPage: page, api }) => {
  const email = address();
  const invited = ((await (await api.post('/api/v1/users', { data: { email, role: 'viewer' } })).json()) as { user: { id: string } }).user;
  const roleOf = async () =>
    ((await (await api.get('/api/v1/users')).json()) as { id: string; role: string }[]).find((u) => u.id === invited.id)?.role;
  await page.goto('/users');
  const select = page.getByLabel(`Role of ${email}`);
  await select.selectOption('editor');
  const dialog = page.getByRole('dialog', { name: `Make ${email} an Editor?` });
  await expect(dialog).toBeVisible();
  await expect(dialog).toContainText('They have these rights as soon as you confirm.');
  await expectNoAxeViolations(page);
  // Called off: nothing changed, and the select says so.
  await dialog.getByRole('button', { name: 'Cancel' }).click();
  await expect(dialog).toHaveCount(0);
  await expect(select).toHaveValue('viewer');
  expect(await roleOf()).toBe('viewer');
  await select.selectOption('editor');
  await page.getByRole('dialog').getByRole('button', { name: 'Make Editor' }).click();
  await expect(page.getByRole('status').filter({ hasText: `${email} is now an Editor.` })).toBeVisible();
  await expect(select).toHaveValue('editor');
  expect(await roleOf()).toBe('editor');
});
