import forge from 'node-forge';
import { generateKeyPairSync, randomBytes } from 'node:crypto';
import http from 'node:http';
import https from 'node:https';
import type { AddressInfo } from 'node:net';

/**
 * HTTPS in front of the local S3 endpoint, with the certificates S3-compatible services are met with: one issued by a
 * private certificate authority (trusted once S3_CA_BUNDLE names it), a self-signed one, an expired one and one for
 * another host name. Everything is generated when the tests start; nothing is committed.
 */
export type TlsFrontKind = 'privateCa' | 'selfSigned' | 'expired' | 'wrongHost';
export type TlsFronts = { caPem: string; urls: Record<TlsFrontKind, string>; close(): Promise<void> };

type Key = { pem: string; privateKey: forge.pki.rsa.PrivateKey; publicKey: forge.pki.rsa.PublicKey };
type Issued = { key: Key; cert: forge.pki.Certificate; pem: string };

function newKey(): Key {
  const { privateKey, publicKey } = generateKeyPairSync('rsa', {
    modulusLength: 2048,
    publicKeyEncoding: { type: 'spki', format: 'pem' },
    privateKeyEncoding: { type: 'pkcs1', format: 'pem' },
  });
  return { pem: privateKey, privateKey: forge.pki.privateKeyFromPem(privateKey), publicKey: forge.pki.publicKeyFromPem(publicKey) };
}

const DAY = 24 * 3600 * 1000;

function issue(options: { commonName: string; altNames: object[]; from: Date; to: Date; ca?: boolean; issuer?: Issued }): Issued {
  const key = newKey();
  const cert = forge.pki.createCertificate();
  cert.publicKey = key.publicKey;
  cert.serialNumber = `01${randomBytes(8).toString('hex')}`;
  cert.validity.notBefore = options.from;
  cert.validity.notAfter = options.to;
  const subject = [{ name: 'commonName', value: options.commonName }];
  cert.setSubject(subject);
  cert.setIssuer(options.issuer ? options.issuer.cert.subject.attributes : subject);
  cert.setExtensions([
    { name: 'basicConstraints', cA: options.ca === true },
    { name: 'keyUsage', keyCertSign: options.ca === true, digitalSignature: true, keyEncipherment: true },
    ...(options.altNames.length > 0 ? [{ name: 'subjectAltName', altNames: options.altNames }] : []),
  ]);
  cert.sign(options.issuer?.key.privateKey ?? key.privateKey, forge.md.sha256.create());
  return { key, cert, pem: forge.pki.certificateToPem(cert) };
}

/** Starts one HTTPS front per kind, each passing requests on to the endpoint at `backendPort` untouched. */
export async function startTlsFronts(backendPort: number): Promise<TlsFronts> {
  const now = Date.now();
  const loopback = [{ type: 7, ip: '127.0.0.1' }];
  const ca = issue({ commonName: 'Local test CA', altNames: [], from: new Date(now - DAY), to: new Date(now + 30 * DAY), ca: true });
  const certificates: Record<TlsFrontKind, Issued> = {
    privateCa: issue({ commonName: '127.0.0.1', altNames: loopback, from: new Date(now - DAY), to: new Date(now + 30 * DAY), issuer: ca }),
    selfSigned: issue({ commonName: '127.0.0.1', altNames: loopback, from: new Date(now - DAY), to: new Date(now + 30 * DAY) }),
    expired: issue({ commonName: '127.0.0.1', altNames: loopback, from: new Date(now - 30 * DAY), to: new Date(now - DAY), issuer: ca }),
    wrongHost: issue({
      commonName: 'other.example',
      altNames: [{ type: 2, value: 'other.example' }],
      from: new Date(now - DAY),
      to: new Date(now + 30 * DAY),
      issuer: ca,
    }),
  };
  const servers = await Promise.all(
    Object.entries(certificates).map(async ([kind, issued]) => {
      const server = https.createServer({ key: issued.key.pem, cert: issued.pem }, (req, res) => {
        // The Host header is passed on as sent: the request was signed for it.
        const upstream = http.request({ host: '127.0.0.1', port: backendPort, method: req.method, path: req.url, headers: req.headers }, (answer) => {
          res.writeHead(answer.statusCode ?? 502, answer.headers);
          answer.pipe(res);
        });
        upstream.on('error', () => res.destroy());
        req.pipe(upstream);
      });
      await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
      return [kind as TlsFrontKind, server] as const;
    }),
  );
  const urls = Object.fromEntries(servers.map(([kind, server]) => [kind, `https://127.0.0.1:${(server.address() as AddressInfo).port}`])) as Record<
    TlsFrontKind,
    string
  >;
  return {
    caPem: ca.pem,
    urls,
    async close() {
      for (const [, server] of servers) {
        server.closeAllConnections();
        await new Promise<void>((resolve) => server.close(() => resolve()));
      }
    },
  };
}
