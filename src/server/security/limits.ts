import type { FastifyInstance, FastifyRequest } from 'fastify';
import ipaddr from 'ipaddr.js';
import pLimit from 'p-limit';
import { HttpError } from '../errors.ts';

/**
 * Who a limit counts: the client address as TRUST_PROXY resolves it (`request.ip`), with IPv6 grouped by /64 — one
 * customer network holds a whole /64, so counting each of its 2^64 addresses apart would be no limit at all. IPv4
 * addresses (and IPv4-mapped IPv6 ones) count one by one.
 */
export function clientAddressKey(request: FastifyRequest): string {
  try {
    const parsed = ipaddr.process(request.ip);
    if (parsed.kind() === 'ipv6') {
      const parts = (parsed as ipaddr.IPv6).parts.slice(0, 4).map((part) => part.toString(16));
      return `${parts.join(':')}::/64`;
    }
    return parsed.toString();
  } catch {
    return request.ip;
  }
}

/** A 429 in the API's shape, with Retry-After. */
export const tooMany = (seconds: number, why: string) =>
  new HttpError(429, `${why}: wait ${seconds} s and try again`, { 'retry-after': String(seconds) });

/**
 * A count per caller (`key`: the client's address by default) in a window of a minute, through @fastify/rate-limit's
 * store: the returned function throws 429 "<why>: wait N s" once a caller is past `max`. Counted before the work it
 * guards, so a burst cannot outrun its own count.
 */
export function perMinute(app: FastifyInstance, max: number, why: string, key: (request: FastifyRequest) => string = clientAddressKey) {
  const limit = app.createRateLimit({ max, timeWindow: 60_000, keyGenerator: key });
  return async (request: FastifyRequest) => {
    const attempt = await limit(request);
    if (!attempt.isAllowed && attempt.isExceeded) throw tooMany(Math.max(1, attempt.ttlInSeconds), why);
  };
}

/**
 * Work that must run a few at a time (a password check: scrypt with 128 MiB on libuv's pool), shared fairly: each
 * key (a client address) holds at most `perKey` places, running or waiting, and at most `waiting` wait in all. With
 * one place per address, first come first served is round robin between addresses: no set of addresses, each within
 * its own limit, can keep another's turn from coming. Decision 018 has the numbers.
 */
export function createFairQueue(options: { concurrency: number; perKey: number; waiting: number }) {
  const limit = pLimit(options.concurrency);
  const held = new Map<string, number>();
  return {
    /** Runs `work` in its turn; null when the key holds its share already or the queue is full (answer 429). */
    run<T>(key: string, work: () => Promise<T>): { refused: 'yours' | 'full' } | { result: Promise<T> } {
      const mine = held.get(key) ?? 0;
      if (mine >= options.perKey) return { refused: 'yours' };
      if (limit.pendingCount >= options.waiting) return { refused: 'full' };
      held.set(key, mine + 1);
      const result = limit(work).finally(() => {
        const left = (held.get(key) ?? 1) - 1;
        if (left === 0) held.delete(key);
        else held.set(key, left);
      });
      return { result };
    },
    get waitingCount() {
      return limit.pendingCount;
    },
  };
}
