// Runs the local S3 endpoint on its own: for the browser tests (`--port`) and behind `npm run demo`.
import net from 'node:net';
import { DIALECTS, type DialectName } from './dialects.ts';
import { startLocalS3, type LocalS3 } from './gateway.ts';

const arg = (name: string) => {
  const i = process.argv.indexOf(`--${name}`);
  return i === -1 ? undefined : process.argv[i + 1];
};

const lifetime = arg('assumed-role-lifetime-ms');
const s3 = await startLocalS3({
  port: Number(arg('port') ?? 0),
  latencyMs: Number(arg('latency') ?? 0),
  // Credentials from AssumeRole that run out within a test (AWS's shortest are 15 minutes): the app's refresh is seen.
  ...(lifetime ? { assumedRoleLifetimeMs: Number(lifetime) } : {}),
});
process.stdout.write(`Local S3 endpoint listening on ${s3.endpoint}\n`);
// More endpoints, each answering as another service does: `--also minio=31738`, or `--also b2=31740:30` for one
// whose every answer is that service's rate limit with a Retry-After of 30 s.
const others: LocalS3[] = [];
for (const [index, flag] of process.argv.entries()) {
  if (flag !== '--also') continue;
  const [name, port, throttle] = (process.argv[index + 1] ?? '').split(/[=:]/);
  if (!name || !(name in DIALECTS) || !port) throw new Error(`--also wants DIALECT=PORT[:RETRY_AFTER_S], one of ${Object.keys(DIALECTS).join(', ')}`);
  const other = await startLocalS3({ port: Number(port), latencyMs: Number(arg('latency') ?? 0), dialect: name as DialectName });
  if (throttle) other.throttleSeconds = Number(throttle);
  others.push(other);
  process.stdout.write(`Local S3 endpoint answering as ${name} on ${other.endpoint}\n`);
}
// An endpoint that accepts connections and never answers: a check against it runs until cancelled or out of time.
const silentPort = arg('silent-port');
const held: net.Socket[] = [];
const silent = silentPort ? net.createServer((socket) => held.push(socket)).listen(Number(silentPort), '127.0.0.1') : null;
const stop = () => {
  for (const socket of held) socket.destroy();
  silent?.close();
  void Promise.all([s3, ...others].map((endpoint) => endpoint.close())).then(() => process.exit(0));
};
process.once('SIGTERM', stop);
process.once('SIGINT', stop);
