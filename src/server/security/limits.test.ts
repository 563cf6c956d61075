import type { FastifyRequest } from 'fastify';
import { describe, expect, it } from 'vitest';
import { clientAddressKey, createFairQueue } from './limits.ts';

const from = (ip: string) => ({ ip }) as FastifyRequest;

describe('the address a limit counts', () => {
  it.each([
    ['203.0.113.9', '203.0.113.9'],
    ['::ffff:203.0.113.9', '203.0.113.9'],
    ['2001:db8:7:1::1', '2001:db8:7:1::/64'],
    ['2001:db8:7:1:ffff:ffff:ffff:ffff', '2001:db8:7:1::/64'],
    ['2001:db8:7:2::1', '2001:db8:7:2::/64'],
  ])('%s counts as %s', (ip, key) => {
    expect(clientAddressKey(from(ip))).toBe(key);
  });
});

describe('the fair queue', () => {
  /** Work that ends when told to, recording the order it started in. */
  const gate = () => {
    const started: string[] = [];
    const releases: (() => void)[] = [];
    const work = (name: string) => () =>
      new Promise<string>((resolve) => {
        started.push(name);
        releases.push(() => resolve(name));
      });
    const turn = () => new Promise((resolve) => setImmediate(resolve));
    /** Ends the oldest running work, once it has started (p-limit starts work a turn later). */
    const releaseNext = async () => {
      while (releases.length === 0) await turn();
      releases.shift()?.();
      await turn();
    };
    return { started, work, releaseNext };
  };

  it('gives each key one place, so a key’s second attempt waits for its first', () => {
    const queue = createFairQueue({ concurrency: 1, perKey: 1, waiting: 10 });
    const { work } = gate();
    expect('result' in queue.run('a', work('a1'))).toBe(true);
    expect(queue.run('a', work('a2'))).toEqual({ refused: 'yours' });
    expect('result' in queue.run('b', work('b1'))).toBe(true);
  });

  it('bounds what waits in all, and takes a key again once its place is free', async () => {
    const queue = createFairQueue({ concurrency: 1, perKey: 1, waiting: 2 });
    const { work, releaseNext, started } = gate();
    const a = queue.run('a', work('a'));
    queue.run('b', work('b'));
    queue.run('c', work('c'));
    expect(queue.waitingCount).toBe(2);
    expect(queue.run('d', work('d'))).toEqual({ refused: 'full' });
    await releaseNext();
    expect(await ('result' in a ? a.result : null)).toBe('a');
    expect('result' in queue.run('a', work('a again'))).toBe(true);
    await releaseNext();
    await releaseNext();
    await releaseNext();
    expect(started).toEqual(['a', 'b', 'c', 'a again']);
  });
});
