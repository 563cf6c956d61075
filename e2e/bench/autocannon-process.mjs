// autocannon in a process of its own (npm run bench): reads its options as JSON from argv, prints its result as JSON.
import autocannon from 'autocannon';

const options = JSON.parse(process.argv[2]);
const result = await autocannon(options);
process.stdout.write(JSON.stringify({
  requestsPerSecond: result.requests.average,
  p99: result.latency.p99,
  errors: result.errors + result.timeouts,
  non2xx: result.non2xx,
  requests: result.requests.total,
}));
