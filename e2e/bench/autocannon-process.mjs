// autocannon in a process of its own (npm run bench): reads its options as JSON from argv, prints its result as JSON,
// with what the loader itself spent — its CPU (share of one core) and its own event-loop delay — so a figure can show
// it measured the server, not its own backlog (autocannon parses answers in JavaScript: on the list's 700 KB answers
// it takes most of a core).
import autocannon from 'autocannon';
import { monitorEventLoopDelay } from 'node:perf_hooks';

const options = JSON.parse(process.argv[2]);
const delay = monitorEventLoopDelay({ resolution: 10 });
delay.enable();
const cpuBefore = process.cpuUsage();
const started = performance.now();
const result = await autocannon(options);
const cpu = process.cpuUsage(cpuBefore);
const wall = performance.now() - started;
delay.disable();
process.stdout.write(
  JSON.stringify({
    requestsPerSecond: result.requests.average,
    p99: result.latency.p99,
    errors: result.errors + result.timeouts,
    non2xx: result.non2xx,
    requests: result.requests.total,
    loaderCpu: (cpu.user + cpu.system) / 1000 / wall,
    loaderDelayP99: delay.percentile(99) / 1e6,
  }),
);
