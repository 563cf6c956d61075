import { afterEach, describe, expect, it } from 'vitest';
import { ClientPool } from './client-pool.ts';

let made = 0;
const make = () => ({ id: ++made, config: { systemClockOffset: 0 } });
const config = { remote_url: 's3://bucket/', key: 'AKIAEXAMPLE', secret: 'first-secret' };

describe('the SDK client pool', () => {
  const restore = process.env.AWS_ENDPOINT_URL_S3;
  afterEach(() => {
    process.env.AWS_ENDPOINT_URL_S3 = restore;
  });

  it('lends a client to one check at a time, and the same client again once it is back', () => {
    const pool = new ClientPool();
    const first = pool.borrow(['s3', 'us-east-1', config], make);
    const beside = pool.borrow(['s3', 'us-east-1', config], make);
    expect(beside.client).not.toBe(first.client);
    first.release();
    first.release();
    expect(pool.size).toBe(1);
    expect(pool.borrow(['s3', 'us-east-1', config], make).client).toBe(first.client);
  });

  it('finds a client only by all it was built from: another secret, region or endpoint override is another client', () => {
    const pool = new ClientPool();
    const loan = pool.borrow(['s3', 'us-east-1', config], make);
    loan.release();
    expect(pool.borrow(['s3', 'us-east-1', { ...config, secret: 'second-secret' }], make).client).not.toBe(loan.client);
    expect(pool.borrow(['s3', 'eu-west-1', config], make).client).not.toBe(loan.client);
    process.env.AWS_ENDPOINT_URL_S3 = 'http://127.0.0.1:1';
    expect(pool.borrow(['s3', 'us-east-1', config], make).client).not.toBe(loan.client);
    process.env.AWS_ENDPOINT_URL_S3 = restore;
    expect(pool.borrow(['s3', 'us-east-1', config], make).client).toBe(loan.client);
  });

  it('lends a kept client without the clock correction an earlier check taught it', () => {
    const pool = new ClientPool();
    const loan = pool.borrow(['sts', 'us-east-1', config], make);
    loan.client.config.systemClockOffset = 1_200_000;
    loan.release();
    expect(pool.borrow(['sts', 'us-east-1', config], make).client.config.systemClockOffset).toBe(0);
  });

  it('lets idle clients go after idleMs, and keeps at most max, the least recently used going first', () => {
    let now = 0;
    const pool = new ClientPool({ max: 2, idleMs: 1_000, now: () => now });
    const loans = ['a', 'b', 'c'].map((bucket) => pool.borrow(['s3', 'us-east-1', { ...config, remote_url: `s3://${bucket}/` }], make));
    for (const loan of loans) loan.release();
    expect(pool.size).toBe(2);
    const again = (bucket: string) => pool.borrow(['s3', 'us-east-1', { ...config, remote_url: `s3://${bucket}/` }], make).client;
    expect(again('a')).not.toBe(loans[0]?.client);
    expect(again('c')).toBe(loans[2]?.client);
    now = 1_001;
    expect(again('b')).not.toBe(loans[1]?.client);
    expect(pool.size).toBe(0);
  });

  it('keys its map by a digest: no secret is held in a key', () => {
    const pool = new ClientPool();
    pool.borrow(['s3', 'us-east-1', config], make).release();
    const keys = [...(pool as unknown as { idle: Map<string, unknown> }).idle.keys()];
    expect(keys).toHaveLength(1);
    expect(keys[0]).not.toContain('first-secret');
    expect(keys[0]).toMatch(/^[A-Za-z0-9_-]{43}$/);
  });
});
