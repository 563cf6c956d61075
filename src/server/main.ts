import { buildApp } from './app.ts';
import fs from 'node:fs';
import path from 'node:path';
import { CLIENT_DIR } from './paths.ts';
import { ConfigError, loadConfig } from './config.ts';
import { ensureFirstAdmin } from './security/first-admin.ts';
import { createSecretCipher, EncryptionKeyError, loadEncryptionKey } from './security/crypto.ts';
import { SchemaTooNewError } from './store/db.ts';
import { openStore } from './store/index.ts';
import { APP_VERSION } from './version.ts';

function framed(lines: string[]): string {
  const width = Math.max(...lines.map((line) => line.length));
  const rule = '─'.repeat(width + 2);
  return `\n  ┌${rule}┐\n${lines.map((line) => `  │ ${line.padEnd(width)} │\n`).join('')}  └${rule}┘\n\n`;
}

async function main() {
  const config = loadConfig();
  const { key, previous } = loadEncryptionKey(config);
  const store = await openStore({ dataDir: config.dataDir, databaseUrl: config.databaseUrl, cipher: createSecretCipher(key, previous) });
  for (const migration of store.migrated) {
    process.stderr.write(`Applied migration ${migration.name} (runs with version ${migration.oldestAppVersion} or later; this is ${APP_VERSION}).\n`);
  }
  const admin = await ensureFirstAdmin(store, { email: config.adminEmail, password: config.adminPassword }, (email, password) => {
    // Printed once, on the first start, straight to the terminal (never through the logger), framed so that it
    // stands out from the log lines around it.
    process.stderr.write(framed([
      `First admin: sign in as "${email}" with the password (shown once): ${password}`,
      'Keep it somewhere safe: only its hash is stored. Invite your team from the Users screen.',
      'Set ADMIN_EMAIL and ADMIN_PASSWORD before the first start to choose your own.',
    ]));
  });
  if (admin.source === 'upgraded') {
    process.stderr.write(`Users: the admin password is now the admin user "${admin.email}" (same password; sessions and API keys kept).\n`);
  } else if (admin.source === 'environment') {
    process.stderr.write(`Users: created the first admin "${admin.email}" with ADMIN_PASSWORD.\n`);
  } else if (admin.source === 'existing' && admin.ignoredPassword) {
    process.stderr.write(
      'ADMIN_PASSWORD is ignored: it only creates the first admin, and an admin exists. Reset a password on the Users screen or with npm run set-password -- <email>.\n',
    );
  }

  // --api-only: `npm run dev`, where Vite's dev server serves the browser app. Otherwise it is served as built by
  // `npm run build` (which `npm start` runs when the build is missing or stale): the server never builds it.
  const apiOnly = process.argv.includes('--api-only');
  if (!apiOnly && !fs.existsSync(path.join(CLIENT_DIR, 'index.html'))) {
    throw new ConfigError(`The browser app is not built (${CLIENT_DIR}): run npm run build, or start with npm start`);
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
  if (error instanceof ConfigError || error instanceof EncryptionKeyError || error instanceof SchemaTooNewError) {
    process.stderr.write(`Cannot start: ${error.message}\n`);
  } else {
    process.stderr.write(`Cannot start: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  }
  process.exit(1);
});
