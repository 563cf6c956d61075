import type dns from 'node:dns';
import http from 'node:http';
import net from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startLocalS3, type LocalS3 } from '../../../e2e/local-s3/gateway.ts';
import { IDENTITIES } from '../../../e2e/local-s3/identities.ts';
import { startTlsFronts } from '../../../e2e/local-s3/tls-fronts.ts';
import type { ConnectionCheck } from '#shared/check-schemas';
import { loadConfig } from '../config.ts';
import { createSsrfGuard } from '../security/ssrf-guard.ts';
import { stepOf, stepSummary, waitForCheck } from '../test-support/checks.ts';
import { buildTestApp, type TestApp } from '../test-support/test-app.ts';

// An HTTP proxy that allows CONNECT, as enterprise egress proxies do, and records every tunnel it opens.
const tunnels: string[] = [];
const proxy = http.createServer((_req, res) => res.writeHead(405).end());
proxy.on('connect', (req: http.IncomingMessage, client: net.Socket, head: Buffer) => {
  tunnels.push(req.url ?? '');
  const [host = '', port = ''] = (req.url ?? '').split(/:(?=\d+$)/);
  const upstream = net.connect(Number(port), host.replace(/^\[|\]$/g, ''), () => {
    client.write('HTTP/1.1 200 Connection Established\r\n\r\n');
    upstream.write(head);
    upstream.pipe(client);
    client.pipe(upstream);
  });
  upstream.on('error', () => client.destroy());
  client.on('error', () => upstream.destroy());
});

// One endpoint per test: kept-alive tunnels are pooled per host and port, and must not stand in for a new one.
let s3: LocalS3;
let awsS3: LocalS3;
let directS3: LocalS3;
let t: TestApp;
let proxyUrl = '';
const saved = { ...process.env };
beforeAll(async () => {
  await new Promise<void>((resolve) => proxy.listen(0, '127.0.0.1', resolve));
  proxyUrl = `http://127.0.0.1:${(proxy.address() as net.AddressInfo).port}`;
  [s3, awsS3, directS3] = await Promise.all([startLocalS3(), startLocalS3(), startLocalS3()]);
  process.env.AWS_ENDPOINT_URL_S3 = awsS3.endpoint;
  process.env.AWS_ENDPOINT_URL_STS = awsS3.endpoint;
  process.env.HTTPS_PROXY = proxyUrl;
  process.env.HTTP_PROXY = proxyUrl;
  delete process.env.NO_PROXY;
  delete process.env.no_proxy;
  const allow = [s3, awsS3, directS3].map((endpoint) => `127.0.0.1:${endpoint.port}`);
  t = await buildTestApp({ outboundProxy: true, checkTimeoutMs: 5_000, s3EndpointAllowlist: allow });
});
afterAll(async () => {
  process.env = saved;
  await t.close();
  await Promise.all([s3.close(), awsS3.close(), directS3.close()]);
  proxy.closeAllConnections();
  proxy.close();
});

async function check(config: Record<string, unknown>): Promise<ConnectionCheck> {
  const started = await t.request({ method: 'POST', url: '/api/v1/connection-checks', body: { type: 's3', config } });
  expect(started.statusCode, started.body).toBe(202);
  return waitForCheck(t, started.json().id);
}
const writer = { key: IDENTITIES.writer.accessKeyId, secret: IDENTITIES.writer.secretAccessKey };
const PASSED = ['bucket:passed', 'write:passed', 'multipart:passed', 'cleanup:passed'];

