import type { FastifyInstance, InjectOptions, LightMyRequestResponse } from 'fastify';
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { buildApp, type AppDeps } from '../app.ts';
import { loadConfig, type AppConfig } from '../config.ts';
import { ensureFirstAdmin } from '../security/first-admin.ts';
import { createSecretCipher } from '../security/crypto.ts';
import { DATABASE_FILE, openStore, type Store } from '../store/index.ts';
import { sqliteHandle } from '../store/sql.ts';
import type { UserRole } from '#shared/user-schemas';
import { tempDataDir } from './temp-dirs.ts';
import pg from 'pg';

export const TEST_ORIGIN = 'http://127.0.0.1:8080';
export const TEST_PASSWORD = 'correct horse battery staple';
/** The first admin's sign-in (ADMIN_EMAIL's default). */
export const TEST_ADMIN = 'admin';

export type TestApp = {
  app: FastifyInstance;
  store: Store;
  config: AppConfig;
  key: Buffer;
  /** The signed-in session cookie (`session=…`). */
  cookie: string;
  /** A request from the app's own page: origin, CSRF header, JSON and the session cookie unless overridden. */
  request(options: InjectOptions & { cookie?: string | null }): Promise<LightMyRequestResponse>;
  close(options?: { keepData?: boolean }): Promise<void>;
};

/** The suite's PostgreSQL run: `TEST_DATABASE_URL` names a database, and each test app gets a schema of its own there. */
export const ON_POSTGRES = Boolean(process.env.TEST_DATABASE_URL);

async function onAdmin<T>(work: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: process.env.TEST_DATABASE_URL });
  await client.connect();
  try {
    return await work(client);
  } finally {
    await client.end();
  }
}

/** A new, empty schema in the test database, and the URL that makes it the one a store works in. */
export async function freshSchema(): Promise<string> {
  const schema = `t_${randomBytes(8).toString('hex')}`;
  await onAdmin((client) => client.query(`CREATE SCHEMA ${schema}`));
  const base = process.env.TEST_DATABASE_URL as string;
  return `${base}${base.includes('?') ? '&' : '?'}options=${encodeURIComponent(`-c search_path=${schema}`)}`;
}

const schemaOf = (url: string) => /search_path%3D(t_[0-9a-f]+)/.exec(url)?.[1];

/**
 * Everything the store has written, as it is at rest: the SQLite file and its WAL; on PostgreSQL, every row of every
 * table of the test app's schema as the server returns it (its files are the cluster's, not ours to read).
 */
export async function storedBytes(testApp: TestApp): Promise<Buffer> {
  const sqlite = sqliteHandle(testApp.store.db);
  if (sqlite) {
    sqlite.pragma('wal_checkpoint(PASSIVE)');
    const file = path.join(testApp.config.dataDir, DATABASE_FILE);
    return Buffer.concat([fs.readFileSync(file), fs.existsSync(`${file}-wal`) ? fs.readFileSync(`${file}-wal`) : Buffer.alloc(0)]);
  }
  const tables = await testApp.store.db.all<{ name: string }>(
    'SELECT table_name AS name FROM information_schema.tables WHERE table_schema = current_schema()',
  );
  const rows = await Promise.all(tables.map(({ name }) => testApp.store.db.all(`SELECT * FROM ${name}`)));
  return Buffer.from(JSON.stringify(rows));
}

export { tempDataDir } from './temp-dirs.ts';

export type TestAppOptions = {
  key?: Buffer;
  worker?: AppDeps['worker'];
  deliveries?: AppDeps['deliveries'];
  checkStreams?: AppDeps['checkStreams'];
  /** Keys held beside `key` (APP_ENCRYPTION_KEY_PREVIOUS / _NEXT). */
  otherKeys?: Buffer[];
  logStream?: AppDeps['logStream'];
  /** Serve the browser app's build too (benchmarks); the API tests leave it out. */
  clientDir?: string;
};

/** A real app over a temp SQLite file, signed in once: `app.inject()` only, no network. */
export async function buildTestApp(overrides: Partial<AppConfig> = {}, options: TestAppOptions = {}): Promise<TestApp> {
  const config: AppConfig = {
    ...loadConfig({}),
    dataDir: tempDataDir(),
    databaseUrl: overrides.databaseUrl ?? (ON_POSTGRES ? await freshSchema() : null),
    publicOrigin: TEST_ORIGIN,
    logLevel: 'silent',
    adminPassword: TEST_PASSWORD,
    // Tests start scheduled checks themselves, with a clock of their own (scheduler.test.ts).
    scheduledChecks: false,
    // Suites make many users, keys and links as one admin; the limit's own tests set it low.
    writeRatePerMin: 10_000,
    // Closing a test app stops its checks at once (the stop's grace period has tests of its own).
    shutdownGraceMs: 0,
    ...overrides,
  };
  const key = options.key ?? randomBytes(32);
  const store = await openStore({
    dataDir: config.dataDir,
    databaseUrl: config.databaseUrl,
    poolSize: config.databasePoolSize,
    cipher: createSecretCipher(key, options.otherKeys ?? []),
  });
  await ensureFirstAdmin(store, { email: config.adminEmail, password: config.adminPassword }, () => undefined);
  const app = await buildApp({
    config,
    store,
    clientDir: options.clientDir ?? null,
    ...(options.worker ? { worker: options.worker } : {}),
    ...(options.deliveries ? { deliveries: options.deliveries } : {}),
    ...(options.checkStreams ? { checkStreams: options.checkStreams } : {}),
    ...(options.logStream ? { logStream: options.logStream } : {}),
  });

  // Headers given as undefined are left out, to test requests that lack them.
  const request: TestApp['request'] = ({ cookie, headers, ...options }) => {
    const merged: Record<string, string | string[] | number | undefined> = {
      origin: config.publicOrigin,
      'x-requested-with': 'XMLHttpRequest',
      ...(options.body !== undefined || options.payload !== undefined ? { 'content-type': 'application/json' } : {}),
      ...(cookie === null ? {} : { cookie: cookie ?? testApp.cookie }),
      ...headers,
    };
    const defined = Object.entries(merged).filter((entry): entry is [string, string | string[] | number] => entry[1] !== undefined);
    return app.inject({ ...options, headers: Object.fromEntries(defined) });
  };

  const testApp: TestApp = {
    app,
    store,
    config,
    key,
    cookie: '',
    request,
    async close(options: { keepData?: boolean } = {}) {
      await app.close();
      await store.close();
      if (options.keepData) return;
      fs.rmSync(config.dataDir, { recursive: true, force: true });
      const schema = config.databaseUrl ? schemaOf(config.databaseUrl) : undefined;
      if (schema) await onAdmin((client) => client.query(`DROP SCHEMA ${schema} CASCADE`));
    },
  };
  testApp.cookie = await signIn(testApp);
  return testApp;
}

