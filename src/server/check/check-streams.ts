import type { EventEmitter } from 'node:events';
import type { FastifyBaseLogger } from 'fastify';
import type { ConnectionCheck } from '#shared/check-schemas';
import type { ChecksRepository, CheckUpdate } from '../store/checks-repository.ts';
import type { CheckEvents } from './worker.ts';

/** Where one stream's events go: the route writes them to its response. */
export type CheckStreamSink = { send(check: ConnectionCheck, revision: number): void; heartbeat(): void; end(): void };

export type CheckStreamLimits = {
  /** Streams one principal (a user, an API key, an address) may hold open at once. */
  perPrincipal: number;
  /** Streams open on one check, whoever holds them. */
  perCheck: number;
  /** How often the store is read for changes another instance wrote (this one's come as events). */
  pollMs: number;
  heartbeatMs: number;
};

export const CHECK_STREAM_LIMITS: CheckStreamLimits = { perPrincipal: 20, perCheck: 100, pollMs: 1_000, heartbeatMs: 15_000 };

type Subscriber = { principal: string; sink: CheckStreamSink; revision: number };
type Watch = {
  subscribers: Set<Subscriber>;
  /** The newest state read or told, handed at once to a stream that joins. */
  latest: CheckUpdate | null;
  queue: Promise<void>;
  timers: NodeJS.Timeout[];
};

/**
 * The event streams of running checks, shared: one watch per check — one read of the store per poll however many
 * streams follow it, one heartbeat timer — fanned out to its streams, each sent every revision it has not seen, in
 * order. Streams are capped per principal and per check (429 in the route), so no caller can hold the server's
 * connections or make it read the store at will.
 */
export function createCheckStreams(deps: {
  checks: ChecksRepository;
  events: EventEmitter<CheckEvents>;
  log: FastifyBaseLogger;
  limits?: CheckStreamLimits;
}) {
  const limits = deps.limits ?? CHECK_STREAM_LIMITS;
  const watches = new Map<string, Watch>();
  const held = new Map<string, number>();

  const release = (principal: string) => {
    const left = (held.get(principal) ?? 1) - 1;
    if (left <= 0) held.delete(principal);
    else held.set(principal, left);
  };
  const leave = (id: string, watch: Watch, subscriber: Subscriber) => {
    if (!watch.subscribers.delete(subscriber)) return;
    release(subscriber.principal);
    subscriber.sink.end();
    if (watch.subscribers.size === 0 && watches.get(id) === watch) {
      for (const timer of watch.timers) clearInterval(timer);
      watches.delete(id);
    }
  };
  const endAll = (id: string, watch: Watch) => {
    for (const subscriber of [...watch.subscribers]) leave(id, watch, subscriber);
  };
  /** Hands `update` to every stream that has not seen it; a finished check ends them all. */
  const deliver = (id: string, watch: Watch, update: CheckUpdate) => {
    if (watch.latest === null || update.revision > watch.latest.revision) watch.latest = update;
    for (const subscriber of watch.subscribers) {
      if (update.revision <= subscriber.revision) continue;
      subscriber.revision = update.revision;
      subscriber.sink.send(update.check, update.revision);
    }
    if (update.check.status !== 'SCHEDULED') endAll(id, watch);
  };
  /** One change at a time per check, so events leave in the order the store recorded them. */
  const refresh = (id: string, watch: Watch, update?: CheckUpdate) => {
    watch.queue = watch.queue
      .then(async () => {
        if (watch.subscribers.size === 0) return;
        if (update) return deliver(id, watch, update);
        const revision = await deps.checks.revisionOf(id);
        if (revision === null) return endAll(id, watch);
        if (watch.latest !== null && revision <= watch.latest.revision) return deliver(id, watch, watch.latest);
        const check = await deps.checks.findById(id);
        if (!check) return endAll(id, watch);
        deliver(id, watch, { check, revision });
      })
      .catch((error: unknown) => {
        // A broken read must not stall what is queued behind it: end the streams; EventSource reconnects.
        deps.log.warn({ err: error, checkId: id }, 'connection check events stream failed');
        endAll(id, watch);
      });
    return watch.queue;
  };

  deps.events.on('change', (id, update) => {
    const watch = watches.get(id);
    if (watch) void refresh(id, watch, update);
  });
  // The server is shutting down: whatever the checks' state now, this instance has nothing more to say.
  deps.events.on('stopped', () => {
    for (const [id, watch] of watches) void watch.queue.then(() => endAll(id, watch));
  });

  return {
    /**
     * Follows check `id` for `principal`: the sink gets the check now and at every change until it finishes, or
     * `refused` when the principal or the check holds as many streams as allowed. `leave` ends it early (the
     * client went away).
     */
    open(id: string, principal: string, sink: CheckStreamSink): { refused: 'principal' | 'check' } | { leave: () => void; ready: Promise<void> } {
      const watch = watches.get(id);
      if ((held.get(principal) ?? 0) >= limits.perPrincipal) return { refused: 'principal' };
      if (watch && watch.subscribers.size >= limits.perCheck) return { refused: 'check' };
      held.set(principal, (held.get(principal) ?? 0) + 1);
      const subscriber: Subscriber = { principal, sink, revision: -1 };
      let current = watch;
      if (!current) {
        const created: Watch = { subscribers: new Set(), latest: null, queue: Promise.resolve(), timers: [] };
        created.timers.push(
          setInterval(() => void refresh(id, created), limits.pollMs),
          setInterval(() => {
            for (const each of created.subscribers) each.sink.heartbeat();
          }, limits.heartbeatMs),
        );
        watches.set(id, created);
        current = created;
      }
      const joined = current;
      joined.subscribers.add(subscriber);
      return { leave: () => leave(id, joined, subscriber), ready: refresh(id, joined) };
    },
    /** Streams open now, and checks followed (each read once per poll): for tests and metrics. */
    get counts() {
      return { streams: [...watches.values()].reduce((sum, watch) => sum + watch.subscribers.size, 0), checks: watches.size };
    },
  };
}

export type CheckStreams = ReturnType<typeof createCheckStreams>;
