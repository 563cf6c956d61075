// `npm run bench:instances` (a throwaway PostgreSQL cluster): does a second instance add capacity, or does each
// re-read on the other's writes? Two real server processes (`dist/server/main.js`, as npm start runs them) share one
// database of 10,000 connectors. Instance A serves the first page (`?limit=50`) to 4 clients at a time; instance B
// renames connectors by PUT, one after another, as fast as it answers. Three phases: A reading alone, B writing alone,
// both at once. Measured per list request on A: the rows PostgreSQL read for it (index entries and table rows, from
// pg_stat_user_indexes / pg_stat_user_tables, B's own reads taken out at B's measured rate per write) and A's CPU
// (/proc). Writes docs/benchmarks-instances.md.
//
// Two cores cannot show two instances serving twice as much (the database, both instances and the clients share
// them); what this shows is that neither instance spends anything on the other's writes.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { PROJECT_ROOT } from '../../src/server/paths.ts';
import { openPostgres } from '../../src/server/store/sql.ts';
import { freePort, newEncryptionKey, startServerProcess, type ServerProcess } from '../../src/server/test-support/server-process.ts';
import { freshSchema, tempDataDir } from '../../src/server/test-support/test-app.ts';
import { copyConnector } from './fill.ts';

if (!process.env.TEST_DATABASE_URL) throw new Error('bench:instances needs PostgreSQL: run it as npm run bench:instances');
const CONNECTORS = Number(process.env.BENCH_INSTANCES_CONNECTORS ?? 10_000);
const READS = Number(process.env.BENCH_INSTANCES_READS ?? 1_000);
const WRITES_ALONE = 300;
const READERS = 4;
const PAGE = '/api/v1/destinations?limit=50';
const say = (line: string) => process.stderr.write(`bench:instances: ${line}\n`);

const url = await freshSchema();
const env = { DATABASE_URL: url, LOG_LEVEL: 'warn' };
const key = newEncryptionKey();
const a = await startServerProcess({ dataDir: tempDataDir(), key, port: await freePort(), env });
const b = await startServerProcess({ dataDir: tempDataDir(), key, port: await freePort(), env });
const db = openPostgres(url, { max: 2 });

/** Index entries and table rows PostgreSQL has read in this schema so far (every session's, once flushed). */
async function rowsRead(): Promise<number> {
  // A backend reports its counts when idle, at most once a second, and when that was too soon, 10 s later
  // (PostgreSQL 15+, PGSTAT_IDLE_INTERVAL): wait for that. (At 1.5 s a phase's count came out 10 % short.)
  await new Promise((resolve) => setTimeout(resolve, 11_000));
  const row = await db.get<{ n: string }>(
    `SELECT (SELECT COALESCE(sum(seq_tup_read), 0) FROM pg_stat_user_tables WHERE schemaname = current_schema())
          + (SELECT COALESCE(sum(idx_tup_read), 0) FROM pg_stat_user_indexes WHERE schemaname = current_schema()) AS n`,
  );
  return Number(row?.n ?? 0);
}

/** CPU time (user + system) the process has used so far, in ms (/proc, clock ticks of 10 ms). */
function cpuMs(server: ServerProcess): number {
  const fields =
    fs
      .readFileSync(`/proc/${server.child.pid ?? 0}/stat`, 'utf8')
      .split(') ')[1]
      ?.split(' ') ?? [];
  return (Number(fields[11]) + Number(fields[12])) * 10;
}

async function check(response: Response, what: string) {
  if (!response.ok) throw new Error(`${what} answered ${response.status}: ${await response.text()}`);
  return response;
}

/** READS first pages from A, READERS at a time: their latencies. */
async function readPages(): Promise<number[]> {
  const times: number[] = [];
  let left = READS;
  await Promise.all(
    Array.from({ length: READERS }, async () => {
      while (left-- > 0) {
        const started = performance.now();
        await (await check(await a.api(PAGE), 'the first page')).arrayBuffer();
        times.push(performance.now() - started);
      }
    }),
  );
  return times;
}

let version = 1;
const templateName = 'Instances template';
const made = (await (
  await check(
    await b.api('/api/v1/destinations', {
      method: 'POST',
      body: { name: templateName, type: 's3', config: { remote_url: 's3://my-bucket/exports/', anonymous: true } },
    }),
    'creating the template',
  )
).json()) as { id: string };
await copyConnector(db, made.id, CONNECTORS - 1);
say(`${CONNECTORS} connectors`);

/** Renames on B, one after another, until `until()` says stop (or `count` are done): how many it made. */
async function renames(until: () => boolean): Promise<number> {
  let done = 0;
  while (!until()) {
    await check(
      await b.api(`/api/v1/destinations/${made.id}`, {
        method: 'PUT',
        body: { name: `${templateName} ${version}` },
        headers: { 'if-match': `"${version}"` },
      }),
      'a rename',
    );
    version++;
    done++;
  }
  return done;
}

