import { buildApp } from './app.ts';
import { buildClient, CLIENT_DIR, clientBuildIsStale } from './client-build.ts';
import { ConfigError, loadConfig } from './config.ts';
import { ensureAdminPassword } from './security/admin-password.ts';
import { createSecretCipher, EncryptionKeyError, loadEncryptionKey } from './security/crypto.ts';
import { openStore } from './store/index.ts';

async function main() {
  const config = loadConfig();
  const { key, previous } = loadEncryptionKey({
    envKey: config.encryptionKey,
    envPreviousKey: config.encryptionPreviousKey,
    dataDir: config.dataDir,
  });
  const store = await openStore({ dataDir: config.dataDir, databaseUrl: config.databaseUrl, cipher: createSecretCipher(key, previous) });
  const { signedOut } = await ensureAdminPassword(store, config.adminPassword, (password) => {
    // Printed once, on the first start, straight to the terminal: never through the logger.
    process.stderr.write(
      `\n  Admin password (shown once; set ADMIN_PASSWORD to choose your own): ${password}\n\n`,
    );
  });
  if (signedOut > 0) process.stderr.write(`ADMIN_PASSWORD changed: ${signedOut} session${signedOut === 1 ? '' : 's'} signed out.\n`);

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
