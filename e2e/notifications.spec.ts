import { createHmac } from 'node:crypto';
import http from 'node:http';
import { E2E_WEBHOOK_PORT } from '../playwright.config.ts';
import { expect, expectNoAxeViolations, test, uniqueName } from './fixtures.ts';

type Received = { id: string; timestamp: string; signature: string; event: string; body: string };

test('an admin adds a webhook, keeps its secret, and a test event arrives signed with it', async ({ signedInPage: page }) => {
  const received: Received[] = [];
  const receiver = http.createServer((req, res) => {
    let body = '';
    req.on('data', (chunk: Buffer) => (body += chunk.toString('utf8')));
    req.on('end', () => {
      const header = (name: string) => String(req.headers[name]);
      received.push({
        id: header('webhook-id'),
        timestamp: header('webhook-timestamp'),
        signature: header('webhook-signature'),
        event: header('x-s3admin-event'),
        body,
      });
      res.writeHead(200).end('ok');
    });
  });
  await new Promise<void>((resolve) => receiver.listen(E2E_WEBHOOK_PORT, '127.0.0.1', resolve));
  try {
    const name = uniqueName('Data team');
    await page.goto('/notifications');
    await page.getByRole('button', { name: 'Add webhook' }).click();
    const dialog = page.getByRole('dialog', { name: 'Add a webhook' });
    await dialog.getByLabel('Name').fill(name);
    // A URL with a token in its path, as Slack's are: shown by its host only once saved.
    await dialog.getByLabel('Webhook URL').fill(`http://127.0.0.1:${E2E_WEBHOOK_PORT}/services/T0/B0/tokenInThePath`);
    await expect(dialog.getByRole('checkbox', { name: 'A connector starts failing its check' })).toBeChecked();
    await expectNoAxeViolations(page);
    await dialog.getByRole('button', { name: 'Add webhook' }).click();
    const secret = await page.getByLabel('Signing secret').inputValue();
    expect(secret).toMatch(/^whsec_/);
    await page.getByRole('button', { name: 'Done' }).click();

    const card = page.getByRole('article', { name });
    await expect(card.getByText(`http://127.0.0.1:${E2E_WEBHOOK_PORT}`, { exact: true })).toBeVisible();
    expect(await page.content()).not.toContain('tokenInThePath');
    expect(await page.content()).not.toContain(secret);
    await card.getByRole('button', { name: 'Send test event' }).click();
    await expect(card.getByRole('table', { name: `Deliveries of ${name}, newest first` }).getByText('Delivered')).toBeVisible({ timeout: 10_000 });
    await expect(card.getByRole('cell', { name: 'HTTP 200' })).toBeVisible();

    // The receiver's own check of the signature (Standard Webhooks): HMAC-SHA256 of "<id>.<timestamp>.<body>" keyed
    // with the secret's bytes.
    const [got] = received;
    expect(got?.event).toBe('test');
    const key = Buffer.from(secret.replace(/^whsec_/, ''), 'base64');
    expect(got?.signature).toBe(`v1,${createHmac('sha256', key).update(`${got?.id}.${got?.timestamp}.${got?.body}`).digest('base64')}`);
    expect(JSON.parse(got?.body ?? '{}')).toMatchObject({ type: 'test', text: expect.stringContaining(name) });

    // Removed after a dialog that names it.
    await card.getByRole('button', { name: `Remove ${name}` }).click();
    await page
      .getByRole('dialog', { name: `Remove “${name}”?` })
      .getByRole('button', { name: 'Remove webhook' })
      .click();
    await expect(page.getByRole('article', { name })).toHaveCount(0);
  } finally {
    receiver.close();
  }
});
