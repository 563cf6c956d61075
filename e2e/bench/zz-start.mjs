const { origin, headers, ids } = JSON.parse(process.argv[2]);
const t0 = Date.now();
const log = [];
const started = await Promise.all(
  ids.map(async (id) => {
    const s = Date.now();
    const response = await fetch(`${origin}/api/v1/destinations/${id}/connection-check`, { method: 'POST', headers });
    log.push([s, Date.now()]);
    return (await response.json()).id;
  }),
);
const sorted = (xs) => xs.sort((a, b) => a - b);
const ends = sorted(log.map((l) => l[1] - t0));
process.stderr.write(`starter: boot-to-t0 ${(t0 - Number(process.env.SPAWNED)).toFixed(0)} ms; first fetch issued +${Math.min(...log.map(l=>l[0]))-t0}; answers first ${ends[0]} median ${ends[100]} last ${ends.at(-1)} (ms after t0)\n`);
process.stdout.write(JSON.stringify(started));
