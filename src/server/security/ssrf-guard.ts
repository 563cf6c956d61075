import dns, { type LookupAddress, type LookupOptions } from 'node:dns';
import http from 'node:http';
import https from 'node:https';
import net from 'node:net';
import tls from 'node:tls';
import type { Duplex } from 'node:stream';
import { Agent as BaseAgent, type AgentConnectOpts } from 'agent-base';
import { HttpsProxyAgent } from 'https-proxy-agent';
import ipaddr from 'ipaddr.js';
import { getProxyForUrl } from 'proxy-from-env';

type ConnectionCallback = (error: Error | null, stream: Duplex) => void;

/**
 * The SSRF guard of the connection check. A Custom URL is typed by a user, so every connection the check opens goes
 * through here: the address actually connected to (after DNS, so names that resolve to private addresses and DNS
 * rebinding are covered) must be a public unicast address, or be allowed by S3_ENDPOINT_ALLOWLIST. Cloud metadata
 * addresses are refused whatever the allowlist says.
 */
export type AllowEntry = { raw: string; host: string | null; range: [ipaddr.IPv4 | ipaddr.IPv6, number] | null; port: number | null };

export class AllowlistError extends Error {}

export class AddressNotAllowedError extends Error {
  readonly code = 'EADDRNOTALLOWED';
  constructor(
    readonly address: string,
    readonly port: number,
    readonly why: string,
  ) {
    super(`Connecting to ${address}:${port} is not allowed: ${why}`);
    this.name = 'AddressNotAllowedError';
  }
}

type Address = ipaddr.IPv4 | ipaddr.IPv6;
type Range = [Address, number];

/**
 * "Metadata never": every address a cloud's instance metadata, credentials or platform agent answers on, as ranges —
 * all of IPv4 and IPv6 link-local (169.254.169.254 on AWS, GCP and Azure, 169.254.170.2 and .23 for ECS and EKS
 * credentials), AWS's IPv6 metadata fd00:ec2::254, Alibaba's 100.100.100.200 and Azure's WireServer 168.63.129.16
 * (a public address). No allowlist entry can reach them.
 */
export const METADATA_RANGES: Range[] = ['169.254.0.0/16', 'fe80::/10', 'fd00:ec2::/32', '100.100.100.200/32', '168.63.129.16/32'].map((cidr) =>
  ipaddr.parseCIDR(cidr),
);

/**
 * IPv6 forms that carry an IPv4 address (RFC 4291 mapped and compatible, RFC 6145 translated, RFC 6052 NAT64 and
 * RFC 8215 local-use NAT64, RFC 3056 6to4): where the four IPv4 bytes sit. A connection to one of these reaches, or is
 * routed by, the IPv4 address inside, so the guard judges that address.
 */
const EMBEDDINGS: { range: Range; bytes: [number, number, number, number] }[] = [
  { range: ipaddr.parseCIDR('::ffff:0:0/96'), bytes: [12, 13, 14, 15] },
  { range: ipaddr.parseCIDR('::ffff:0:0:0/96'), bytes: [12, 13, 14, 15] },
  { range: ipaddr.parseCIDR('::/96'), bytes: [12, 13, 14, 15] },
  { range: ipaddr.parseCIDR('64:ff9b::/96'), bytes: [12, 13, 14, 15] },
  // A /48 prefix puts the IPv4 address around the reserved "u" octet (byte 8): RFC 6052, section 2.2.
  { range: ipaddr.parseCIDR('64:ff9b:1::/48'), bytes: [6, 7, 9, 10] },
  { range: ipaddr.parseCIDR('2002::/16'), bytes: [2, 3, 4, 5] },
];

const sameKind = (a: Address, b: Address) => a.kind() === b.kind();
const inRange = (address: Address, range: Range) => sameKind(address, range[0]) && address.match(range as [ipaddr.IPv4, number]);
const UNSPECIFIED_OR_LOOPBACK = ['::', '::1'];

/** The address a connection really reaches: the IPv4 address inside an IPv6 embedding form, else itself. */
export function normalise(address: string): Address {
  const parsed = ipaddr.parse(address);
  if (parsed.kind() === 'ipv4' || UNSPECIFIED_OR_LOOPBACK.includes(parsed.toString())) return parsed;
  const bytes = parsed.toByteArray();
  const form = EMBEDDINGS.find((embedding) => inRange(parsed, embedding.range));
  return form ? ipaddr.fromByteArray(form.bytes.map((i) => bytes[i] ?? 0)) : parsed;
}

