import { buildApp } from './app.ts';
import { buildClient, CLIENT_DIR, clientBuildIsStale } from './client-build.ts';
import { ConfigError, loadConfig } from './config.ts';
import { ensureAdminPassword } from './security/admin-password.ts';
import { createSecretCipher, EncryptionKeyError, loadEncryptionKey } from './security/crypto.ts';
import { openStore } from './store/index.ts';

function framed(lines: string[]): string {
  const width = Math.max(...lines.map((line) => line.length));
  const rule = '─'.repeat(width + 2);
  return `\n  ┌${rule}┐\n${lines.map((line) => `  │ ${line.padEnd(width)} │\n`).join('')}  └${rule}┘\n\n`;
}

async function main() {
  const config = loadConfig();
  const { key, previous } = loadEncryptionKey({
    envKey: config.encryptionKey,
    envPreviousKey: config.encryptionPreviousKey,
    dataDir: config.dataDir,
  });
  const store = await openStore({ dataDir: config.dataDir, databaseUrl: config.databaseUrl, cipher: createSecretCipher(key, previous) });
  const { source, signedOut } = await ensureAdminPassword(store, config.adminPassword, (password) => {
    // Printed once, on the first start, straight to the terminal (never through the logger), framed so that it
    // stands out from the log lines around it.
    process.stderr.write(framed([
      `Admin password (shown once): ${password}`,
      'Sign in with it, and keep it somewhere safe: only its hash is stored.',
      'Set ADMIN_PASSWORD to choose your own, or change it with npm run set-password.',
    ]));
  });
  if (signedOut > 0) process.stderr.write(`ADMIN_PASSWORD changed: ${signedOut} session${signedOut === 1 ? '' : 's'} signed out.\n`);
  if (source === 'stored') process.stderr.write('Admin password: the one set before (change it with npm run set-password, or set ADMIN_PASSWORD).\n');

  // --api-only: `npm run dev`, where Vite's dev server serves the browser app.
  const apiOnly = process.argv.includes('--api-only');
  if (!apiOnly && clientBuildIsStale()) {
    process.stderr.write('Building the browser app…\n');
    await buildClient();
  }

  const app = await buildApp({ config, store, clientDir: apiOnly ? null : CLIENT_DIR });
  const shutdown = async (signal: string) => {
    app.log.info({ signal }, 'shutting down');
    await app.close();
    await store.close();
    process.exit(0);
  };
  process.once('SIGTERM', () => void shutdown('SIGTERM'));
  process.once('SIGINT', () => void shutdown('SIGINT'));
  await app.listen({ port: config.port, host: config.host });
  process.stderr.write(`S3 destinations admin is ready on ${config.publicOrigin}\n`);
}

main().catch((error: unknown) => {
  if (error instanceof ConfigError || error instanceof EncryptionKeyError) {
    process.stderr.write(`Cannot start: ${error.message}\n`);
  } else {
    process.stderr.write(`Cannot start: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  }
  process.exit(1);
});
