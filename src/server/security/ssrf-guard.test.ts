import type dns from 'node:dns';
import type { LookupAddress } from 'node:dns';
import http from 'node:http';
import net from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig, ConfigError } from '../config.ts';
import { AllowlistError, createSsrfGuard, parseAllowlist, refusal } from './ssrf-guard.ts';

// A loopback listener that counts every connection: a refused URL must leave it at zero.
let listener: net.Server;
let port: number;
let connections = 0;
beforeAll(async () => {
  listener = net.createServer((socket) => {
    connections++;
    socket.end('HTTP/1.1 200 OK\r\ncontent-length: 0\r\n\r\n');
  });
  await new Promise<void>((resolve) => listener.listen(0, '127.0.0.1', resolve));
  port = (listener.address() as net.AddressInfo).port;
});
afterAll(() => listener.close());

/** A DNS that answers what the test says (names resolving to private addresses, DNS rebinding). */
const fakeDns = (answers: Record<string, string>) =>
  ((hostname: string, _options: unknown, callback: (error: Error | null, addresses: LookupAddress[]) => void) => {
    const address = answers[hostname];
    if (!address) return callback(Object.assign(new Error(`ENOTFOUND ${hostname}`), { code: 'ENOTFOUND' }), []);
    callback(null, [{ address, family: net.isIP(address) }]);
  }) as unknown as typeof dns.lookup;

const lookup = fakeDns({ 'internal.example.test': '127.0.0.1', 'rebind.example.test': '127.0.0.1', 'mapped.example.test': '::ffff:127.0.0.1' });

function get(url: string, guard = createSsrfGuard([], lookup)): Promise<string> {
  return new Promise((resolve, reject) => {
    const request = http.get(url, { agent: guard.httpAgent, timeout: 2_000 }, (response) => {
      response.resume();
      resolve(String(response.statusCode));
    });
    request.on('error', reject);
  });
}

describe('hostile Custom URLs pointing at this machine are refused before any connection', () => {
  const hostile = () => [
    `http://127.0.0.1:${port}/`,
    `http://127.1:${port}/`,
    `http://2130706433:${port}/`,
    `http://0x7f000001:${port}/`,
    `http://0177.0.0.1:${port}/`,
    `http://0x7f.0.0.1:${port}/`,
    `http://017700000001:${port}/`,
    `http://localhost:${port}/`,
    `http://[::1]:${port}/`,
    `http://[::ffff:127.0.0.1]:${port}/`,
    `http://[::ffff:7f00:1]:${port}/`,
    `http://[0:0:0:0:0:ffff:127.0.0.1]:${port}/`,
    `http://0.0.0.0:${port}/`,
    `http://internal.example.test:${port}/`,
    `http://mapped.example.test:${port}/`,
    `http://127.0.0.1.:${port}/`,
  ];

  it('has at least 15 spellings to try', () => {
    expect(hostile().length).toBeGreaterThanOrEqual(15);
  });

  it.each(Array.from({ length: 16 }, (_, i) => i))('spelling #%i is refused through the SDK agent, and the listener saw nothing', async (i) => {
    const url = hostile()[i] as string;
    const before = connections;
    await expect(get(url, createSsrfGuard([], fakeDns({ localhost: '127.0.0.1', ...{ 'internal.example.test': '127.0.0.1', 'mapped.example.test': '::ffff:127.0.0.1' } })))).rejects.toMatchObject({
      code: 'EADDRNOTALLOWED',
    });
    await new Promise((resolve) => setTimeout(resolve, 20));
    expect(connections, url).toBe(before);
  });

  it('refuses the endpoint step’s own connection the same way', async () => {
    const guard = createSsrfGuard([], lookup);
    const before = connections;
    await expect(guard.connect('127.0.0.1', port, AbortSignal.timeout(2_000))).rejects.toMatchObject({ code: 'EADDRNOTALLOWED' });
    await expect(guard.connect('internal.example.test', port, AbortSignal.timeout(2_000))).rejects.toMatchObject({ code: 'EADDRNOTALLOWED' });
    expect(connections).toBe(before);
  });

  it('judges the address a rebinding name resolves to at connection time', async () => {
    let answer = '93.184.216.34';
    const rebinding = ((hostname: string, _options: unknown, callback: (error: Error | null, addresses: LookupAddress[]) => void) =>
      callback(null, [{ address: hostname === 'rebind.example.test' ? answer : '0.0.0.0', family: 4 }])) as unknown as typeof dns.lookup;
    const guard = createSsrfGuard([], rebinding);
    // The name looked public when the user typed it; by the time of the connection it answers loopback.
    answer = '127.0.0.1';
    const before = connections;
    await expect(get(`http://rebind.example.test:${port}/`, guard)).rejects.toMatchObject({ code: 'EADDRNOTALLOWED' });
    expect(connections).toBe(before);
  });
});

