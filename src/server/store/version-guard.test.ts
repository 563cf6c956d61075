import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createSecretCipher } from '../security/crypto.ts';
import { buildTestApp, freshSchema, ON_POSTGRES, tempDataDir, type TestApp } from '../test-support/test-app.ts';
import { SCHEMA_VERSION } from '../test-support/schema-version.ts';
import { APP_VERSION, compareVersions } from '../version.ts';
import { migrate, SchemaTooNewError, schemaVersion } from './db.ts';
import { openStore } from './index.ts';

// The version guard, on both databases: a schema records the oldest app version that can run on it, and an older
// app refuses to start on it — naming both versions — while a rollback to a version it still supports works.
let t: TestApp;
beforeAll(async () => {
  t = await buildTestApp();
});
afterAll(() => t.close());

const fresh = async () =>
  openStore({ dataDir: tempDataDir(), databaseUrl: ON_POSTGRES ? await freshSchema() : null, cipher: createSecretCipher(randomBytes(32)) });

describe('the version guard', () => {
  it('records each migration with the oldest app version that can run on it and the version that applied it', async () => {
    const rows = await t.store.db.all<{ migration: string; oldest_app_version: string; applied_by: string }>(
      'SELECT * FROM schema_versions ORDER BY migration',
    );
    expect(rows.find((row) => row.migration === '018-external-ids.sql')).toEqual({
      migration: '018-external-ids.sql',
      oldest_app_version: '0.2.0',
      applied_by: APP_VERSION,
    });
    expect(rows.find((row) => row.migration === '001-initial.sql')?.oldest_app_version).toBe('0.1.0');
    expect(await schemaVersion(t.store.db)).toBe(SCHEMA_VERSION);
  });

  it('says the version and the schema version to a signed-in caller', async () => {
    const about = await t.request({ method: 'GET', url: '/api/v1/about' });
    expect(about.json()).toEqual({ version: APP_VERSION, schema_version: SCHEMA_VERSION, node_version: process.versions.node });
    expect((await t.request({ method: 'GET', url: '/api/v1/about', cookie: null })).statusCode).toBe(401);
  });

  it('refuses an app older than what a newer version’s migration needs, naming both versions', async () => {
    const store = await fresh();
    try {
      // As version 9.1.0 would have left it: a migration this app does not know, which needs 9.0.0 or later.
      await store.db.run("INSERT INTO schema_migrations (name, applied_at) VALUES ('099-future.sql', 'x')");
      await store.db.run("INSERT INTO schema_versions (migration, oldest_app_version, applied_by) VALUES ('099-future.sql', '9.0.0', '9.1.0')");
      const refused = await migrate(store.db).catch((error: unknown) => error);
      expect(refused).toBeInstanceOf(SchemaTooNewError);
      expect((refused as Error).message).toBe(
        `The database was upgraded by version 9.1.0 (migration 099-future.sql), which needs version 9.0.0 or later to run on it; this is version ${APP_VERSION}. Run version 9.0.0 or later, or restore the backup taken before the upgrade.`,
      );
      expect(await migrate(store.db, undefined, '9.0.0')).toEqual([]);
    } finally {
      await store.close();
    }
  });

  it('lets a version roll back onto a schema a newer one migrated, when that migration still allows it', async () => {
    const store = await fresh();
    try {
      await store.db.run("INSERT INTO schema_migrations (name, applied_at) VALUES ('099-additive.sql', 'x')");
      await store.db.run("INSERT INTO schema_versions (migration, oldest_app_version, applied_by) VALUES ('099-additive.sql', $1, '9.1.0')", [
        APP_VERSION,
      ]);
      expect(await migrate(store.db)).toEqual([]);
    } finally {
      await store.close();
    }
  });

  it('compares versions as semver does, part by part', () => {
    expect(compareVersions('0.10.0', '0.9.9')).toBeGreaterThan(0);
    expect(compareVersions('1.0.0', '1.0.0')).toBe(0);
    expect(compareVersions('0.2.0', '0.2.1')).toBeLessThan(0);
  });
});