describe('through an outbound proxy (HTTPS_PROXY / HTTP_PROXY)', () => {
  it('a Custom URL is reached through a CONNECT tunnel to the address the guard judged', async () => {
    tunnels.length = 0;
    const result = await check({ remote_url: 's3://local-bucket/proxied/', endpoint_url: s3.endpoint, ...writer });
    expect(stepSummary(result).slice(3)).toEqual(PASSED);
    expect(stepOf(result, 'endpoint').message).toContain('through the outbound proxy');
    expect(tunnels.length).toBeGreaterThan(0);
    expect(new Set(tunnels)).toEqual(new Set([`127.0.0.1:${s3.port}`]));
  });

  it('Amazon S3 and STS are reached through it too', async () => {
    tunnels.length = 0;
    const result = await check({ remote_url: 's3://local-bucket/proxied-aws/', ...writer });
    expect(stepSummary(result).slice(2)).toEqual(['identity:passed', ...PASSED]);
    expect(new Set(tunnels)).toEqual(new Set([`127.0.0.1:${awsS3.port}`]));
  });

  it('the SSRF rules still judge the target: a refused address never reaches the proxy', async () => {
    tunnels.length = 0;
    const closed = net.createServer();
    await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
    const port = (closed.address() as net.AddressInfo).port;
    closed.close();
    const result = await check({
      remote_url: 's3://local-bucket/x/',
      endpoint_url: `http://127.0.0.1:${port}`,
      key: 'minio',
      secret: 'minio-secret',
    });
    expect(stepOf(result, 'endpoint')).toMatchObject({ status: 'failed', code: 'AddressNotAllowed' });
    expect(tunnels).toEqual([]);
  });

  it('a name that resolves to a private address is refused before the proxy is asked (it would resolve the name again)', async () => {
    const lookup = ((_host: string, _options: unknown, callback: (error: Error | null, addresses: dns.LookupAddress[]) => void) =>
      callback(null, [{ address: '10.1.2.3', family: 4 }])) as unknown as typeof dns.lookup;
    const guard = createSsrfGuard([], lookup, { outboundProxy: true });
    tunnels.length = 0;
    const refused = await new Promise<unknown>((resolve) =>
      http.get('http://minio.corp.test:9000/', { agent: guard.httpAgent }, () => resolve(null)).on('error', resolve),
    );
    expect(refused).toMatchObject({ code: 'EADDRNOTALLOWED', address: '10.1.2.3' });
    expect(tunnels).toEqual([]);
  });

  it('an https:// Custom URL is tunnelled and its certificate verified (here from a private CA trusted by S3_CA_BUNDLE)', async () => {
    const fronts = await startTlsFronts(s3.port);
    const front = fronts.urls.privateCa;
    const tls = await buildTestApp({
      outboundProxy: true,
      s3CaBundle: fronts.caPem,
      checkTimeoutMs: 5_000,
      s3EndpointAllowlist: [`127.0.0.1:${new URL(front).port}`],
    });
    try {
      tunnels.length = 0;
      const started = await tls.request({
        method: 'POST',
        url: '/api/v1/connection-checks',
        body: { type: 's3', config: { remote_url: 's3://local-bucket/proxied-tls/', endpoint_url: front, ...writer } },
      });
      const result = await waitForCheck(tls, started.json().id);
      expect(stepSummary(result).slice(3)).toEqual(PASSED);
      expect(new Set(tunnels)).toEqual(new Set([`127.0.0.1:${new URL(front).port}`]));
    } finally {
      await tls.close();
      await fronts.close();
    }
    // Four RSA keys, certificates signed in JavaScript and a second app: ~3 s alone, more on a busy 2-core machine.
  }, 20_000);

  it('NO_PROXY is honoured: a target it names is connected to directly', async () => {
    tunnels.length = 0;
    process.env.NO_PROXY = '127.0.0.1';
    try {
      const before = directS3.requests.length;
      const result = await check({ remote_url: 's3://local-bucket/direct/', endpoint_url: directS3.endpoint, ...writer });
      expect(stepSummary(result).slice(3)).toEqual(PASSED);
      expect(directS3.requests.length).toBeGreaterThan(before);
      expect(tunnels).toEqual([]);
    } finally {
      delete process.env.NO_PROXY;
    }
  });
});

describe('proxy configuration', () => {
  it('is on when HTTPS_PROXY, HTTP_PROXY or ALL_PROXY is set; a malformed one stops startup, without echoing it', () => {
    expect(loadConfig({}).outboundProxy).toBe(false);
    expect(loadConfig({ HTTPS_PROXY: 'http://proxy.internal:3128' }).outboundProxy).toBe(true);
    expect(loadConfig({ https_proxy: 'proxy.internal:3128' }).outboundProxy).toBe(true);
    expect(() => loadConfig({ HTTPS_PROXY: 'ftp://user:s3cret@proxy/x' })).toThrow(
      'HTTPS_PROXY must be the URL of an HTTP proxy, like http://proxy.internal:3128',
    );
  });
});
