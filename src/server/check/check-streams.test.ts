import net from 'node:net';
import type { AddressInfo } from 'node:net';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { buildTestApp, createApiKey, type TestApp } from '../test-support/test-app.ts';

// A check that stays running: its Custom URL accepts connections and never answers (until the check is cancelled).
let silent: net.Server;
const sockets = new Set<net.Socket>();
let t: TestApp;
let origin: string;
beforeAll(async () => {
  silent = net.createServer((socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });
  await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', resolve));
  const port = (silent.address() as AddressInfo).port;
  t = await buildTestApp(
    { checkTimeoutMs: 60_000, s3EndpointAllowlist: [`127.0.0.1:${port}`] },
    { checkStreams: { perPrincipal: 3, perCheck: 4, pollMs: 20, heartbeatMs: 60_000 } },
  );
  origin = await t.app.listen({ port: 0, host: '127.0.0.1' });
  silentPort = port;
});
let silentPort = 0;
afterAll(async () => {
  await t.close();
  for (const socket of sockets) socket.destroy();
  silent.close();
});

const startCheck = async () => {
  const started = await t.request({
    method: 'POST',
    url: '/api/v1/connection-checks',
    body: {
      type: 's3',
      config: { remote_url: 's3://silent-bucket/x/', endpoint_url: `http://127.0.0.1:${silentPort}`, key: 'silent-key', secret: 'silent-secret' },
    },
  });
  expect(started.statusCode, started.body).toBe(202);
  return started.json().id as string;
};
/** Every stream a test opened, read to its end before the next test (a stream's place is freed when it ends). */
const opened: Promise<Response>[] = [];
const open = (id: string, headers: Record<string, string>) => {
  const controller = new AbortController();
  const response = fetch(`${origin}/api/v1/connection-checks/${id}/events`, {
    headers: { accept: 'text/event-stream', ...headers },
    signal: controller.signal,
  });
  opened.push(response);
  return { response, abort: () => controller.abort() };
};
afterEach(async () => {
  await Promise.all(opened.splice(0).map((response) => response.then((r) => r.text()).catch(() => '')));
});

describe('check event streams', () => {
  it('reads the store once per check however many streams follow it, and caps streams per principal and per check', async () => {
    const id = await startCheck();
    // Hold every read of the check's revision until released, counting those waiting at once.
    let inFlight = 0;
    let most = 0;
    let release: () => void = () => undefined;
    const released = new Promise<void>((resolve) => (release = resolve));
    const revisionOf = t.store.checks.revisionOf;
    t.store.checks.revisionOf = async (checkId: string) => {
      most = Math.max(most, ++inFlight);
      await released;
      inFlight--;
      return revisionOf(checkId);
    };
    try {
      const mine = [open(id, { cookie: t.cookie }), open(id, { cookie: t.cookie }), open(id, { cookie: t.cookie })];
      const statuses = await Promise.all(mine.map(async (stream) => (await stream.response).status));
      expect(statuses).toEqual([200, 200, 200]);
      // Three streams, one read of the store waiting: they share the check's watch.
      expect(most).toBe(1);

      const fourth = await (await open(id, { cookie: t.cookie })).response;
      expect(fourth.status).toBe(429);
      expect(await fourth.json()).toEqual({ detail: 'You have as many event streams open as allowed: close one (another tab) and try again' });
      expect(fourth.headers.get('retry-after')).toBe('5');

      const { key: first } = await createApiKey(t, { role: 'viewer' });
      const { key: second } = await createApiKey(t, { role: 'viewer' });
      const byKey = open(id, { authorization: `Bearer ${first}` });
      expect((await byKey.response).status).toBe(200);
      expect(most).toBe(1);
      const full = await (await open(id, { authorization: `Bearer ${second}` })).response;
      expect(full.status).toBe(429);
      expect((await full.json()).detail).toMatch(/^This check has as many event streams open as allowed/);

      // A stream that goes away frees its place.
      mine[0]!.abort();
      await expect.poll(async () => (await (await open(id, { authorization: `Bearer ${second}` })).response).status).toBe(200);
    } finally {
      release();
      t.store.checks.revisionOf = revisionOf;
      await t.request({ method: 'POST', url: `/api/v1/connection-checks/${id}/cancel` });
    }
  });

  it('sends every stream the check to its end, then frees the places', async () => {
    const id = await startCheck();
    const streams = [open(id, { cookie: t.cookie }), open(id, { cookie: t.cookie })];
    const responses = await Promise.all(streams.map((stream) => stream.response));
    expect(responses.map((response) => response.status)).toEqual([200, 200]);
    /** Reads a stream until `done` says its text is complete (or it ends). */
    const readUntil = async (reader: ReadableStreamDefaultReader<Uint8Array>, text: string, done: (text: string) => boolean) => {
      const decoder = new TextDecoder();
      while (!done(text)) {
        const chunk = await reader.read();
        if (chunk.done) break;
        text += decoder.decode(chunk.value, { stream: true });
      }
      return text;
    };
    const readers = responses.map((response) => (response.body as ReadableStream<Uint8Array>).getReader());
    // Each stream has its first event (the check as it is) before the cancel.
    const begun = await Promise.all(readers.map((reader) => readUntil(reader, '', (text) => text.includes('event: check'))));
    expect((await t.request({ method: 'POST', url: `/api/v1/connection-checks/${id}/cancel` })).statusCode).toBe(202);
    for (const [i, reader] of readers.entries()) {
      const text = await readUntil(reader, begun[i] as string, () => false);
      const checks = text
        .split('\n')
        .filter((line) => line.startsWith('data: '))
        .map((line) => JSON.parse(line.slice(6)) as { id: string; status: string });
      expect(checks.at(-1)).toMatchObject({ id, status: 'FAILURE' });
    }
    // Both ended, so the admin may open three again.
    const next = await startCheck();
    const again = [open(next, { cookie: t.cookie }), open(next, { cookie: t.cookie }), open(next, { cookie: t.cookie })];
    expect(await Promise.all(again.map(async (stream) => (await stream.response).status))).toEqual([200, 200, 200]);
    await t.request({ method: 'POST', url: `/api/v1/connection-checks/${next}/cancel` });
    for (const stream of again) await (await stream.response).text();
  });
});