const isMetadata = (address: Address) => METADATA_RANGES.some((range) => inRange(address, range));

/** A range of IPv4 addresses as each embedding form writes it: a CIDR per form (the bits before the last fixed one). */
function embeddedRanges([base, bits]: Range): Range[] {
  if (base.kind() !== 'ipv4') return [];
  const v4 = base.toByteArray();
  return EMBEDDINGS.map(({ range, bytes }) => {
    const v6 = range[0].toByteArray();
    bytes.forEach((position, i) => (v6[position] = v4[i] ?? 0));
    const lastBit = bits === 0 ? null : bits - 1;
    const prefix = lastBit === null ? range[1] : (bytes[Math.floor(lastBit / 8)] ?? 0) * 8 + (lastBit % 8) + 1;
    return [ipaddr.fromByteArray(v6), prefix] as Range;
  });
}

/** Whether two CIDR ranges share an address (CIDRs are nested or apart, so one holds the other's first address). */
const overlaps = (a: Range, b: Range) => sameKind(a[0], b[0]) && (inRange(a[0], b) || inRange(b[0], a));

/** The metadata address an allowlist range would reach, directly or through an embedding form, if any. */
function metadataCoveredBy(range: Range): Range | undefined {
  return METADATA_RANGES.find((meta) => [meta, ...embeddedRanges(meta)].some((form) => overlaps(range, form)));
}

/** Parses `CIDR`, `IP`, `host`, `host:port`, `CIDR:port`, `[v6]:port`; refuses entries that cover a metadata address. */
export function parseAllowlist(entries: string[]): AllowEntry[] {
  return entries.map((raw) => {
    let target = raw;
    let port: number | null = null;
    const bracketed = /^\[([^\]]+)\](?::(\d+))?$/.exec(raw);
    if (bracketed) {
      target = bracketed[1] ?? '';
      port = bracketed[2] ? Number(bracketed[2]) : null;
    } else if ((raw.match(/:/g) ?? []).length === 1) {
      const [head, tail] = raw.split(':');
      target = head ?? '';
      port = Number(tail);
    }
    if (port !== null && (!Number.isInteger(port) || port < 1 || port > 65535)) {
      throw new AllowlistError(`S3_ENDPOINT_ALLOWLIST entry "${raw}" has an invalid port`);
    }
    let range: AllowEntry['range'] = null;
    if (ipaddr.isValidCIDR(target)) range = ipaddr.parseCIDR(target);
    else if (ipaddr.isValid(target)) {
      const address = normalise(target);
      range = [address, address.kind() === 'ipv4' ? 32 : 128];
    }
    if (range) {
      const covered = metadataCoveredBy(range);
      if (covered) {
        throw new AllowlistError(
          `S3_ENDPOINT_ALLOWLIST entry "${raw}" covers cloud metadata addresses (${covered[0].toString()}/${covered[1]}); narrow it so the metadata services stay unreachable`,
        );
      }
      return { raw, host: null, range, port };
    }
    if (!/^[a-z0-9]([a-z0-9.-]*[a-z0-9])?$/i.test(target)) {
      throw new AllowlistError(`S3_ENDPOINT_ALLOWLIST entry "${raw}" is not a CIDR, an IP address or a host name`);
    }
    return { raw, host: target.toLowerCase(), range: null, port };
  });
}

/** Why connecting to `address` (reached through `hostname`) on `port` is refused, or null when it is allowed. */
export function refusal(address: string, hostname: string, port: number, allowlist: AllowEntry[]): string | null {
  if (!ipaddr.isValid(address)) return 'not an IP address';
  const ip = normalise(address);
  if (isMetadata(ip)) return 'it is a cloud metadata address';
  const allowed = allowlist.some(
    (entry) =>
      (entry.port === null || entry.port === port) &&
      (entry.range ? inRange(ip, entry.range) : entry.host === hostname.toLowerCase().replace(/\.$/, '')),
  );
  if (allowed) return null;
  const range = ip.range();
  if (range === 'unicast') return null;
  const kinds: Record<string, string> = {
    unspecified: 'it is the unspecified address',
    loopback: 'it is a loopback address',
    private: 'it is a private network address',
    carrierGradeNat: 'it is a carrier-grade NAT address',
    linkLocal: 'it is a link-local address',
    uniqueLocal: 'it is a unique local (private) IPv6 address',
    multicast: 'it is a multicast address',
    broadcast: 'it is the broadcast address',
  };
  return kinds[range] ?? `it is a reserved address (${range})`;
}

