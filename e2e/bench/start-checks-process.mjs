// Starts connection checks over HTTP from a process of its own (npm run bench), all at once, as that many clients
// would: reads {origin, headers, ids} as JSON from argv, prints the started checks' ids as JSON.
const { origin, headers, ids } = JSON.parse(process.argv[2]);
const started = await Promise.all(
  ids.map(async (id) => {
    const response = await fetch(`${origin}/api/v1/destinations/${id}/connection-check`, { method: 'POST', headers });
    if (response.status !== 202) throw new Error(`starting a check answered ${response.status}: ${await response.text()}`);
    return (await response.json()).id;
  }),
);
process.stdout.write(JSON.stringify(started));
