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
    const worker = new CheckWorker({ checks, destinations, concurrency: 2, budgetMs: 1_000, checkOptions: { allowAmbientCredentials: false }, log: pino({ enabled: false }), pollMs: 60_000 });
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
});
