/** A Host value the app answers for: a name (any port) or a name with its port. */
export type AllowedHost = { hostname: string; port: string | null };

const LOOPBACK_HOSTS = ['localhost', '127.0.0.1', '[::1]'];

/** `host` or `host:port` as the URL parser reads it (lower case, IPv6 in brackets, no trailing dot), or null. */
export function parseHost(value: string): AllowedHost | null {
  if (value === '' || /[/?#@\s\\]/.test(value)) return null;
  try {
    const url = new URL(`http://${value}`);
    return { hostname: url.hostname.toLowerCase().replace(/\.$/, ''), port: url.port || null };
  } catch {
    return null;
  }
}

export class AllowedHostsError extends Error {}

/** ALLOWED_HOSTS, or by default the host of PUBLIC_ORIGIN, plus the loopback names when the app listens on loopback. */
export function allowedHostsFrom(raw: string | undefined, publicOrigin: string, listenHost: string): AllowedHost[] {
  const entries = (raw ?? '')
    .split(',')
    .map((entry) => entry.trim())
    .filter(Boolean);
  const hosts = entries.map((entry) => {
    const host = parseHost(entry);
    if (!host) throw new AllowedHostsError(`ALLOWED_HOSTS entry "${entry}" is not a host name or host:port`);
    return host;
  });
  if (hosts.length === 0) {
    hosts.push({ hostname: new URL(publicOrigin).hostname.toLowerCase(), port: null });
    const loopback = ['localhost', '::1', '[::1]'].includes(listenHost) || listenHost.startsWith('127.');
    if (loopback) hosts.push(...LOOPBACK_HOSTS.map((hostname) => ({ hostname, port: null })));
  }
  return hosts;
}

export function hostAllowed(value: string | undefined, allowed: AllowedHost[]): boolean {
  const host = value === undefined ? null : parseHost(value);
  if (!host) return false;
  return allowed.some((entry) => entry.hostname === host.hostname && (entry.port === null || entry.port === host.port));
}