describe('the decision, for addresses no test may send a packet to', () => {
  it.each([
    ['10.0.0.1', 'private network'],
    ['172.16.5.4', 'private network'],
    ['192.168.1.1', 'private network'],
    ['100.64.0.1', 'carrier-grade NAT'],
    ['169.254.169.254', 'cloud metadata'],
    ['169.254.170.2', 'cloud metadata'],
    ['fd00:ec2::254', 'cloud metadata'],
    ['169.254.10.10', 'link-local'],
    ['fe80::1', 'link-local'],
    ['fc00::1', 'unique local'],
    ['::ffff:10.0.0.1', 'private network'],
    ['::ffff:169.254.169.254', 'cloud metadata'],
    ['224.0.0.1', 'multicast'],
    ['255.255.255.255', 'broadcast'],
    ['::', 'unspecified'],
  ])('refuses %s (%s)', (address, words) => {
    expect(refusal(address, address, 443, [])).toContain(words);
  });

  it('allows public unicast addresses', () => {
    expect(refusal('52.216.1.1', 's3.amazonaws.com', 443, [])).toBeNull();
    expect(refusal('2600:1f18::1', 's3.amazonaws.com', 443, [])).toBeNull();
  });

  it('refuses a name that resolves to a private address, through the guarded lookup', async () => {
    const guard = createSsrfGuard([], fakeDns({ 'minio.corp.test': '10.1.2.3' }));
    await expect(guard.connect('minio.corp.test', 9000, AbortSignal.timeout(1_000))).rejects.toMatchObject({ code: 'EADDRNOTALLOWED', address: '10.1.2.3' });
  });
});

describe('S3_ENDPOINT_ALLOWLIST', () => {
  it('lets an allow-listed endpoint through, on its port only', async () => {
    const guard = createSsrfGuard(parseAllowlist([`127.0.0.1:${port}`]), lookup);
    const before = connections;
    expect(await get(`http://127.0.0.1:${port}/`, guard)).toBe('200');
    expect(connections).toBe(before + 1);
    expect(refusal('127.0.0.1', '127.0.0.1', port + 1, parseAllowlist([`127.0.0.1:${port}`]))).toContain('loopback');
  });

  it.each([
    ['10.0.0.0/8', '10.20.30.40', 'minio', 9000, null],
    ['10.0.0.0/8:9000', '10.20.30.40', 'minio', 9000, null],
    ['10.0.0.0/8:9000', '10.20.30.40', 'minio', 9001, 'private'],
    ['minio.corp.test', '10.1.2.3', 'minio.corp.test', 443, null],
    ['minio.corp.test:9000', '10.1.2.3', 'minio.corp.test', 443, 'private'],
    ['[fd12::/16]:9000', 'fd12::5', 'x', 9000, null],
    ['192.168.1.10', '192.168.1.11', 'x', 80, 'private'],
  ])('%s: %s (%s:%i)', (entry, address, host, entryPort, expected) => {
    const why = refusal(address, host, entryPort, parseAllowlist([entry]));
    if (expected === null) expect(why).toBeNull();
    else expect(why).toContain(expected);
  });

  it('never allows the metadata address, whatever the allowlist says', () => {
    expect(refusal('169.254.169.254', 'metadata', 80, parseAllowlist(['metadata']))).toContain('cloud metadata');
  });

  it.each(['169.254.0.0/16', '169.254.169.254', '0.0.0.0/0', 'fd00::/8', '[::/0]:80'])('refuses the entry %s at startup: it covers a metadata address', (entry) => {
    expect(() => parseAllowlist([entry])).toThrow(AllowlistError);
    expect(() => loadConfig({ S3_ENDPOINT_ALLOWLIST: entry })).toThrow(ConfigError);
    expect(() => loadConfig({ S3_ENDPOINT_ALLOWLIST: entry })).toThrow(/metadata/);
  });

  it.each(['10.0.0.0/8:99999', 'not a host!', 'a:b'])('refuses the malformed entry %s', (entry) => {
    expect(() => parseAllowlist([entry])).toThrow(AllowlistError);
  });
});
