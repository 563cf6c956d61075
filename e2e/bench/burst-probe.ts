// `npm run bench:burst`: a diagnostic for the bench's "list p99 during a burst of 200 checks" figure (decision 016
// says what made it fail for a while: the burst's connections queued for Node's one accept per turn). Seeds 1,000
// destinations, then per run: the list's p99 idle and during a burst of 200 checks (the bench's own functions), the
// event-loop delay, how often and how long the list read the store, and the server's own time per list request
// (Node's `request` event to `finish`) in half-second buckets, and the CPU time of the app and of the local S3 endpoint
// (Linux: /proc). `RUNS` bursts (2), after `WARM` warm-up checks (0).
import fs from 'node:fs';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { startBurstApp, startLocalS3Process } from './bench-servers.ts';
import { createDestination, timeCheck, writerConfig } from './check-time.ts';
import { ms } from './figures.ts';
import { measureListDuringChecks } from './load.ts';

const BURST = 200;
const say = (line: string) => process.stdout.write(`${line}\n`);
const s3 = await startLocalS3Process(20);
const s3Port = s3.port;
process.env.AWS_ENDPOINT_URL_S3 = `http://127.0.0.1:${s3Port}`;
process.env.AWS_ENDPOINT_URL_STS = `http://127.0.0.1:${s3Port}`;

const { t, origin } = await startBurstApp(s3Port);
const served: { at: number; ms: number }[] = [];
t.app.server.prependListener('request', (request, response) => {
  const started = performance.now();
  if (request.method === 'GET' && request.url?.startsWith('/api/v1/destinations')) {
    response.once('finish', () => served.push({ at: started, ms: performance.now() - started }));
  }
});

const ids: string[] = [];
for (let n = 0; n < 1_000; n++) ids.push(await createDestination(t, writerConfig(`bench/${n}/`), `Seeded ${n}`));

/** CPU time (user + system) a process spent so far, in ms: the local S3 endpoint's from /proc, this one's from Node. */
const s3Cpu = () => {
  const fields = fs.readFileSync(`/proc/${s3.pid}/stat`, 'utf8').split(') ')[1]?.split(' ') ?? [];
  return (Number(fields[11]) + Number(fields[12])) * (1000 / 100);
};
const appCpu = () => {
  const { user, system } = process.cpuUsage();
  return (user + system) / 1000;
};

const reads = { count: 0, ms: 0 };
// The list's reads of the store: a page (or the whole list's pages) and, for the whole list, the revisions first.
for (const method of ['listPage', 'listRevisions'] as const) {
  const read = t.store.destinations[method].bind(t.store.destinations) as (...args: unknown[]) => Promise<unknown>;
  (t.store.destinations as unknown as Record<string, unknown>)[method] = async (...args: unknown[]) => {
    const started = performance.now();
    try {
      return await read(...args);
    } finally {
      reads.count += 1;
      reads.ms += performance.now() - started;
    }
  };
}

const warm = Number(process.env.WARM ?? 0);
if (warm > 0) await Promise.all(ids.slice(-warm).map((id) => timeCheck(t, id)));

for (let run = 0; run < Number(process.env.RUNS ?? 2); run++) {
  reads.count = 0;
  reads.ms = 0;
  served.length = 0;
  const delay = monitorEventLoopDelay({ resolution: 5 });
  delay.enable();
  const started = performance.now();
  const cpu = { s3: s3Cpu(), app: appCpu() };
  const figure = await measureListDuringChecks(t, origin, ids.slice(run * BURST, (run + 1) * BURST), 1, 5);
  delay.disable();
  say(`burst ${run + 1}: ${figure.value} (${figure.detail})`);
  // Where the two cores went (the loader and the process starting the checks are not counted): the stand-in for S3
  // is not the product, and a share of it is CPU the list's answers did not get.
  say(
    `  CPU over the idle and burst runs: app ${ms(appCpu() - cpu.app)}, local S3 endpoint ${ms(s3Cpu() - cpu.s3)} (${ms(performance.now() - started)} of wall time)`,
  );
  say(
    `  event-loop delay p99 ${ms(delay.percentile(99) / 1e6)}, max ${ms(delay.max / 1e6)}; the list read the store ${reads.count} times, ${ms(reads.ms)} in all`,
  );
  const buckets = new Map<number, number[]>();
  for (const request of served) {
    const bucket = Math.floor((request.at - started) / 500);
    buckets.set(bucket, [...(buckets.get(bucket) ?? []), request.ms]);
  }
  for (const [bucket, times] of [...buckets.entries()].sort((a, b) => a[0] - b[0])) {
    times.sort((a, b) => a - b);
    say(`  ${(bucket / 2).toFixed(1)} s: ${times.length} served, p50 ${ms(times[Math.floor(times.length / 2)] ?? 0)}, max ${ms(times.at(-1) ?? 0)}`);
  }
}
await t.close();
await s3.close();
process.exit(0);
