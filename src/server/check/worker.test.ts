import { describe, expect, it } from 'vitest';
import pino from 'pino';
import type { ChecksRepository, ClaimedCheck } from '../store/checks-repository.ts';
import type { DestinationsRepository } from '../store/destinations-repository.ts';
import { CheckWorker } from './worker.ts';

describe('the check worker', () => {
  it('claims again at once when kicked while a claim was in progress, instead of at the next poll', async () => {
    let releaseFirst = () => {};
    const firstClaim = new Promise<void>((resolve) => (releaseFirst = resolve));
    const claims: number[] = [];
    const queued: ClaimedCheck[] = [];
    const checks = {
      failExpiredLeases: async () => [],
      async claim() {
        claims.push(performance.now());
        // The first claim's query ran before the check below was scheduled: it finds nothing.
        if (claims.length === 1) {
          const found = [...queued];
          await firstClaim;
          return found;
        }
        return queued.splice(0);
      },
      finish: async () => undefined,
    } as unknown as ChecksRepository;
    const destinations = { findConfigWithSecrets: async () => null } as unknown as DestinationsRepository;
    const worker = new CheckWorker({
      checks,
      destinations,
      concurrency: 2,
      budgetMs: 1_000,
      checkOptions: { allowAmbientCredentials: false },
      log: pino({ enabled: false }),
      pollMs: 60_000,
    });
    worker.start();
    await new Promise((resolve) => setTimeout(resolve, 10));
    queued.push({ id: 'check-1', destinationId: 'destination-1', config: null, startedBy: null });
    worker.kick();
    releaseFirst();
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(claims.length).toBeGreaterThanOrEqual(2);
    expect(queued).toEqual([]);
    await worker.stop();
  });

  it('runs a check scheduled while a slot is free without a claim; one scheduled while full waits and is claimed when a slot frees', async () => {
    const made: { id: string; claimedBy: string | null }[] = [];
    const claims: number[] = [];
    const queue: ClaimedCheck[] = [];
    const finished: string[] = [];
    const checks = {
      failExpiredLeases: async () => [],
      async create(input: { destinationId: string }, claimFor?: { workerId: string }) {
        const id = `check-${made.length + 1}`;
        made.push({ id, claimedBy: claimFor?.workerId ?? null });
        if (!claimFor) queue.push({ id, destinationId: input.destinationId, config: null, startedBy: null });
        return { id, status: 'SCHEDULED' };
      },
      async claim(_worker: string, _lease: Date, limit: number) {
        claims.push(limit);
        return queue.splice(0, limit);
      },
      finish: async (id: string) => void finished.push(id),
    } as unknown as ChecksRepository;
    // The first check's run waits here until released: the worker's only slot stays taken.
    let release = () => {};
    const held = new Promise<null>((resolve) => (release = () => resolve(null)));
    const destinations = {
      findConfigWithSecrets: (id: string) => (id === 'held' ? held : Promise.resolve(null)),
    } as unknown as DestinationsRepository;
    const worker = new CheckWorker({
      checks,
      destinations,
      concurrency: 1,
      budgetMs: 1_000,
      checkOptions: { allowAmbientCredentials: false },
      log: pino({ enabled: false }),
      pollMs: 60_000,
    });
    worker.start();
    await expect.poll(() => claims.length).toBe(1);

    await worker.schedule({ destinationId: 'held' });
    expect(made[0]).toEqual({ id: 'check-1', claimedBy: worker.id });
    await worker.schedule({ destinationId: 'second' });
    expect(made[1]).toEqual({ id: 'check-2', claimedBy: null });
    // Kicked with no slot free: no rows asked for, and the queued check waits.
    await new Promise((resolve) => setTimeout(resolve, 20));
    expect(claims).toEqual([1]);
    expect(finished).toEqual([]);

    release();
    await expect.poll(() => finished).toEqual(['check-1', 'check-2']);
    // The slot freed by check-1 claimed check-2 (a claim of one, which filled it); check-2's end claimed once more.
    expect(claims).toEqual([1, 1, 1]);
    await worker.schedule({ destinationId: 'third' });
    await expect.poll(() => finished).toEqual(['check-1', 'check-2', 'check-3']);
    // A check that ran straight away, with nothing held back, ends without a claim.
    expect(claims).toEqual([1, 1, 1]);
    await worker.stop();
  });
});