export async function signIn(testApp: TestApp, password = TEST_PASSWORD, email = TEST_ADMIN): Promise<string> {
  const response = await testApp.request({ method: 'POST', url: '/api/session', body: { email, password }, cookie: null });
  if (response.statusCode !== 204) throw new Error(`sign-in answered ${response.statusCode}: ${response.body}`);
  const cookie = response.cookies.find((c) => c.name === 'session');
  if (!cookie) throw new Error('sign-in set no session cookie');
  return `session=${cookie.value}`;
}

let userCounter = 0;
/**
 * A user with `role`, invited by the admin and arrived through their link (as a person would), signed in: their id,
 * e-mail and session cookie.
 */
export async function createUser(testApp: TestApp, role: UserRole, email = `user-${process.pid}-${++userCounter}@example.com`) {
  const invited = await testApp.request({ method: 'POST', url: '/api/v1/users', body: { email, name: `Test ${role}`, role } });
  if (invited.statusCode !== 201) throw new Error(`inviting answered ${invited.statusCode}: ${invited.body}`);
  const { user, link } = invited.json() as { user: { id: string }; link: { url: string } };
  const token = new URL(link.url).hash.slice(1);
  const used = await testApp.request({ method: 'POST', url: '/api/user-links/use', body: { token, password: TEST_PASSWORD }, cookie: null });
  if (used.statusCode !== 204) throw new Error(`setting the password answered ${used.statusCode}: ${used.body}`);
  const cookie = used.cookies.find((c) => c.name === 'session');
  if (!cookie) throw new Error('setting the password set no session cookie');
  return { id: user.id, email, cookie: `session=${cookie.value}` };
}

export const AWS_KEY = 'AKIAIOSFODNN7EXAMPLE';
export const AWS_SECRET = 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY';

let counter = 0;
/** A unique, valid destination body; `config` entries override the defaults (undefined removes one). */
export function destinationBody(config: Record<string, unknown> = {}, name = `dest-${process.pid}-${++counter}`) {
  const merged: Record<string, unknown> = { remote_url: 's3://my-bucket/exports/', key: AWS_KEY, secret: AWS_SECRET, ...config };
  for (const [field, value] of Object.entries(merged)) if (value === undefined) delete merged[field];
  return { name, type: 's3', config: merged };
}

/** Whether `cookie` is a live session, as the app itself asks (GET /api/session is public and answers either way). */
export async function isSignedIn(testApp: TestApp, cookie: string): Promise<boolean> {
  const response = await testApp.request({ method: 'GET', url: '/api/session', cookie });
  if (response.statusCode !== 200) throw new Error(`GET /api/session answered ${response.statusCode}: ${response.body}`);
  return (response.json() as { signed_in: boolean }).signed_in;
}

let keyCounter = 0;
/** A new API key made by the admin through the API: the key (shown once) and its id. */
export async function createApiKey(
  testApp: TestApp,
  options: { role: 'viewer' | 'editor'; name?: string; expires_at?: string | null },
): Promise<{ key: string; id: string }> {
  const body = { name: options.name ?? `key-${process.pid}-${++keyCounter}`, role: options.role, expires_at: options.expires_at ?? null };
  const response = await testApp.request({ method: 'POST', url: '/api/v1/api-keys', body });
  if (response.statusCode !== 201) throw new Error(`creating an API key answered ${response.statusCode}: ${response.body}`);
  const { key, id } = response.json() as { key: string; id: string };
  return { key, id };
}

/**
 * A request as a script sends it, in the way Unstructured's SDK does: the key in `unstructured-api-key` (or
 * `Authorization: Bearer` with `as: 'bearer'`), JSON, and nothing a browser adds — no cookie, Origin or CSRF header.
 */
export function requestWithKey(
  testApp: TestApp,
  key: string,
  { as = 'unstructured', headers, ...options }: InjectOptions & { as?: 'unstructured' | 'bearer' },
): Promise<LightMyRequestResponse> {
  const hasBody = options.body !== undefined || options.payload !== undefined;
  return testApp.app.inject({
    ...options,
    headers: {
      accept: 'application/json',
      ...(hasBody ? { 'content-type': 'application/json' } : {}),
      ...(as === 'bearer' ? { authorization: `Bearer ${key}` } : { 'unstructured-api-key': key }),
      ...headers,
    },
  });
}
