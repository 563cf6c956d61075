// Starts connection checks over HTTP from a process of its own (npm run bench), all at once, as that many clients
// would: reads {origin, headers, ids, perRequest} as JSON from argv, prints "ready", waits for a line on stdin, then
// sends the POSTs and prints the started checks' ids as JSON. Two ways, as clients send them:
// - pre-opened (the default): one kept-alive connection per check, opened (and used once) before "ready";
// - perRequest: a new connection for each POST, opened with it and closed after it (`Connection: close`), as a script
//   that calls fetch or requests.post in a loop does — the way most clients start checks.
//
// The connections are opened before the burst because Node accepts one new connection per turn of its event loop
// (libuv 1.45+, "unix: don't accept() connections in a loop"; decision 016). Opened with the burst, beside the
// loader's 50 (as the bench did), the 250 queued for accept together and the loader's last-accepted connections carried
// their first request for up to 4 s — the list's p99. Opened under the load instead, they were accepted over six
// seconds (a turn takes ~80 ms there) and the checks ran after the measured window.
import http from 'node:http';
import readline from 'node:readline';

const { origin, headers, ids, perRequest = false } = JSON.parse(process.argv[2]);
// `false`: Node's http opens a connection for the request alone and closes it after (no pool).
const agent = perRequest ? false : new http.Agent({ keepAlive: true, maxSockets: ids.length });

function send(method, path) {
  return new Promise((resolve, reject) => {
    const request = http.request(`${origin}${path}`, { method, agent, headers: { ...headers, 'content-length': '0' } }, (response) => {
      const chunks = [];
      response.on('data', (chunk) => chunks.push(chunk));
      response.on('end', () => resolve({ status: response.statusCode, body: Buffer.concat(chunks).toString('utf8') }));
      response.on('error', reject);
    });
    request.on('error', reject);
    request.end();
  });
}

if (!perRequest) await Promise.all(ids.map(() => send('GET', '/api/health')));
process.stdout.write('ready\n');
await new Promise((resolve) => readline.createInterface({ input: process.stdin }).once('line', resolve));
const started = await Promise.all(
  ids.map(async (id) => {
    const { status, body } = await send('POST', `/api/v1/destinations/${id}/connection-check`);
    if (status !== 202) throw new Error(`starting a check answered ${status}: ${body}`);
    return JSON.parse(body).id;
  }),
);
if (agent) agent.destroy();
process.stdout.write(`${JSON.stringify(started)}\n`);
