import { createHash } from 'node:crypto';

/** What the pool needs of an SDK client: its resolved config, whose clock correction it resets on loan. */
export type PooledClient = { config: { systemClockOffset?: number } };

export type ClientLoan<T> = { client: T; release(): void };

/** The SDK's endpoint overrides: a client resolves them once, so a client made under others is another client. */
const ENDPOINT_OVERRIDES = ['AWS_ENDPOINT_URL', 'AWS_ENDPOINT_URL_S3', 'AWS_ENDPOINT_URL_STS'] as const;

/**
 * SDK clients kept between checks, as the SDK advises: a client resolves its configuration and endpoint rules on its
 * first request, a millisecond or more of CPU per client (decision 017). A client is lent to one check at a time and
 * found again only by everything it was built from (`parts`: kind, region, the connector's config with its secrets,
 * credentials the server holds for it) and the SDK's endpoint overrides — hashed, so no key holds a secret. The clock
 * correction a client learns from an endpoint's answers is reset on loan: each check reports a skewed clock itself,
 * never hidden by an earlier check's correction. Clients idle longer than `idleMs` go, and at most `max` are kept.
 */
export class ClientPool {
  private readonly idle = new Map<string, { client: PooledClient; since: number }[]>();

  constructor(private readonly limits: { max: number; idleMs: number; now?: () => number } = { max: 64, idleMs: 60_000 }) {}

  borrow<T extends PooledClient>(parts: unknown[], make: () => T): ClientLoan<T> {
    const key = this.keyOf(parts);
    this.sweep();
    const kept = this.idle.get(key)?.pop();
    const client = (kept?.client as T | undefined) ?? make();
    client.config.systemClockOffset = 0;
    let returned = false;
    return {
      client,
      release: () => {
        if (returned) return;
        returned = true;
        this.keep(key, client);
      },
    };
  }

  /** Clients kept idle now. */
  get size(): number {
    let count = 0;
    for (const list of this.idle.values()) count += list.length;
    return count;
  }

  clear() {
    this.idle.clear();
  }

  private keyOf(parts: unknown[]): string {
    const overrides = ENDPOINT_OVERRIDES.map((name) => process.env[name] ?? null);
    return createHash('sha256')
      .update(JSON.stringify([parts, overrides]))
      .digest('base64url');
  }

  private keep(key: string, client: PooledClient) {
    const list = this.idle.get(key) ?? [];
    list.push({ client, since: this.now() });
    // Re-inserted last: the map's order is the order of use, oldest first.
    this.idle.delete(key);
    this.idle.set(key, list);
    for (let excess = this.size - this.limits.max; excess > 0; excess--) this.dropOldest();
  }

  private sweep() {
    const before = this.now() - this.limits.idleMs;
    for (const [key, list] of this.idle) {
      const fresh = list.filter((entry) => entry.since > before);
      if (fresh.length === 0) this.idle.delete(key);
      else this.idle.set(key, fresh);
    }
  }

  private dropOldest() {
    const [key, list] = this.idle.entries().next().value ?? [];
    if (key === undefined || !list) return;
    list.shift();
    if (list.length === 0) this.idle.delete(key);
  }

  private now() {
    return (this.limits.now ?? Date.now)();
  }
}
