// Starts connection checks over HTTP from a process of its own (npm run bench), all at once, as that many clients
// would: reads {origin, headers, ids} as JSON from argv, opens one kept-alive connection per check, prints "ready",
// waits for a line on stdin, then sends the POSTs and prints the started checks' ids as JSON.
//
// The connections are opened before the burst because Node accepts one new connection per turn of its event loop
// (libuv 1.45+, "unix: don't accept() connections in a loop"): under the list's saturating load a turn takes ~80 ms,
// and 200 connections opened at the moment of the burst were accepted over six seconds — the checks started after
// the load had ended, and the figure measured a list with no checks running beside it.
import http from 'node:http';
import readline from 'node:readline';

const { origin, headers, ids } = JSON.parse(process.argv[2]);
const agent = new http.Agent({ keepAlive: true, maxSockets: ids.length });

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

await Promise.all(ids.map(() => send('GET', '/api/health')));
process.stdout.write('ready\n');
await new Promise((resolve) => readline.createInterface({ input: process.stdin }).once('line', resolve));
const started = await Promise.all(
  ids.map(async (id) => {
    const { status, body } = await send('POST', `/api/v1/destinations/${id}/connection-check`);
    if (status !== 202) throw new Error(`starting a check answered ${status}: ${body}`);
    return JSON.parse(body).id;
  }),
);
agent.destroy();
process.stdout.write(`${JSON.stringify(started)}\n`);