const percentile = (values: number[], p: number) =>
  [...values].sort((x, y) => x - y)[Math.min(values.length - 1, Math.floor(values.length * p))] ?? NaN;
try {
  await readPages(); // warm-up: plans cached, pages in PostgreSQL's buffers
  await renames(
    (
      (n) => () =>
        n-- <= 0
    )(20),
  );

  let before = await rowsRead();
  let cpu = cpuMs(a);
  const alone = await readPages();
  const aloneRows = (await rowsRead()) - before;
  const aloneCpu = cpuMs(a) - cpu;
  say('A reading alone: done');

  before = await rowsRead();
  const writerCpuBefore = cpuMs(a);
  const writesStarted = performance.now();
  const wrote = await renames(
    (
      (n) => () =>
        n-- <= 0
    )(WRITES_ALONE),
  );
  const idleCpuDuringWrites = cpuMs(a) - writerCpuBefore;
  const writesTook = performance.now() - writesStarted;
  const perWrite = ((await rowsRead()) - before) / wrote;
  // A's CPU over as long again with nothing happening anywhere: what it spends idle (timers, its sweeper).
  const idleStarted = cpuMs(a);
  await new Promise((resolve) => setTimeout(resolve, writesTook));
  const idleCpu = cpuMs(a) - idleStarted;
  say('B writing alone: done');

  before = await rowsRead();
  cpu = cpuMs(a);
  let reading = true;
  const writing = renames(() => !reading);
  const during = await readPages();
  reading = false;
  const wroteDuring = await writing;
  const duringRows = (await rowsRead()) - before - wroteDuring * perWrite;
  const duringCpu = cpuMs(a) - cpu;
  say('both: done');

  const rows = [
    [
      'A alone',
      `${(aloneRows / READS).toFixed(1)}`,
      `${(aloneCpu / READS).toFixed(2)} ms`,
      `${percentile(alone, 0.5).toFixed(1)} / ${percentile(alone, 0.99).toFixed(1)} ms`,
      '0',
    ],
    [
      'A while B writes',
      `${(duringRows / READS).toFixed(1)}`,
      `${(duringCpu / READS).toFixed(2)} ms`,
      `${percentile(during, 0.5).toFixed(1)} / ${percentile(during, 0.99).toFixed(1)} ms`,
      String(wroteDuring),
    ],
  ];
  const table = [
    "| instance A | rows read per list request | A's CPU per list request | p50 / p99 | renames on B meanwhile |",
    '|---|---|---|---|---|',
    ...rows.map((row) => `| ${row.join(' | ')} |`),
  ].join('\n');
  const notes = [
    `B writing alone: ${wrote} renames in ${Math.round(writesTook)} ms, ${perWrite.toFixed(1)} rows read per rename (taken out of "A while B writes"). A, serving nothing meanwhile, used ${idleCpuDuringWrites} ms of CPU; over as long again with no writes, ${idleCpu} ms.`,
    'Of the rows read per list request, 10,001 are the index entries X-Total-Count counts (exact up to 10,000, decision 024); the page itself is 51.',
    `${READS} first pages (\`${PAGE}\`) per phase, ${READERS} at a time; ${CONNECTORS.toLocaleString('en')} connectors; CPU from /proc in 10 ms ticks.`,
  ];
  const machine = `${os.cpus().length} × ${os.cpus()[0]?.model.trim() ?? 'CPU'}, Node ${process.version}`;
  const markdown = `# Two instances on one PostgreSQL (npm run bench:instances)

Does instance A spend anything when instance B writes? Two server processes (\`dist/server/main.js\`) share one
database; A serves the list's first page while B renames connectors by PUT as fast as it answers. The rows
PostgreSQL read come from its statistics views (index entries and table rows of the app's schema; B's own reads taken
out at its rate measured alone). Two cores cannot show a second instance doubling throughput — both instances, the
database and the clients share them — so what is measured is what A spends per request with and without B's writes.

Measured ${new Date().toISOString().slice(0, 10)} (${machine}).

${table}

${notes.map((note) => `- ${note}`).join('\n')}
`;
  process.stdout.write(`\n${table}\n\n${notes.join('\n')}\n`);
  fs.writeFileSync(path.join(PROJECT_ROOT, 'docs', 'benchmarks-instances.md'), markdown);
  process.stdout.write('\nWrote docs/benchmarks-instances.md.\n');
} finally {
  for (const server of [a, b]) server.child.kill('SIGTERM');
  await Promise.all([a.exited, b.exited]);
  await db.close();
}
