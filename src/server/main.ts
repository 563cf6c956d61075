import fs from 'node:fs';
import path from 'node:path';
import pino, { type Logger } from 'pino';
import { buildApp } from './app.ts';
import { ConfigError, loadConfig, type AppConfig } from './config.ts';
import { loggerOptions } from './logger.ts';
import { CLIENT_DIR } from './paths.ts';
import { createSecretCipher, EncryptionKeyError, loadEncryptionKey } from './security/crypto.ts';
import { ensureFirstAdmin } from './security/first-admin.ts';
import { writePrivateFile } from './security/private-files.ts';
import { SchemaTooNewError } from './store/db.ts';
import { NoAppDataError, openStore } from './store/index.ts';
import { NativeModuleError } from './store/sql.ts';
import { missingNodeFlags } from './runtime-flags.ts';
import { misspelledSettings } from './settings.ts';
import { APP_VERSION } from './version.ts';

/** Where a generated first-admin password is handed over: never a log line (logs are collected and kept). */
export const FIRST_ADMIN_PASSWORD_FILE = 'first-admin-password';

/** The store as the start line names it: the SQLite file, or PostgreSQL's host and database — never its password. */
function storeName(config: AppConfig): string {
  if (!config.databaseUrl) return `SQLite ${path.join(config.dataDir, 'destinations.sqlite')}`;
  try {
    const url = new URL(config.databaseUrl);
    return `PostgreSQL ${url.hostname}${url.port ? `:${url.port}` : ''}/${decodeURIComponent(url.pathname.slice(1))}`;
  } catch {
    return 'PostgreSQL (DATABASE_URL)';
  }
}

async function main(log: Logger) {
  const config = loadConfig();
  log.level = config.logLevel;
  for (const { name, meant } of misspelledSettings(process.env)) {
    log.warn({ variable: name, meant }, `${name} is not a setting of this app${meant ? `: did you mean ${meant}?` : ''} (it is ignored)`);
  }
  const missing = missingNodeFlags();
  if (missing.length > 0) {
    log.warn(
      { flags: missing },
      `started without ${missing.join(' ')} (npm start passes it): the V8 young generation may grow to 134 MB and stay resident after a large list; add it to the node command or NODE_OPTIONS`,
    );
  }
  const { key, previous, warnings } = loadEncryptionKey(config);
  for (const warning of warnings) log.warn(warning);
  const cipher = createSecretCipher(key, previous);
  const store = await openStore({ dataDir: config.dataDir, databaseUrl: config.databaseUrl, poolSize: config.databasePoolSize, cipher });
  if (store.searchIndex === 'pending-list') {
    log.warn(
      "the list search index keeps a pending list that every search reads (this app may not alter the index it does not own): ask the database owner to run ALTER INDEX destinations_search_trgm SET (fastupdate = off), then SELECT gin_clean_pending_list('destinations_search_trgm')",
    );
  }
  if (store.searchIndex === 'unavailable')
    log.warn(
      'the list search has no trigram index (pg_trgm could not be created here): it scans the connectors; ask the database owner to run CREATE EXTENSION pg_trgm',
    );
  for (const migration of store.migrated) {
    log.info(
      { migration: migration.name, oldestAppVersion: migration.oldestAppVersion, version: APP_VERSION },
      `applied migration ${migration.name}`,
    );
  }

  // --api-only: `npm run dev`, where Vite's dev server serves the browser app. Otherwise it is served as built by
  // `npm run build` (which `npm start` runs when the build is missing or stale): the server never builds it.
  const apiOnly = process.argv.includes('--api-only');
  if (!apiOnly && !fs.existsSync(path.join(CLIENT_DIR, 'index.html'))) {
    throw new ConfigError(`The browser app is not built (${CLIENT_DIR}): run npm run build, or start with npm start`);
  }

  const app = await buildApp({ config, store, clientDir: apiOnly ? null : CLIENT_DIR, logger: log });
  // Not ready (503) until the first admin exists, below.
  app.lifecycle.starting = true;
  let stopping = false;
  const stop = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    // Readiness answers 503 from here on; the running checks get SHUTDOWN_GRACE_MS to finish (checks plugin).
    app.lifecycle.stopping = true;
    log.info({ signal, graceMs: config.shutdownGraceMs }, 'stopping: taking no new work');
    await app.close();
    await store.close();
    log.info('stopped');
    process.exit(0);
  };
  process.on('SIGTERM', () => void stop('SIGTERM'));
  process.on('SIGINT', () => void stop('SIGINT'));
  // Listening first: a start that cannot bind its port (in use) has made no first admin and handed out no password.
  await app.listen({ port: config.port, host: config.host });

  const admin = await ensureFirstAdmin(store, { email: config.adminEmail, password: config.adminPassword }, (email, password) => {
    const file = path.join(config.dataDir, FIRST_ADMIN_PASSWORD_FILE);
    writePrivateFile(file, `Sign in as: ${email}\nPassword: ${password}\n\nOnly its hash is stored. Sign in, then delete this file.\n`);
    log.warn({ email, file }, `first admin created: the password is in ${file} (mode 0600); sign in, then delete the file`);
  });
  if (admin.source === 'upgraded')
    log.info({ email: admin.email }, 'the admin password is now the admin user (same password; sessions and API keys kept)');
  else if (admin.source === 'environment') log.info({ email: admin.email }, 'created the first admin with ADMIN_PASSWORD');
  else if (admin.source === 'existing' && admin.ignoredPassword) {
    log.warn(
      'ADMIN_PASSWORD is ignored: it only creates the first admin, and an admin exists. Reset a password on the Users screen or with npm run set-password -- <email>',
    );
  }
  app.lifecycle.starting = false;
  log.info(
    { version: APP_VERSION, origin: config.publicOrigin, store: storeName(config), keyId: cipher.keyId },
    `S3 destinations admin ${APP_VERSION} is ready on ${config.publicOrigin}`,
  );
}

// Every line the server writes is JSON, through one logger: the start's, the app's, a refusal to start.
const log = pino(loggerOptions('info') as pino.LoggerOptions);
main(log).catch((error: unknown) => {
  const known =
    error instanceof ConfigError ||
    error instanceof EncryptionKeyError ||
    error instanceof SchemaTooNewError ||
    error instanceof NoAppDataError ||
    error instanceof NativeModuleError;
  if (known) log.fatal(`Cannot start: ${(error as Error).message}`);
  else log.fatal({ err: error }, `Cannot start: ${error instanceof Error ? error.message : String(error)}`);
  // The line is written before the exit (pino's default destination writes synchronously).
  process.exit(1);
});
