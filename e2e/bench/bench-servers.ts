import { spawn } from 'node:child_process';
import { PROJECT_ROOT } from '../../src/server/paths.ts';
import { freePort } from '../../src/server/test-support/server-process.ts';
import { buildTestApp, type TestApp } from '../../src/server/test-support/test-app.ts';

/** The local S3 endpoint in a process of its own, so its work does not land on the app's event loop. */
export async function startLocalS3Process(latencyMs: number) {
  const port = await freePort();
  const child = spawn(process.execPath, ['--import', 'tsx', 'e2e/local-s3/serve.ts', '--port', String(port), '--latency', String(latencyMs)], {
    cwd: PROJECT_ROOT,
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  await new Promise<void>((resolve, reject) => {
    child.stdout.on('data', (chunk: Buffer) => chunk.toString().includes('listening on') && resolve());
    child.once('exit', (code) => reject(new Error(`the local S3 endpoint exited (${code})`)));
  });
  return {
    port,
    /** Its process id (a bench reads its CPU time from /proc). */
    pid: child.pid ?? 0,
    endpoint: `http://127.0.0.1:${port}`,
    close: () => new Promise<void>((resolve) => (child.once('exit', () => resolve()), child.kill('SIGTERM'))),
  };
}

/**
 * The app as the burst benches run it, listening on a port of its own: checks against `s3Port` (allowed), eight at
 * a time within 3 s each, and no rate limit on starting them (the load is 200 at once).
 */
export async function startBurstApp(s3Port: number): Promise<{ t: TestApp; origin: string }> {
  const port = await freePort();
  const origin = `http://127.0.0.1:${port}`;
  const t = await buildTestApp({
    publicOrigin: origin,
    checkTimeoutMs: 3_000,
    checkConcurrency: 8,
    checkRatePerMin: 100_000,
    s3EndpointAllowlist: [`127.0.0.1:${s3Port}`],
  });
  await t.app.listen({ port, host: '127.0.0.1' });
  return { t, origin };
}
