// `npm run bench`: the performance figures of docs/benchmarks.md, each beside its budget and a baseline measured in
// the same run. Everything is local: the app in this process, the local S3 endpoint with 20 ms added per request (and
// a second one with none, for the check's own overhead), a silent endpoint, and Debian's Chromium.
import { chromium } from '@playwright/test';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { CLIENT_DIR, PROJECT_ROOT } from '../../src/server/paths.ts';
import { freePort } from '../../src/server/test-support/server-process.ts';
import { buildTestApp } from '../../src/server/test-support/test-app.ts';
import { normalizeS3Config } from '#shared/s3-config';
import { launchOptions } from '../../playwright.config.ts';
import { startLocalS3Process } from './bench-servers.ts';
import { listRenderFigure, listRenderTime, measureResultLatency, preparePage, reorderTime } from './browser.ts';
import { measureBundle } from './bundle.ts';
import { createDestination, measureCheckTimes, writerConfig } from './check-time.ts';
import type { Figure } from './figures.ts';
import { measureListDuringChecks, measureListLoad, measureListPageLoad, measurePageDuringSignIns } from './load.ts';

const LOAD_SECONDS = Number(process.env.BENCH_LOAD_SECONDS ?? 5);
const BURST = 200;
const BURSTS = 3;
const MANY = 1_000;
const FEW = 10;
const HUGE = 10_000;
/** A connector in every list measured, found by name. */
const NEEDLE = 'Needle connector';

if (!fs.existsSync(path.join(CLIENT_DIR, 'index.html'))) throw new Error('Build the browser app first: npm run build');

const s3 = await startLocalS3Process(20);
const s3Fast = await startLocalS3Process(0);
process.env.AWS_ENDPOINT_URL_S3 = s3.endpoint;
process.env.AWS_ENDPOINT_URL_STS = s3.endpoint;
const sockets: net.Socket[] = [];
const silent = net.createServer((socket) => sockets.push(socket)).listen(0, '127.0.0.1');
await new Promise((resolve) => silent.once('listening', resolve));
const silentPort = (silent.address() as net.AddressInfo).port;

const port = await freePort();
const origin = `http://127.0.0.1:${port}`;
const t = await buildTestApp(
  {
    publicOrigin: origin,
    checkTimeoutMs: 3_000,
    checkConcurrency: 8,
    checkRatePerMin: 100_000,
    s3EndpointAllowlist: [`127.0.0.1:${s3.port}`, `127.0.0.1:${s3Fast.port}`, `127.0.0.1:${silentPort}`],
    // The sign-in burst comes from many addresses, named by X-Forwarded-For as a proxy in front would.
    trustProxy: 1,
  },
  { clientDir: CLIENT_DIR },
);
await t.app.listen({ port, host: '127.0.0.1' });
const browser = await chromium.launch(launchOptions);
const context = await browser.newContext();
await context.addCookies([{ name: 'session', value: t.cookie.slice('session='.length), url: origin }]);
const page = await context.newPage();
await preparePage(page);

