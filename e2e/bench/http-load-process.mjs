// The bench's load generator, in a process of its own: `connections` keep-alive connections, each sending GET `url`
// again as soon as the last answer has been read, for `duration` seconds. Reads its options as JSON from argv, prints
// the result as JSON: requests/s, latency percentiles (request sent → last byte read), and what the loader itself
// spent — its CPU and its own event-loop delay — so a figure can show it measured the server, not its own backlog.
//
// Node's HTTP client (llhttp, native) rather than autocannon: autocannon parses answers in JavaScript
// (http-parser-js) and, on the list's 700 KB answers, used 5.1 s of CPU in a 5 s run against a bare route — a whole
// core, saturated before the server was. When the checks of a burst took part of the two cores, its own backlog
// showed up as the list's p99 (a max of 4 s where this loader, beside it, saw 0.3 s).
import http from 'node:http';
import { monitorEventLoopDelay } from 'node:perf_hooks';

const { url, connections, duration, headers = {} } = JSON.parse(process.argv[2]);
const agent = new http.Agent({ keepAlive: true, maxSockets: connections });
const latencies = [];
let errors = 0;
let non2xx = 0;

const get = () =>
  new Promise((resolve) => {
    const sent = performance.now();
    const request = http.get(url, { agent, headers }, (response) => {
      response.resume();
      response.on('end', () => {
        latencies.push(performance.now() - sent);
        if (response.statusCode < 200 || response.statusCode > 299) non2xx += 1;
        resolve();
      });
      response.on('error', () => {
        errors += 1;
        resolve();
      });
    });
    request.on('error', () => {
      errors += 1;
      resolve();
    });
  });

const delay = monitorEventLoopDelay({ resolution: 10 });
delay.enable();
const cpuBefore = process.cpuUsage();
const started = performance.now();
const ends = started + duration * 1000;
await Promise.all(
  Array.from({ length: connections }, async () => {
    while (performance.now() < ends) await get();
  }),
);
const wall = performance.now() - started;
const cpu = process.cpuUsage(cpuBefore);
delay.disable();
agent.destroy();

latencies.sort((a, b) => a - b);
const percentile = (p) => latencies[Math.min(latencies.length - 1, Math.floor(latencies.length * p))] ?? 0;
process.stdout.write(
  JSON.stringify({
    requestsPerSecond: latencies.length / (wall / 1000),
    p50: percentile(0.5),
    p99: percentile(0.99),
    max: latencies.at(-1) ?? 0,
    errors,
    non2xx,
    requests: latencies.length,
    // Of one core, over the run.
    loaderCpu: (cpu.user + cpu.system) / 1000 / wall,
    loaderDelayP99: delay.percentile(99) / 1e6,
  }),
);
