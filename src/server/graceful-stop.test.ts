import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startLocalS3, type LocalS3 } from '../../e2e/local-s3/gateway.ts';
import { IDENTITIES } from '../../e2e/local-s3/identities.ts';
import type { ConnectionCheck } from '#shared/check-schemas';
import { normalizeS3Config } from '#shared/s3-config';
import { createSecretCipher } from './security/crypto.ts';
import { INTERRUPTED_REASON } from './store/checks-repository.ts';
import { openStore } from './store/index.ts';
import { freePort, newEncryptionKey, startServerProcess } from './test-support/server-process.ts';
import { buildTestApp, tempDataDir } from './test-support/test-app.ts';
import { waitForCheck } from './test-support/checks.ts';

// Stopping without leaving work half done: a real server process and a real signal; and a check cut off by a crash,
// cleaned up by whichever instance finds it. The local S3 holds the multipart upload's part, so the test decides when
// a check is caught between its write and its end.
let s3: LocalS3;
beforeAll(async () => {
  s3 = await startLocalS3();
});
afterAll(() => s3.close());

const WRITER = { key: IDENTITIES.writer.accessKeyId, secret: IDENTITIES.writer.secretAccessKey };
const stepOf = (check: ConnectionCheck, name: string) => check.steps.find((step) => step.name === name);

/** Holds every UploadPart until released; resolves `caught` when the first one arrives. */
function holdUploads() {
  let release = () => {};
  const held = new Promise<void>((resolve) => (release = resolve));
  let caught: () => void = () => {};
  const arrived = new Promise<void>((resolve) => (caught = resolve));
  s3.beforeServing = async (request) => {
    if (request.operation !== 'UploadPart') return;
    caught();
    await held;
  };
  return { arrived, release };
}

/** A server process checking a connector on the local S3; the check caught at its multipart upload. */
async function serverWithCheckUnderWay(prefix: string, env: Record<string, string>) {
  const dataDir = tempDataDir();
  const key = newEncryptionKey();
  const server = await startServerProcess({
    dataDir,
    key,
    port: await freePort(),
    env: { S3_ENDPOINT_ALLOWLIST: `127.0.0.1:${s3.port}`, CHECK_TIMEOUT_MS: '20000', LOG_LEVEL: 'info', ...env },
  });
  const created = await server.api('/api/v1/destinations', {
    method: 'POST',
    body: { name: `stop ${prefix}`, type: 's3', config: { remote_url: `s3://local-bucket/${prefix}/`, endpoint_url: s3.endpoint, ...WRITER } },
  });
  const { id } = (await created.json()) as { id: string };
  const gate = holdUploads();
  const check = (await (await server.api(`/api/v1/destinations/${id}/connection-check`, { method: 'POST' })).json()) as ConnectionCheck;
  await gate.arrived;
  return { server, dataDir, key, check, gate };
}

/** The check as the store kept it, read after the process ended. */
async function storedCheck(dataDir: string, key: string, id: string) {
  const store = await openStore({ dataDir, cipher: createSecretCipher(Buffer.from(key, 'base64')) });
  try {
    return (await store.checks.findById(id)) as ConnectionCheck;
  } finally {
    await store.close();
  }
}

