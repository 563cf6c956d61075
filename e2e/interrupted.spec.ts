import { freePort, newEncryptionKey, startServerProcess, type ServerProcess } from '../src/server/test-support/server-process.ts';
import { tempDataDir, removeTempDataDirs } from '../src/server/test-support/temp-dirs.ts';
import { E2E_S3_ENDPOINT, E2E_SILENT_ENDPOINT, expect, IDENTITIES, test, uniqueName } from './fixtures.ts';

// A server of this test's own (the production build, as the suite's), restarted under a running check: the page
// that watched the check must end on what the store says, not on the steps it last saw running.
let server: ServerProcess | null = null;
test.afterAll(async () => {
  if (server && server.child.exitCode === null && server.child.signalCode === null) server.child.kill('SIGTERM');
  await server?.exited;
  removeTempDataDirs();
});

test('a check interrupted by a restart ends on screen as the store has it: no step running or waiting, History "Failed"', async ({ page }) => {
  const options = {
    dataDir: tempDataDir(),
    key: newEncryptionKey(),
    port: await freePort(),
    browserApp: true,
    env: {
      CHECK_TIMEOUT_MS: '30000',
      // The restart interrupts the check at once (a stop's grace period would let it run to its timeout).
      SHUTDOWN_GRACE_MS: '0',
      S3_ENDPOINT_ALLOWLIST: `${new URL(E2E_SILENT_ENDPOINT).host},${new URL(E2E_S3_ENDPOINT).host}`,
    },
  };
  server = await startServerProcess(options);
  const created = await server.api('/api/v1/destinations', {
    method: 'POST',
    body: {
      name: uniqueName('Interrupted'),
      type: 's3',
      config: {
        remote_url: 's3://local-bucket/interrupted/',
        endpoint_url: E2E_SILENT_ENDPOINT,
        key: IDENTITIES.writer.accessKeyId,
        secret: IDENTITIES.writer.secretAccessKey,
      },
    },
  });
  expect(created.status).toBeLessThan(300);
  const { id } = (await created.json()) as { id: string };
  const [name, value] = server.cookie.split('=') as [string, string];
  await page.context().addCookies([{ name, value, url: server.origin }]);

  await page.goto(`${server.origin}/destinations/${id}`);
  await page.getByRole('button', { name: 'Test', exact: true }).click();
  const results = page.getByRole('region', { name: 'Connection check' });
  await expect(results.getByText('Running').first()).toBeVisible();
  const history = page.getByRole('table', { name: /history/i });
  await expect(history.getByText('Running')).toBeVisible();

  // A restart: the server stops (marking the check interrupted) and comes back on the same data and port.
  server.child.kill('SIGTERM');
  await server.exited;
  server = await startServerProcess(options);

  // The page's event stream reconnects by itself and brings the outcome.
  await expect(page.getByText(/^Connection failed: The check was interrupted by a restart before it finished/)).toBeVisible({ timeout: 20_000 });
  await expect(results.getByText(/^(Running|Waiting)$/)).toHaveCount(0);
  await expect(results.getByText('Skipped: the check was interrupted by a restart before it finished; run it again.').first()).toBeVisible();
  await expect(history.getByText('Running')).toHaveCount(0);
  await expect(history.getByText('Failed')).toBeVisible();
  await expect(page.getByText('Lost the live connection')).toHaveCount(0);
});
