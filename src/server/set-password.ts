// `npm run set-password`: sets a new admin password (read from standard input) and signs every session out.
import readline from 'node:readline';
import { ConfigError, loadConfig } from './config.ts';
import { setAdminPassword } from './security/admin-password.ts';
import { createSecretCipher, EncryptionKeyError, loadEncryptionKey } from './security/crypto.ts';
import { openStore } from './store/index.ts';

const MIN_LENGTH = 12;

/** The first line of standard input; on a terminal, typed without echo. */
async function readPassword(prompt: string): Promise<string> {
  if (!process.stdin.isTTY) {
    const chunks: Buffer[] = [];
    for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
    return Buffer.concat(chunks).toString('utf8').split(/\r?\n/)[0] ?? '';
  }
  return new Promise((resolve) => {
    const rl = readline.createInterface({ input: process.stdin, output: process.stderr, terminal: true });
    process.stderr.write(prompt);
    // Typed characters are not echoed back.
    (rl as unknown as { _writeToOutput: (s: string) => void })._writeToOutput = () => undefined;
    rl.once('line', (line) => {
      rl.close();
      process.stderr.write('\n');
      resolve(line);
    });
  });
}

async function main() {
  const config = loadConfig();
  const { key, previous } = loadEncryptionKey({
    envKey: config.encryptionKey,
    envPreviousKey: config.encryptionPreviousKey,
    dataDir: config.dataDir,
  });
  const store = await openStore({ dataDir: config.dataDir, databaseUrl: config.databaseUrl, cipher: createSecretCipher(key, previous) });
  try {
    const password = await readPassword('New admin password: ');
    if (password.length < MIN_LENGTH) throw new ConfigError(`The password must be at least ${MIN_LENGTH} characters`);
    await setAdminPassword(store.settings, password);
    const ended = await store.sessions.removeAll();
    process.stderr.write(`The admin password is changed; ${ended} session${ended === 1 ? '' : 's'} signed out.\n`);
    if (config.adminPassword !== null) {
      process.stderr.write('Note: ADMIN_PASSWORD is set in the environment and replaces this password at the next start.\n');
    }
  } finally {
    await store.close();
  }
}

main().catch((error: unknown) => {
  const known = error instanceof ConfigError || error instanceof EncryptionKeyError;
  process.stderr.write(`Cannot set the password: ${known ? (error as Error).message : String(error)}\n`);
  process.exit(1);
});