describe('SIGTERM to the server', () => {
  it('answers not ready at once, lets the running check finish, and exits 0', async () => {
    const { server, dataDir, key, check, gate } = await serverWithCheckUnderWay('graceful', {});
    try {
      expect(await s3.listKeys('local-bucket', 'graceful/.connection-test/')).toHaveLength(1);
      server.child.kill('SIGTERM');
      // Not ready from the signal on (the process is still running its check).
      await expect.poll(async () => (await fetch(`${server.origin}/api/health/ready`).catch(() => null))?.status).toBe(503);
      expect(server.child.exitCode).toBeNull();
      gate.release();
      expect(await server.exited).toBe(0);
      const ended = await storedCheck(dataDir, key, check.id);
      expect(ended).toMatchObject({ status: 'SUCCESS', reason: null });
      expect(stepOf(ended, 'cleanup')?.status).toBe('passed');
      expect(await s3.listKeys('local-bucket', 'graceful/.connection-test/')).toEqual([]);
      expect(server.stderr()).toContain('stopping: letting the running connection checks finish');
    } finally {
      s3.beforeServing = null;
      gate.release();
    }
  }, 60_000);

  it('at the end of the grace period interrupts what still runs, deletes its probes, and exits 0', async () => {
    const { server, dataDir, key, check, gate } = await serverWithCheckUnderWay('deadline', { SHUTDOWN_GRACE_MS: '200' });
    try {
      expect(await s3.listKeys('local-bucket', 'deadline/.connection-test/')).toHaveLength(1);
      server.child.kill('SIGTERM');
      expect(await server.exited).toBe(0);
      const ended = await storedCheck(dataDir, key, check.id);
      expect(ended).toMatchObject({ status: 'FAILURE', reason: INTERRUPTED_REASON });
      expect(stepOf(ended, 'cleanup')).toMatchObject({ status: 'passed', message: 'Deleted the 1 test objects written.' });
      expect(await s3.listKeys('local-bucket', 'deadline/.connection-test/')).toEqual([]);
    } finally {
      s3.beforeServing = null;
      gate.release();
    }
  }, 60_000);
});

describe('a check cut off before its cleanup (its instance died)', () => {
  it('is cleaned up by whichever instance finds it: the probes its id names are deleted, and the check says so', async () => {
    const dataDir = tempDataDir();
    const key = randomBytes(32);
    const t = await buildTestApp({ dataDir, s3EndpointAllowlist: [`127.0.0.1:${s3.port}`] }, { key, worker: { leaseMs: 1_000, pollMs: 100 } });
    try {
      // As a dead instance left it: claimed, its probe in the bucket under a key from its id, its lease about to run out.
      const config = normalizeS3Config({ remote_url: 's3://local-bucket/crashed/', endpoint_url: s3.endpoint, ...WRITER });
      const store = await openStore({ dataDir, databaseUrl: t.config.databaseUrl, cipher: createSecretCipher(key) });
      const queued = await store.checks.create(
        { destinationId: null, config },
        { workerId: 'a-dead-instance', leaseUntil: new Date(Date.now() + 5_000) },
      );
      const { S3Client, PutObjectCommand } = await import('@aws-sdk/client-s3');
      const client = new S3Client({
        endpoint: s3.endpoint,
        region: 'us-east-1',
        forcePathStyle: true,
        credentials: { accessKeyId: WRITER.key, secretAccessKey: WRITER.secret },
      });
      await client.send(new PutObjectCommand({ Bucket: 'local-bucket', Key: `crashed/.connection-test/${queued.id}`, Body: Buffer.from('probe') }));
      client.destroy();
      await store.close();
      expect(await s3.listKeys('local-bucket', 'crashed/.connection-test/')).toHaveLength(1);

      const ended = await waitForCheck(t, queued.id);
      expect(ended).toMatchObject({ status: 'FAILURE', reason: INTERRUPTED_REASON });
      await expect.poll(async () => (await s3.listKeys('local-bucket', 'crashed/.connection-test/')).length, { timeout: 10_000 }).toBe(0);
      await expect
        .poll(async () => stepOf((await t.request({ method: 'GET', url: `/api/v1/connection-checks/${queued.id}` })).json(), 'cleanup')?.message)
        .toMatch(/^Cleaned up after the interruption: deleted crashed\/\.connection-test\/.* where they were\.$/);
      // What the cleanup needed (the unsaved config, with its secret) is gone once it ran.
      expect(await t.store.db.get('SELECT config_enc, cleanup_pending FROM connection_checks WHERE id = $1', [queued.id])).toEqual({
        config_enc: null,
        cleanup_pending: 0,
      });
    } finally {
      await t.close();
    }
  }, 60_000);
});