type Lookup = typeof dns.lookup;

export type SsrfGuard = {
  httpAgent: http.Agent;
  httpsAgent: http.Agent;
  /**
   * Opens (and closes) a TCP connection through the guard: the check's endpoint step. Through an outbound proxy it
   * only judges the address, and answers what the step should say instead of "Connected".
   */
  connect(host: string, port: number, signal: AbortSignal): Promise<string | void>;
};

/** A `lookup` that refuses addresses the guard refuses, so the decision is made on the address connected to. */
function guardedLookup(hostname: string, port: number, allowlist: AllowEntry[], lookup: Lookup) {
  return (host: string, options: LookupOptions, callback: (...args: unknown[]) => void) => {
    lookup(host, { ...options, all: true }, (error, addresses: LookupAddress[]) => {
      if (error) return callback(error);
      for (const { address } of addresses) {
        const why = refusal(address, hostname, port, allowlist);
        if (why) return callback(new AddressNotAllowedError(address, port, why));
      }
      if (options.all) return callback(null, addresses);
      const first = addresses[0];
      return first
        ? callback(null, first.address, first.family)
        : callback(Object.assign(new Error(`no address for ${host}`), { code: 'ENOTFOUND' }));
    });
  };
}

function guardOptions<T extends net.NetConnectOpts & { host?: string | null; servername?: string }>(
  options: T,
  allowlist: AllowEntry[],
  lookup: Lookup,
): T {
  const host = options.host ?? 'localhost';
  const port = Number((options as { port?: number }).port ?? 0);
  if (net.isIP(host)) {
    const why = refusal(host, host, port, allowlist);
    if (why) throw new AddressNotAllowedError(host, port, why);
  }
  return { ...options, lookup: guardedLookup(host, port, allowlist, lookup) as unknown as net.LookupFunction };
}

/** The address a connection to `host` may go to, judged as a direct connection would be; refuses otherwise. */
function judgedAddress(host: string, port: number, allowlist: AllowEntry[], lookup: Lookup): Promise<string> {
  if (net.isIP(host)) {
    const why = refusal(host, host, port, allowlist);
    return why ? Promise.reject(new AddressNotAllowedError(host, port, why)) : Promise.resolve(host);
  }
  return new Promise((resolve, reject) => {
    guardedLookup(host, port, allowlist, lookup)(host, {}, (error: unknown, address: unknown) => (error ? reject(error) : resolve(String(address))));
  });
}

/**
 * With an outbound proxy (HTTPS_PROXY, HTTP_PROXY, ALL_PROXY; NO_PROXY honoured, as proxy-from-env reads them): the
 * target is judged here first, exactly as a direct connection's, and the proxy is asked to CONNECT to the address
 * judged — not to the name, which the proxy would resolve again (a rebinding DNS could answer it differently). Plain
 * http:// endpoints are tunnelled too, for the same reason. Targets NO_PROXY exempts are connected directly.
 */
class GuardedProxyingAgent extends BaseAgent {
  private readonly tunnels = new Map<string, HttpsProxyAgent<string>>();
  constructor(
    private readonly judge: (host: string, port: number) => Promise<string>,
    private readonly ca: string[] | undefined,
  ) {
    super({ keepAlive: true, maxFreeSockets: 16, timeout: 5_000 });
  }

