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
    await expect(
      get(
        url,
        createSsrfGuard(
          [],
          fakeDns({ localhost: '127.0.0.1', ...{ 'internal.example.test': '127.0.0.1', 'mapped.example.test': '::ffff:127.0.0.1' } }),
        ),
      ),
    ).rejects.toMatchObject({
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
    // All of link-local is metadata: 169.254.170.23 (EKS Pod Identity), 169.254.10.10, fe80::/10.
    ['169.254.170.23', 'cloud metadata'],
    ['169.254.10.10', 'cloud metadata'],
    ['fe80::1', 'cloud metadata'],
    ['fd00:ec2::23', 'cloud metadata'],
    ['100.100.100.200', 'cloud metadata'],
    // Azure's WireServer is a public address: refused by name, not by range.
    ['168.63.129.16', 'cloud metadata'],
    // IPv6 forms that embed an IPv4 address are judged by that address (the URL parser turns [::127.0.0.1] into ::7f00:1).
    ['::7f00:1', 'loopback'],
    ['::a9fe:a9fe', 'cloud metadata'],
    ['::a00:1', 'private network'],
    ['::ffff:0:7f00:1', 'loopback'],
    ['64:ff9b::7f00:1', 'loopback'],
    ['64:ff9b::a9fe:a9fe', 'cloud metadata'],
    ['64:ff9b::c0a8:101', 'private network'],
    ['64:ff9b:1:a9fe:a9:fe00::', 'cloud metadata'],
    ['64:ff9b:1:7f00:0:100::', 'loopback'],
    ['2002:7f00:1::1', 'loopback'],
    ['2002:a9fe:a9fe::', 'cloud metadata'],
    ['2002:a00:1::', 'private network'],
    ['fc00::1', 'unique local'],
    ['::ffff:10.0.0.1', 'private network'],
    ['::ffff:169.254.169.254', 'cloud metadata'],
    ['224.0.0.1', 'multicast'],
    ['255.255.255.255', 'broadcast'],
    ['::', 'unspecified'],
  ])('refuses %s (%s)', (address, words) => {
    expect(refusal(address, address, 443, [])).toContain(words);
  });

  it('allows public unicast addresses, in IPv6 embedding forms too', () => {
    expect(refusal('52.216.1.1', 's3.amazonaws.com', 443, [])).toBeNull();
    expect(refusal('2600:1f18::1', 's3.amazonaws.com', 443, [])).toBeNull();
    expect(refusal('64:ff9b::34d8:101', 's3.amazonaws.com', 443, [])).toBeNull();
    expect(refusal('2002:34d8:101::1', 's3.amazonaws.com', 443, [])).toBeNull();
  });

  it('judges the URL parser’s form of [::127.0.0.1] and [::169.254.169.254]', () => {
    for (const url of ['http://[::127.0.0.1]/', 'http://[::169.254.169.254]/']) {
      const host = new URL(url).hostname.slice(1, -1);
      expect(refusal(host, host, 80, [])).not.toBeNull();
    }
  });

  it('refuses a name that resolves to a private address, through the guarded lookup', async () => {
    const guard = createSsrfGuard([], fakeDns({ 'minio.corp.test': '10.1.2.3' }));
    await expect(guard.connect('minio.corp.test', 9000, AbortSignal.timeout(1_000))).rejects.toMatchObject({
      code: 'EADDRNOTALLOWED',
      address: '10.1.2.3',
    });
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

  it.each([
    '169.254.0.0/16',
    '169.254.169.254',
    '169.254.170.23',
    '169.254.0.0/24',
    '0.0.0.0/0',
    '100.100.100.0/24',
    '168.63.129.16',
    '168.63.0.0/16',
    'fd00::/8',
    'fd00:ec2::254',
    'fe80::/64',
    '[::/0]:80',
    // Metadata reached through an IPv6 embedding form.
    '::ffff:169.254.169.254',
    '[::ffff:a9fe:0/112]:80',
    '::a9fe:a9fe',
    '64:ff9b::/96',
    '64:ff9b::a9fe:a9fe',
    '64:ff9b:1::/48',
    '64:ff9b:1:a9fe::/64',
    '2002::/16',
    '2002:a9fe::/32',
  ])('refuses the entry %s at startup: it covers a metadata address', (entry) => {
    expect(() => parseAllowlist([entry])).toThrow(AllowlistError);
    expect(() => loadConfig({ S3_ENDPOINT_ALLOWLIST: entry })).toThrow(ConfigError);
    expect(() => loadConfig({ S3_ENDPOINT_ALLOWLIST: entry })).toThrow(/metadata/);
  });

  it.each(['10.0.0.0/8', '100.64.0.0/16', '64:ff9b::a00:0/104', '2002:a00::/24', 'fd12::/16', '172.16.0.0/12'])(
    'accepts %s, which reaches no metadata address',
    (entry) => {
      expect(() => parseAllowlist([entry])).not.toThrow();
    },
  );

  it.each(['10.0.0.0/8:99999', 'not a host!', 'a:b'])('refuses the malformed entry %s', (entry) => {
    expect(() => parseAllowlist([entry])).toThrow(AllowlistError);
  });
});
