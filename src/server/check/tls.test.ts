import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startLocalS3, type LocalS3 } from '../../../e2e/local-s3/gateway.ts';
import { IDENTITIES } from '../../../e2e/local-s3/identities.ts';
import { startTlsFronts, type TlsFronts } from '../../../e2e/local-s3/tls-fronts.ts';
import type { ConnectionCheck } from '#shared/check-schemas';
import { loadConfig } from '../config.ts';
import { allPassed, stepOf, stepSummary, waitForCheck } from '../test-support/checks.ts';
import { buildTestApp, tempDataDir, type TestApp } from '../test-support/test-app.ts';

let s3: LocalS3;
let fronts: TlsFronts;
let trusting: TestApp;
let plain: TestApp;
beforeAll(async () => {
  s3 = await startLocalS3();
  fronts = await startTlsFronts(s3.port);
  const ports = [s3.endpoint, ...Object.values(fronts.urls)].map((url) => `127.0.0.1:${new URL(url).port}`);
  [trusting, plain] = await Promise.all([
    buildTestApp({ s3EndpointAllowlist: ports, s3CaBundle: fronts.caPem, checkTimeoutMs: 5_000 }),
    buildTestApp({ s3EndpointAllowlist: ports, checkTimeoutMs: 5_000 }),
  ]);
}, 60_000);
afterAll(async () => {
  await Promise.all([trusting.close(), plain.close()]);
  await fronts.close();
  await s3.close();
});

async function check(t: TestApp, endpointUrl: string): Promise<ConnectionCheck> {
  const config = {
    remote_url: 's3://local-bucket/tls/',
    endpoint_url: endpointUrl,
    key: IDENTITIES.writer.accessKeyId,
    secret: IDENTITIES.writer.secretAccessKey,
  };
  const started = await t.request({ method: 'POST', url: '/api/v1/connection-checks', body: { type: 's3', config } });
  expect(started.statusCode, started.body).toBe(202);
  return waitForCheck(t, started.json().id);
}

describe('TLS mistakes, each named', () => {
  it('a certificate from a private authority passes once S3_CA_BUNDLE trusts it', async () => {
    const result = await check(trusting, fronts.urls.privateCa);
    expect(stepSummary(result)).toEqual(allPassed('custom'));
  });

  // Each against the app where it is the only thing wrong: the expired and wrong-host certificates come from the
  // private authority, so they are tried where that authority is trusted.
  it.each([
    ['privateCa', 'without S3_CA_BUNDLE', 'TlsUnknownAuthority', /signed by an authority this server does not trust/, /S3_CA_BUNDLE/],
    ['selfSigned', 'with S3_CA_BUNDLE', 'TlsSelfSigned', /self-signed/, /S3_CA_BUNDLE/],
    ['expired', 'with S3_CA_BUNDLE', 'TlsCertExpired', /has expired/, /Renew the certificate/],
    ['wrongHost', 'with S3_CA_BUNDLE', 'TlsWrongHost', /for another host name/, /host name the certificate names/],
  ] as const)('%s, %s → %s', async (kind, trust, code, message, hint) => {
    const bucket = stepOf(await check(trust === 'with S3_CA_BUNDLE' ? trusting : plain, fronts.urls[kind]), 'bucket');
    expect(bucket).toMatchObject({ status: 'failed', code });
    expect(bucket.message).toMatch(message);
    expect(bucket.hint).toMatch(hint);
  });

  it('an https:// Custom URL on a port that speaks plain HTTP: "is the Custom URL http://?"', async () => {
    const bucket = stepOf(await check(plain, s3.endpoint.replace('http://', 'https://')), 'bucket');
    expect(bucket).toMatchObject({ status: 'failed', code: 'TlsNotHttps', message: 'This port does not speak HTTPS: it answered in plain HTTP.' });
    expect(bucket.hint).toMatch(/^Is the Custom URL http:\/\//);
  });
});

describe('S3_CA_BUNDLE', () => {
  it('is read at startup; a missing file or one without certificates stops it, naming the variable', () => {
    const dir = tempDataDir();
    const bundle = path.join(dir, 'ca.pem');
    fs.writeFileSync(bundle, fronts.caPem);
    expect(loadConfig({ S3_CA_BUNDLE: bundle }).s3CaBundle).toBe(fronts.caPem);
    expect(() => loadConfig({ S3_CA_BUNDLE: path.join(dir, 'missing.pem') })).toThrow(/S3_CA_BUNDLE names a file that cannot be read/);
    fs.writeFileSync(bundle, 'not a certificate');
    expect(() => loadConfig({ S3_CA_BUNDLE: bundle })).toThrow(/S3_CA_BUNDLE must be a PEM file of certificates/);
  });
});
