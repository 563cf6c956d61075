// `npm run bench:scale`: how the list's cost grows with the table (issue 25's table), at 10 / 1,000 / 10,000 / 100,000
// connectors, on SQLite — and on PostgreSQL when TEST_DATABASE_URL names one (`npm run bench:scale:postgres` starts a
// throwaway cluster). The server's process runs with the V8 flags `npm start` gives it (runtime-flags.ts). Each size is filled by one process and measured by a fresh one that opens the filled store, as a
// server restarted on a table of that size would (so the fill's own memory is not the server's). The app runs in the
// measuring process (its RSS is this process's); requests go over loopback HTTP, one at a time, as a person's browser
// sends them; the unpaged list is read by a client process of its own, so the bytes it receives are not counted as the
// server's memory. Figures are medians unless they say p99; ratios are to 10 connectors, measured in the same run.
// Writes docs/benchmarks-scale.md.
import { spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { monitorEventLoopDelay, performance } from 'node:perf_hooks';
import { PROJECT_ROOT } from '../../src/server/paths.ts';
import { SERVER_NODE_FLAGS } from '../../src/server/runtime-flags.ts';
import { freePort } from '../../src/server/test-support/server-process.ts';
import { fillLike } from './fill.ts';
import { buildTestApp, destinationBody, freshSchema, ON_POSTGRES, tempDataDir, type TestApp } from '../../src/server/test-support/test-app.ts';

const SIZES = (process.env.BENCH_SCALE_SIZES ?? '10,1000,10000,100000').split(',').map(Number);
const WRITE_LOAD_SECONDS = Number(process.env.BENCH_SCALE_LOAD_SECONDS ?? 5);
const NEEDLE = 'needle-connector-zq7';
const ACTIVITY_ROWS = 100_000;

const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)] ?? NaN;
const p99 = (values: number[]) => [...values].sort((a, b) => a - b)[Math.min(values.length - 1, Math.floor(values.length * 0.99))] ?? NaN;
const say = (line: string) => process.stderr.write(`bench:scale: ${line}\n`);
/** `work`'s figure `n` times, one after another. */
async function times(n: number, work: () => Promise<number>): Promise<number[]> {
  const figures: number[] = [];
  for (let i = 0; i < n; i++) figures.push(await work());
  return figures;
}

async function fillActivity(t: TestApp, n: number) {
  const pg = t.store.db.dialect === 'postgres';
  const series = pg ? 'generate_series(1, $1) AS s(g)' : 'seq';
  const prefix = pg ? '' : 'WITH RECURSIVE seq(g) AS (SELECT 1 UNION ALL SELECT g + 1 FROM seq WHERE g < $1) ';
  const kind = "CASE WHEN g % 10 = 0 THEN 'session.signed_in' WHEN g % 10 = 1 THEN 'session.sign_in_failed' ELSE 'destination.updated' END";
  const group = "CASE WHEN g % 10 < 2 THEN 'sign_ins' ELSE 'connectors' END";
  await t.store.db.run(
    `${prefix}INSERT INTO activity_log (destination_id, kind, kind_group, outcome, at) SELECT NULL, ${kind}, ${group}, 'ok', '2026-06-01T00:00:00.000Z' FROM ${series}`,
    [n],
  );
}

type Row = Record<string, string>;

/** Where a filled store lives, handed from the filling process to the measuring one. */
type FilledStore = { dataDir: string; databaseUrl: string | null; key: string };

/** Fills a new store with `size` connectors (`size - 1` rows copied from one made through the API) and leaves it. */
async function fillStore(size: number): Promise<FilledStore> {
  const store = { dataDir: tempDataDir(), databaseUrl: ON_POSTGRES ? await freshSchema() : null };
  const t = await buildTestApp({ ...store, checkRatePerMin: 100_000 });
  const filled = performance.now();
  await fillLike(t, size, destinationBody({}, NEEDLE));
  if (size === SIZES.at(-1)) await fillActivity(t, ACTIVITY_ROWS);
  say(`${size}: filled in ${Math.round(performance.now() - filled)} ms`);
  await t.close({ keepData: true });
  return { ...store, key: t.key.toString('hex') };
}

