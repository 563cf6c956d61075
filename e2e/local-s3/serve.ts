// Runs the local S3 endpoint on its own: for the browser tests (`--port`) and behind `npm run demo`.
import net from 'node:net';
import { startLocalS3 } from './gateway.ts';

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
// An endpoint that accepts connections and never answers: a check against it runs until cancelled or out of time.
const silentPort = arg('silent-port');
const held: net.Socket[] = [];
const silent = silentPort ? net.createServer((socket) => held.push(socket)).listen(Number(silentPort), '127.0.0.1') : null;
const stop = () => {
  for (const socket of held) socket.destroy();
  silent?.close();
  void s3.close().then(() => process.exit(0));
};
process.once('SIGTERM', stop);
process.once('SIGINT', stop);
