// `npm run bench:bursts` (SQLite) and `npm run bench:bursts:postgres` (a throwaway cluster): the list's p99 while
// 200 checks are started at once, against its p99 idle just before, at 1,000 and 10,000 connectors, with the starts
// sent the two ways clients send them — each on a new connection opened with its request (a script calling fetch in a
// loop), and on connections opened beforehand. The list is the page the screen asks for (`?limit=50`) under 50
// connections from autocannon in a process of its own; the checks run against the local S3 endpoint (20 ms a
// request, a process of its own) and must all pass. Writes its section of docs/benchmarks-bursts.md.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { PROJECT_ROOT } from '../../src/server/paths.ts';
import { ON_POSTGRES } from '../../src/server/test-support/test-app.ts';
import { normalizeS3Config } from '#shared/s3-config';
import { startBurstApp, startLocalS3Process } from './bench-servers.ts';
import { writerConfig } from './check-time.ts';
import { fillLike } from './fill.ts';
import type { Figure } from './figures.ts';
import { measureListDuringChecks } from './load.ts';

const SIZES = (process.env.BENCH_BURST_SIZES ?? '1000,10000').split(',').map(Number);
const SECONDS = Number(process.env.BENCH_LOAD_SECONDS ?? 5);
const BURST = 200;
/** `BENCH_BURST_WAYS=new` or `open` measures one way only (both by default). */
const WAYS = [true, false].filter((perRequest) => (process.env.BENCH_BURST_WAYS ?? 'new,open').split(',').includes(perRequest ? 'new' : 'open'));
const BURSTS = 3;
const PAGE = '/api/v1/destinations?limit=50';
const say = (line: string) => process.stderr.write(`bench:bursts: ${line}\n`);

const s3 = await startLocalS3Process(20);
const s3Port = s3.port;
process.env.AWS_ENDPOINT_URL_S3 = `http://127.0.0.1:${s3Port}`;
process.env.AWS_ENDPOINT_URL_STS = `http://127.0.0.1:${s3Port}`;

const figures: Figure[] = [];
try {
  for (const size of SIZES) {
    const { t, origin } = await startBurstApp(s3Port);
    try {
      // The connectors the bursts check are made one by one (their secrets sealed for their own ids); the rest are
      // copies that only list.
      await fillLike(t, size - BURST * BURSTS, { name: 'Listed template', type: 's3', config: writerConfig('bench/listed/') });
      const ids: string[] = [];
      for (let n = 0; n < BURST * BURSTS; n++) {
        ids.push((await t.store.destinations.create({ name: `Burst ${n}`, config: normalizeS3Config(writerConfig(`bench/burst-${n}/`)) })).id);
      }
      for (const perRequest of WAYS) {
        const way = perRequest ? 'each on a new connection' : 'on connections opened before';
        say(`${size} connectors, starts ${way}…`);
        figures.push(
          await measureListDuringChecks(t, origin, ids, BURSTS, SECONDS, {
            path: PAGE,
            perRequest,
            label: `First page p99 during ${BURST} check starts ${way} vs idle, ${size.toLocaleString('en')} connectors`,
          }),
        );
      }
    } finally {
      await t.close();
    }
  }
} finally {
  await s3.close();
}

const database = ON_POSTGRES ? 'PostgreSQL' : 'SQLite';
const machine = `${os.cpus().length} × ${os.cpus()[0]?.model.trim() ?? 'CPU'}, Node ${process.version}`;
const table = [
  '| Figure | Value | Budget | |',
  '|---|---|---|---|',
  ...figures.map((f) => `| ${f.name} | ${f.value} | ${f.budget} | ${f.pass ? 'pass' : '**FAIL**'} |`),
].join('\n');
const details = figures.map((f) => `- **${f.name}**: ${f.detail}.`).join('\n');
process.stdout.write(`\n${database}\n${table}\n\n${details}\n`);
const file = path.join(PROJECT_ROOT, 'docs', 'benchmarks-bursts.md');
const intro = `# The list during bursts of check starts (npm run bench:bursts)

The list's first page (\`${PAGE}\`, 50 connections from autocannon in a process of its own) while ${BURST} checks are
started at once, against its p99 idle measured the same way just before: ${BURSTS} bursts over fresh connectors, the
median ratio. The starts come from a process of their own, sent two ways: each on a new connection opened with its
request and closed after it (a script calling fetch in a loop — most clients), and on kept-alive connections opened
before the burst. The checks run against the local S3 endpoint (20 ms a request) and must all pass.
\`npm run bench:bursts\` measures SQLite, \`npm run bench:bursts:postgres\` a throwaway PostgreSQL cluster.
`;
const previous = fs.existsSync(file) ? fs.readFileSync(file, 'utf8') : intro;
const kept = previous.split(/^## /m).filter((section, i) => i > 0 && !section.startsWith(database));
const section = `## ${database}\n\nMeasured ${new Date().toISOString().slice(0, 10)} (${machine}).\n\n${table}\n\n${details}\n`;
fs.writeFileSync(file, `${[intro, ...kept.map((s) => `## ${s}`), section].map((part) => part.trim()).join('\n\n')}\n`);
process.stdout.write(`\nWrote ${path.relative(PROJECT_ROOT, file)} (${database}).\n`);
process.exitCode = figures.every((f) => f.pass) ? 0 : 1;