/** The unpaged list read by a client process of its own, counting the bytes as they come: its time and size. */
function readInAnotherProcess(url: string, headers: Record<string, string>): Promise<{ ms: number; bytes: number }> {
  // One request first, so the time is the list's, not the client's first fetch (undici loads on first use: ~50 ms).
  const client = `
    await (await fetch(new URL('/api/health/live', process.argv[1]))).arrayBuffer();
    const started = performance.now();
    const response = await fetch(process.argv[1], { headers: JSON.parse(process.argv[2]) });
    if (!response.ok) throw new Error(\`the unpaged list answered \${response.status}\`);
    let bytes = 0;
    for await (const chunk of response.body) bytes += chunk.byteLength;
    process.stdout.write(JSON.stringify({ ms: performance.now() - started, bytes }));`;
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--input-type=module', '-e', client, url, JSON.stringify(headers)], {
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    let out = '';
    child.stdout.on('data', (data: Buffer) => (out += data.toString()));
    child.on('error', reject);
    child.on('exit', (code) =>
      code === 0 ? resolve(JSON.parse(out) as { ms: number; bytes: number }) : reject(new Error(`the list's client exited ${code}`)),
    );
  });
}

async function measure(size: number, filled: FilledStore): Promise<Row> {
  const port = await freePort();
  const origin = `http://127.0.0.1:${port}`;
  const t = await buildTestApp(
    { publicOrigin: origin, checkRatePerMin: 100_000, dataDir: filled.dataDir, databaseUrl: filled.databaseUrl },
    { key: Buffer.from(filled.key, 'hex') },
  );
  await t.app.listen({ port, host: '127.0.0.1' });
  try {
    const template = (await t.store.destinations.findByName(NEEDLE))?.id;
    if (!template) throw new Error('the filled store has no template connector');
    const headers = { cookie: t.cookie, origin, 'x-requested-with': 'XMLHttpRequest' };
    const get = async (url: string) => {
      const started = performance.now();
      const response = await fetch(`${origin}${url}`, { headers });
      if (!response.ok) throw new Error(`${url} answered ${response.status}`);
      // Read as a client reads a stream, counting, never holding the whole body (this process's RSS is the server's).
      let bytes = 0;
      for await (const chunk of response.body as unknown as AsyncIterable<Uint8Array>) bytes += chunk.byteLength;
      return { ms: performance.now() - started, bytes };
    };
    let version = 1;
    const rename = async () => {
      const response = await fetch(`${origin}/api/v1/destinations/${template}`, {
        method: 'PUT',
        headers: { ...headers, 'content-type': 'application/json', 'if-match': `"${version}"` },
        body: JSON.stringify({ name: `${NEEDLE} ${version}` }),
      });
      if (response.status !== 200) throw new Error(`the rename answered ${response.status}`);
      version++;
    };
    const page = '/api/v1/destinations?limit=50';
    for (let i = 0; i < 2; i++) await get(page);
    const idle = median(await times(5, async () => (await get(page)).ms));
    global.gc?.();
    const rssFirstPage = process.memoryUsage().rss;
    const afterWrite: number[] = [];
    for (let i = 0; i < 3; i++) {
      await rename();
      afterWrite.push((await get(page)).ms);
    }
    // Two renames a second while people read the first page, ten reads a second (a read waits for the one before).
    const loop = monitorEventLoopDelay({ resolution: 10 });
    loop.enable();
    const underWrites: number[] = [];
    const until = performance.now() + WRITE_LOAD_SECONDS * 1000;
    const writer = setInterval(() => void rename().catch(() => undefined), 500);
    while (performance.now() < until) {
      const started = performance.now();
      underWrites.push((await get(page)).ms);
      await new Promise((resolve) => setTimeout(resolve, Math.max(0, 100 - (performance.now() - started))));
    }
    clearInterval(writer);
    loop.disable();
    const search = median(await times(3, async () => (await get(`/api/v1/destinations?limit=50&q=${NEEDLE}`)).ms));
    // Every connector's name holds "connector": the page is the first 50 of them all.
    const broad = median(await times(3, async () => (await get('/api/v1/destinations?limit=50&q=connector')).ms));
    const whole = await readInAnotherProcess(`${origin}/api/v1/destinations`, headers);
    global.gc?.();
    const rss = process.memoryUsage().rss;
    const row: Row = {
      connectors: size.toLocaleString('en'),
      'first page idle': `${idle.toFixed(1)} ms`,
      'right after a write': `${median(afterWrite).toFixed(1)} ms`,
      'p99 under 2 writes/s': `${p99(underWrites).toFixed(1)} ms`,
      'loop delay p99': `${(loop.percentile(99) / 1e6).toFixed(0)} ms`,
      'q, one match': `${search.toFixed(1)} ms`,
      'q, every row matches': `${broad.toFixed(1)} ms`,
      'unpaged list': `${whole.ms.toFixed(0)} ms, ${(whole.bytes / 1e6).toFixed(2)} MB`,
      'RSS after the first page': `${(rssFirstPage / 1e6).toFixed(0)} MB`,
      'RSS after the unpaged list': `${(rss / 1e6).toFixed(0)} MB`,
    };
    if (size === SIZES.at(-1)) {
      const group = median(await times(3, async () => (await get('/api/v1/activity?group=sign_ins&limit=50')).ms));
      row['activity filter (100k rows)'] = `${group.toFixed(1)} ms`;
    }
    return row;
  } finally {
    await t.close();
  }
}