  override async connect(req: http.ClientRequest, opts: AgentConnectOpts): Promise<Duplex> {
    const host = (opts.host ?? 'localhost').replace(/^\[|\]$/g, '');
    const port = Number(opts.port);
    const address = await this.judge(host, port);
    const target = `${opts.secureEndpoint ? 'https' : 'http'}://${net.isIPv6(host) ? `[${host}]` : host}:${port}`;
    const proxy = getProxyForUrl(target);
    // The certificate is checked against the name (or address) asked for, while the connection goes to the address
    // judged; said explicitly, since a tunnelled TLS socket is not told the host.
    const tlsOptions = {
      ...(net.isIP(host) ? {} : { servername: host }),
      ...(this.ca ? { ca: this.ca } : {}),
      checkServerIdentity: (_name: string, cert: tls.PeerCertificate) => tls.checkServerIdentity(host, cert),
    };
    if (!proxy) return opts.secureEndpoint ? tls.connect({ host: address, port, ...tlsOptions }) : net.connect({ host: address, port });
    let tunnel = this.tunnels.get(proxy);
    if (!tunnel) {
      tunnel = new HttpsProxyAgent(proxy);
      this.tunnels.set(proxy, tunnel);
    }
    return tunnel.connect(req, { ...opts, host: address, ...tlsOptions } as AgentConnectOpts);
  }
}

export function createSsrfGuard(
  allowlist: AllowEntry[],
  lookup: Lookup = dns.lookup,
  options: { caBundle?: string | null; outboundProxy?: boolean } = {},
): SsrfGuard {
  // S3_CA_BUNDLE adds authorities to the public ones (MinIO or Ceph behind an internal CA); it never replaces them.
  const ca = options.caBundle ? [...tls.rootCertificates, options.caBundle] : undefined;
  const judge = (host: string, port: number) => judgedAddress(host, port, allowlist, lookup);
  // http.Agent takes the first answer: report the refusal through the callback at once, before returning a socket.
  const refused = (error: unknown, callback?: ConnectionCallback) => {
    const socket = new net.Socket();
    if (callback) callback(error as Error, socket);
    else process.nextTick(() => socket.destroy(error as Error));
    return socket;
  };
  class GuardedHttpAgent extends http.Agent {
    override createConnection(options: net.NetConnectOpts, callback?: ConnectionCallback) {
      try {
        return super.createConnection(guardOptions(options as net.TcpNetConnectOpts, allowlist, lookup), callback);
      } catch (error) {
        return refused(error, callback);
      }
    }
  }
  class GuardedHttpsAgent extends https.Agent {
    override createConnection(options: net.NetConnectOpts, callback?: ConnectionCallback) {
      try {
        return super.createConnection(guardOptions(options as net.TcpNetConnectOpts, allowlist, lookup), callback);
      } catch (error) {
        return refused(error, callback);
      }
    }
  }
  if (options.outboundProxy) {
    const proxying = new GuardedProxyingAgent(judge, ca);
    return {
      httpAgent: proxying,
      httpsAgent: proxying,
      // Through a proxy this server may not open TCP connections itself: the endpoint step judges the address, and
      // the S3 steps reach it through the tunnel.
      async connect(host, port) {
        await judge(host, port);
        const proxy =
          getProxyForUrl(`http://${net.isIPv6(host) ? `[${host}]` : host}:${port}`) ||
          getProxyForUrl(`https://${net.isIPv6(host) ? `[${host}]` : host}:${port}`);
        return proxy ? `${host} is an address this server may reach; requests go through the outbound proxy ${new URL(proxy).host}.` : undefined;
      },
    };
  }
  return {
    // Kept-alive sockets are reused only for the host and port they were judged for when they connected.
    // An idle one is closed after 5 s: a check is over by then, and no endpoint is held open for long.
    httpAgent: new GuardedHttpAgent({ keepAlive: true, maxFreeSockets: 16, timeout: 5_000 }),
    httpsAgent: new GuardedHttpsAgent({ keepAlive: true, maxFreeSockets: 16, timeout: 5_000, ...(ca ? { ca } : {}) }),
    connect(host, port, signal) {
      return new Promise((resolve, reject) => {
        let socket: net.Socket;
        try {
          socket = net.connect(guardOptions({ host, port }, allowlist, lookup));
        } catch (error) {
          return reject(error);
        }
        const done = (error?: Error) => {
          socket.destroy();
          signal.removeEventListener('abort', onAbort);
          if (error) reject(error);
          else resolve();
        };
        const onAbort = () => done(Object.assign(new Error('aborted'), { name: 'AbortError' }));
        signal.addEventListener('abort', onAbort);
        socket.once('connect', () => done());
        socket.once('error', (error) => done(error));
      });
    },
  };
}