const figures: Figure[] = [];
const step = (label: string) => process.stderr.write(`bench: ${label}…\n`);
let chunks: string[] = [];
try {
  step('bundle');
  const bundle = await measureBundle(page, origin);
  figures.push(...bundle.figures);
  chunks = bundle.chunks;

  step('check wall time and a silent endpoint');
  const endpoints = [
    { endpoint: s3Fast.endpoint, latencyMs: 0, budget: 1.0 },
    { endpoint: s3.endpoint, latencyMs: 20, budget: 0.8 },
  ];
  figures.push(...(await measureCheckTimes(t, endpoints, `http://127.0.0.1:${silentPort}`)));

  step('result latency');
  const watched = await createDestination(t, writerConfig(), 'Result latency');
  figures.push(await measureResultLatency(t, page, origin, watched));

  step(`list page with ${FEW} and ${MANY} destinations`);
  const existing = async () => (await t.store.destinations.list()).length;
  const seed = async (upTo: number) => {
    const ids: string[] = [];
    for (let n = await existing(); n < upTo; n++) ids.push(await createDestination(t, writerConfig(`bench/${n}/`), `Seeded ${n}`));
    return ids;
  };
  await createDestination(t, writerConfig('bench/needle/'), NEEDLE);
  await seed(FEW);
  const filtered = `/destinations?q=${encodeURIComponent(NEEDLE.toLowerCase())}`;
  // The first row by name: what a reorder must bring to the top.
  const firstByName = async () =>
    ((await t.request({ method: 'GET', url: '/api/v1/destinations?sort=name&limit=1' })).json() as { name: string }[])[0]?.name ?? '';
  const few = { list: await listRenderTime(page, origin), filtered: await listRenderTime(page, origin, 7, filtered) };
  const seeded = await seed(MANY);
  const many = await listRenderTime(page, origin);
  // Reordering is compared between full pages (50 rows each): with 10 connectors it would render a fifth of the rows.
  const manyReorder = await reorderTime(page, origin, await firstByName());
  figures.push(listRenderFigure(few.list, many, [FEW, MANY]));

  step(`list under load (${LOAD_SECONDS} s runs)`);
  const listLoad = await measureListLoad(t, origin, LOAD_SECONDS);
  figures.push(...listLoad.figures);

  step(`list during ${BURSTS} bursts of ${BURST} checks`);
  figures.push(await measureListDuringChecks(t, origin, seeded.slice(0, BURST * BURSTS), BURSTS, LOAD_SECONDS));

  step('the page during a burst of wrong sign-ins');
  figures.push(await measurePageDuringSignIns(origin, LOAD_SECONDS));

  step(`list with ${HUGE} destinations`);
  // Straight into the store: the API's create would take minutes for ten thousand.
  const stored = await existing();
  for (let n = stored; n < HUGE; n++) {
    await t.store.destinations.create({ name: `Seeded ${n}`, config: { ...normalizeS3Config(writerConfig(`bench/${n}/`)) } });
  }
  const huge = {
    list: await listRenderTime(page, origin),
    filtered: await listRenderTime(page, origin, 7, filtered),
    reorder: await reorderTime(page, origin, await firstByName()),
  };
  figures.push(listRenderFigure(few.list, huge.list, [FEW, HUGE], 1.5, 'List page in Chromium, time to first row'));
  figures.push({
    ...listRenderFigure(few.filtered, huge.filtered, [FEW, HUGE], 1.5, `Filtered list in Chromium (?q=${NEEDLE.toLowerCase()})`),
    detail: 'navigation start to the one matching row, median of 7 loads each',
  });
  figures.push({
    ...listRenderFigure(manyReorder, huge.reorder, [MANY, HUGE], 1.5, 'Reordered list in Chromium (Sort by: Name)'),
    detail: 'from choosing the order on a loaded list to its new first row, median of 7 each; both a full page of 50 rows',
  });
  figures.push(
    await measureListPageLoad(
      t,
      origin,
      '/api/v1/destinations?destination_type=s3&limit=50',
      `List API, a page of 50 of ${HUGE.toLocaleString('en')}`,
      LOAD_SECONDS,
    ),
  );
  figures.push(
    await measureListPageLoad(
      t,
      origin,
      `/api/v1/destinations?destination_type=s3&limit=50&sort=name&q=${encodeURIComponent('seeded 12')}`,
      `List API, searched and sorted, of ${HUGE.toLocaleString('en')}`,
      LOAD_SECONDS,
    ),
  );
} finally {
  await browser.close();
  await t.close();
  await s3.close();
  await s3Fast.close();
  for (const socket of sockets) socket.destroy();
  silent.close();
}

const header = ['Figure', 'Value', 'Budget', ''];
const rows = figures.map((f) => [f.name, f.value, f.budget, f.pass ? 'pass' : 'FAIL']);
const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
const line = (cells: string[]) => cells.map((cell, i) => cell.padEnd(widths[i]!)).join('  ');
process.stdout.write(`\n${line(header)}\n${widths.map((w) => '-'.repeat(w)).join('  ')}\n${rows.map(line).join('\n')}\n\n`);
for (const f of figures) process.stdout.write(`  ${f.name}: ${f.detail}\n`);

const machine = `${os.cpus().length} × ${os.cpus()[0]?.model.trim() ?? 'CPU'}, ${Math.round(os.totalmem() / 2 ** 30)} GB, Node ${process.version}, ${os.platform()} ${os.release()}`;
const markdown = `# Benchmarks

Measured by \`npm run bench\` on ${new Date().toISOString().slice(0, 10)} (${machine}).
Timing figures are ratios against a baseline measured in the same run, so a slower or busier machine moves both.

## Reproduce

\`\`\`sh
npm ci
npm run bench            # builds the browser app, then prints this table and rewrites this file
BENCH_LOAD_SECONDS=10 npm run bench   # longer load runs
\`\`\`

Chromium: Debian's \`/usr/bin/chromium\` (or \`CHROMIUM_PATH\`), as for the browser tests. The app runs in the bench's
process on a fresh data directory; S3 is the local endpoint (s3rver behind the SigV4 gateway, in a process of its own) with
20 ms added to every request (and a second one with none, for the check at zero latency); load comes from autocannon in a process of its own, which reports its own CPU and event-loop delay; a "silent endpoint" is a TCP listener that accepts and never answers.

## Figures

| Figure | Value | Budget | |
|---|---|---|---|
${figures.map((f) => `| ${f.name} | ${f.value} | ${f.budget} | ${f.pass ? 'pass' : '**FAIL**'} |`).join('\n')}

## How each was measured

${figures.map((f) => `- **${f.name}**: ${f.detail}.`).join('\n')}

## Chunks loaded on demand (gzip)

${chunks.map((chunk) => `- ${chunk}`).join('\n')}
`;
fs.writeFileSync(path.join(PROJECT_ROOT, 'docs', 'benchmarks.md'), markdown);
process.stdout.write(`\nWrote docs/benchmarks.md (${figures.filter((f) => f.pass).length} of ${figures.length} within budget).\n`);
process.exitCode = figures.every((f) => f.pass) ? 0 : 1;