// Each size in a process of its own: its RSS is that size's alone.
const [step, sizeArgument, storeArgument] = process.argv.slice(2);
if (step === '--fill') {
  process.stdout.write(`${JSON.stringify(await fillStore(Number(sizeArgument)))}\n`);
  process.exit(0);
}
if (step === '--one') {
  process.stdout.write(`${JSON.stringify(await measure(Number(sizeArgument), JSON.parse(storeArgument ?? '{}') as FilledStore))}\n`);
  process.exit(0);
}
/** One step in a process of its own: the last line it prints. */
function inChild(args: string[]): string {
  const child = spawnSync(process.execPath, [...SERVER_NODE_FLAGS, '--expose-gc', '--import', 'tsx', 'e2e/bench/scale.ts', ...args], {
    cwd: PROJECT_ROOT,
    env: process.env,
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  if (child.status !== 0) throw new Error(`bench:scale ${args.slice(0, 2).join(' ')} failed (exit ${child.status})`);
  return child.stdout.trim().split('\n').at(-1) ?? '';
}
const rows: Row[] = [];
for (const size of SIZES) {
  const filled = inChild(['--fill', String(size)]);
  // The measuring process removes the store when it closes.
  rows.push(JSON.parse(inChild(['--one', String(size), filled])) as Row);
}
const columns = [...new Set(rows.flatMap((row) => Object.keys(row)))];
const table = [
  `| ${columns.join(' | ')} |`,
  `|${columns.map(() => '---').join('|')}|`,
  ...rows.map((row) => `| ${columns.map((column) => row[column] ?? '').join(' | ')} |`),
].join('\n');
const database = ON_POSTGRES ? 'PostgreSQL' : 'SQLite';
process.stdout.write(`\n${database}\n${table}\n`);
const file = path.join(PROJECT_ROOT, 'docs', 'benchmarks-scale.md');
const heading = `## ${database}`;
const previous = fs.existsSync(file) ? fs.readFileSync(file, 'utf8') : '# The list at scale (npm run bench:scale)\n';
const sections = previous.split(/^## /m);
const kept = sections.filter((section, i) => i === 0 || !section.startsWith(database));
const section = `${heading}\n\nMeasured ${new Date().toISOString().slice(0, 10)}, Node ${process.versions.node}, ${SIZES.join(' / ')} connectors.\n\n${table}\n`;
fs.writeFileSync(file, `${[kept[0], ...kept.slice(1).map((s) => `## ${s}`), section].map((part) => part?.trim()).join('\n\n')}\n`);
process.stdout.write(`Wrote ${path.relative(PROJECT_ROOT, file)} (${database}).\n`);
