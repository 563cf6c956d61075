// The local OpenID provider as a process of its own, for the browser tests: --port, --redirect-uri.
import { startOidcProvider } from './provider.ts';

const arg = (name: string) => {
  const at = process.argv.indexOf(`--${name}`);
  return at === -1 ? undefined : process.argv[at + 1];
};
const provider = await startOidcProvider({ port: Number(arg('port') ?? 0), redirectUris: [String(arg('redirect-uri'))] });
process.stdout.write(`OpenID provider listening on ${provider.issuer}\n`);
