// `npm run set-password -- <email>`: sets a user's password (read from standard input), signs that user out everywhere,
// and makes sure they can sign in: a deactivated user is reactivated. Without an e-mail, the only admin (if there is
// exactly one). The way back in for an admin who forgot their password.
import readline from 'node:readline';
import { ConfigError, loadConfig } from './config.ts';
import { createRuntimeSettings } from './runtime-settings.ts';
import { ensureFirstAdmin } from './security/first-admin.ts';
import { hashPassword } from './security/password.ts';
import { PASSWORD_MIN_LENGTH } from '#shared/user-schemas';
import { createSecretCipher, EncryptionKeyError, loadEncryptionKey } from './security/crypto.ts';
import { SchemaTooNewError } from './store/db.ts';
import { assertAppDataDir, NoAppDataError, openStore } from './store/index.ts';

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

/** The one admin, when there is exactly one: the common case of a single-person install needs no e-mail. */
async function onlyAdmin(store: Awaited<ReturnType<typeof openStore>>) {
  const admins = (await store.users.list()).filter((user) => user.role === 'admin');
  return admins.length === 1 ? admins[0] : null;
}

async function main() {
  const config = loadConfig();
  assertAppDataDir(config);
  const { key, previous } = loadEncryptionKey(config);
  const store = await openStore({
    dataDir: config.dataDir,
    databaseUrl: config.databaseUrl,
    cipher: createSecretCipher(key, previous),
    mustExist: true,
  });
  try {
    // An install that never started since the upgrade to users gets its first admin here, as a start would make it.
    await ensureFirstAdmin(store, { email: config.adminEmail, password: config.adminPassword }, () => undefined);
    const email = process.argv.slice(2).find((arg) => !arg.startsWith('-')) ?? null;
    const user = email !== null ? await store.users.findByEmail(email) : await onlyAdmin(store);
    if (!user)
      throw new ConfigError(
        email !== null ? `There is no user "${email}" (users are listed on the Users screen)` : 'Name the user: npm run set-password -- <email>',
      );
    const password = await readPassword(`New password for ${user.email}: `);
    if (password.length < PASSWORD_MIN_LENGTH) throw new ConfigError(`The password must be at least ${PASSWORD_MIN_LENGTH} characters`);
    const at = new Date().toISOString();
    await store.users.setPassword(user.id, await hashPassword(password), at);
    if (user.deactivated_at !== null) await store.users.reactivate(user.id, at);
    const ended = await store.sessions.removeForUser(user.id);
    // The way back in when single sign-on is the only one and it broke: the password form is offered again.
    const settings = createRuntimeSettings(store.settings);
    const wasOff = (await settings.get('passwordSignIn')) === 'off';
    if (wasOff) await settings.set('passwordSignIn', 'on');
    process.stderr.write(
      `The password of ${user.email} is changed${user.deactivated_at !== null ? ' and the account reactivated' : ''}; ${ended} session${ended === 1 ? '' : 's'} signed out.\n`,
    );
    if (wasOff) process.stderr.write('Password sign-in was turned off; it is on again.\n');
  } finally {
    await store.close();
  }
}

main().catch((error: unknown) => {
  const known =
    error instanceof ConfigError || error instanceof EncryptionKeyError || error instanceof NoAppDataError || error instanceof SchemaTooNewError;
  process.stderr.write(`Cannot set the password: ${known ? (error as Error).message : String(error)}\n`);
  process.exit(1);
});
