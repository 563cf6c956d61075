import { randomBytes } from 'node:crypto';
import path from 'node:path';
import { setImmediate } from 'node:timers/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createSecretCipher, DecryptionError, EncryptionKeyError } from '../security/crypto.ts';
import { normalizeS3Config } from '#shared/s3-config';
import { buildTestApp, destinationBody, freshSchema, ON_POSTGRES, storedBytes, tempDataDir, type TestApp } from '../test-support/test-app.ts';
import { createActivityRepository } from './activity-repository.ts';
import { migrate } from './db.ts';
import { backfillListColumns } from './list-columns.ts';
import { ensureSearchIndex } from './search-index.ts';
import { openStore } from './index.ts';
import { openPostgres, openSqlite, sqliteHandle } from './sql.ts';

// Unique markers: if either shows up anywhere it should not, the test names the leak.
const SECRET_MARKER = 'SECRETMARKERzq7'.padEnd(40, 'x');
const TOKEN_MARKER = `TOKENMARKERzq7${'y'.repeat(300)}`;

let t: TestApp;
beforeAll(async () => {
  t = await buildTestApp();
});
afterAll(() => t.close());

async function createWithMarkers() {
  const response = await t.request({
    method: 'POST',
    url: '/api/v1/destinations',
    body: destinationBody({ key: 'ASIAIOSFODNN7EXAMPLE', secret: SECRET_MARKER, token: TOKEN_MARKER }),
  });
  expect(response.statusCode).toBe(200);
  return response;
}

describe('secrets never leave the server', () => {
  it('keeps the secret and token out of every response body (create, get, list, update)', async () => {
    const createResponse = await createWithMarkers();
    const { id } = createResponse.json();
    const responses = [
      createResponse,
      await t.request({ method: 'GET', url: `/api/v1/destinations/${id}` }),
      await t.request({ method: 'GET', url: '/api/v1/destinations' }),
      await t.request({ method: 'GET', url: '/api/v1/destinations?limit=1' }),
      await t.request({ method: 'PUT', url: `/api/v1/destinations/${id}`, body: { name: `renamed-${id}` }, headers: { 'if-match': '"1"' } }),
      await t.request({
        method: 'PUT',
        url: `/api/v1/destinations/${id}`,
        body: { config: { secret: SECRET_MARKER.replace('x', 'z'), token: `${TOKEN_MARKER}Q` } },
        headers: { 'if-match': '"2"' },
      }),
    ];
    for (const response of responses) {
      expect(response.statusCode).toBeLessThan(300);
      const raw = `${JSON.stringify(response.headers)}\n${response.body}`;
      expect(raw).not.toContain('SECRETMARKER');
      expect(raw).not.toContain('TOKENMARKER');
    }
    expect(createResponse.json().config).toMatchObject({ has_secret: true, has_token: true });
    // Only the mask, as Unstructured shows saved secrets.
    expect(createResponse.json().config).toMatchObject({ secret: '**********', token: '**********' });
  });

  it('keeps the values out of what is stored (the SQLite file and its WAL, or the PostgreSQL rows): only ciphertext', async () => {
    const { id } = (await createWithMarkers()).json();
    const bytes = await storedBytes(t);
    expect(bytes.includes('SECRETMARKER')).toBe(false);
    expect(bytes.includes('TOKENMARKER')).toBe(false);
    expect(bytes.includes(id)).toBe(true);
    expect(await t.store.destinations.findConfigWithSecrets(id)).toMatchObject({ secret: SECRET_MARKER, token: TOKEN_MARKER });
  });

  it('refuses a tampered ciphertext instead of returning garbage', async () => {
    const { id } = (await createWithMarkers()).json();
    const sealed = (await t.store.db.get<{ secret_enc: string }>('SELECT secret_enc FROM destinations WHERE id = $1', [id]))!.secret_enc;
    const parts = sealed.split('.');
    // Flip one bit, so the ciphertext always changes (writing a fixed first character left it as it was 1 run in 64).
    const ciphertext = Buffer.from(parts[3] as string, 'base64url');
    ciphertext[0] = (ciphertext[0] ?? 0) ^ 1;
    parts[3] = ciphertext.toString('base64url');
    await t.store.db.run('UPDATE destinations SET secret_enc = $1 WHERE id = $2', [parts.join('.'), id]);
    await expect(t.store.destinations.findConfigWithSecrets(id)).rejects.toThrow(DecryptionError);
  });

  it('refuses a secret copied from another destination’s row', async () => {
    const a = (await createWithMarkers()).json().id;
    const b = (await t.request({ method: 'POST', url: '/api/v1/destinations', body: destinationBody() })).json().id;
    await t.store.db.run('UPDATE destinations SET secret_enc = (SELECT secret_enc FROM destinations WHERE id = $1) WHERE id = $2', [a, b]);
    await expect(t.store.destinations.findConfigWithSecrets(b)).rejects.toThrow(DecryptionError);
  });
});

describe('the store', () => {
  it.skipIf(ON_POSTGRES)('runs with WAL, synchronous=FULL and foreign keys on (skipped on PostgreSQL: SQLite pragmas)', () => {
    expect(sqliteHandle(t.store.db)?.pragma('journal_mode', { simple: true })).toBe('wal');
    expect(sqliteHandle(t.store.db)?.pragma('synchronous', { simple: true })).toBe(2);
    expect(sqliteHandle(t.store.db)?.pragma('foreign_keys', { simple: true })).toBe(1);
  });

  it.skipIf(ON_POSTGRES)(
    'relaxes synchronous for an unsynced write only, never inside a transaction (skipped on PostgreSQL: SQLite pragmas)',
    async () => {
      const raw = sqliteHandle(t.store.db)!;
      const pragma = raw.pragma.bind(raw);
      const seen: string[] = [];
      raw.pragma = ((source: string, options?: Parameters<typeof raw.pragma>[1]) => {
        if (source.startsWith('synchronous =')) seen.push(`${source} (in a transaction: ${raw.inTransaction})`);
        return pragma(source, options);
      }) as typeof raw.pragma;
      try {
        let release = () => {};
        let opened = () => {};
        const open = new Promise<void>((resolve) => (opened = resolve));
        const held = t.store.db.transaction(async (tx) => {
          await tx.run('UPDATE list_version SET version = version WHERE id = 1');
          opened();
          await new Promise<void>((resolve) => (release = resolve));
        });
        await open;
        const unsynced = t.store.db.unsynced.run('UPDATE list_version SET version = version WHERE id = 1');
        await new Promise((resolve) => setTimeout(resolve, 20));
        const whileOpen = [...seen];
        release();
        await held;
        expect(whileOpen).toEqual([]); // it waited for the transaction in progress
        expect(await unsynced).toBe(1);
        await expect(t.store.db.unsynced.run('UPDATE no_such_table SET x = 1')).rejects.toThrow();
        expect(seen).toEqual(
          Array(2).fill(['synchronous = NORMAL (in a transaction: false)', 'synchronous = FULL (in a transaction: false)']).flat(),
        );
        expect(pragma('synchronous', { simple: true })).toBe(2);
      } finally {
        raw.pragma = pragma;
      }
    },
  );

  it('commits transactions asked for together as one, each all or nothing', async () => {
    await t.store.db.exec('CREATE TABLE IF NOT EXISTS group_commit_probe (n INTEGER PRIMARY KEY CHECK (n >= 0))');
    const raw = sqliteHandle(t.store.db);
    const exec = raw?.exec.bind(raw);
    const commits: string[] = [];
    if (raw && exec) raw.exec = ((source: string) => (source === 'COMMIT' && commits.push(source), exec(source))) as typeof raw.exec;
    try {
      const results = await Promise.allSettled(
        Array.from({ length: 20 }, (_, n) =>
          t.store.db.transaction(async (tx) => {
            await tx.run('INSERT INTO group_commit_probe (n) VALUES ($1)', [n * 10]);
            await tx.run('INSERT INTO group_commit_probe (n) VALUES ($1)', [n * 10 + 1]);
            // The seventh fails after its inserts (a CHECK, whatever order the transactions run in): they must not stay.
            if (n === 7) await tx.run('INSERT INTO group_commit_probe (n) VALUES ($1)', [-1]);
            return n;
          }),
        ),
      );
      expect(results.filter((result) => result.status === 'rejected')).toHaveLength(1);
      expect(results[7]).toMatchObject({ status: 'rejected', reason: expect.any(Error) });
      expect(results[8]).toEqual({ status: 'fulfilled', value: 8 });
      const rows = await t.store.db.all<{ n: number }>('SELECT n FROM group_commit_probe ORDER BY n');
      expect(rows.map((row) => row.n)).toEqual(
        Array.from({ length: 20 }, (_, n) => n)
          .filter((n) => n !== 7)
          .flatMap((n) => [n * 10, n * 10 + 1]),
      );
      if (raw) expect(commits).toHaveLength(1);
    } finally {
      if (raw && exec) raw.exec = exec as typeof raw.exec;
      await t.store.db.exec('DROP TABLE group_commit_probe');
    }
  });

  it('records each migration once and applies none twice', async () => {
    const applied = (await t.store.db.all<{ name: string }>('SELECT name FROM schema_migrations')).map((row) => row.name);
    expect(applied).toEqual([
      '001-initial.sql',
      '002-connection-checks.sql',
      '003-activity-log.sql',
      '004-check-order.sql',
      '005-list-version.sql',
      '006-activity-client-address.sql',
      '007-provider-lifetime-config-version.sql',
      '008-check-cancel.sql',
      '009-api-keys.sql',
      '010-users.sql',
      '011-oidc.sql',
      '012-accountability.sql',
      '013-check-schedules.sql',
      '014-check-started-by.sql',
      '015-iam-roles.sql',
      '016-webhooks.sql',
      '017-actor-references.sql',
      '018-external-ids.sql',
      '019-check-cleanup.sql',
      '020-activity-indexes.sql',
      '021-list-columns.sql',
      '022-row-revision.sql',
      '023-cancelled-checks.sql',
      '024-ended-sessions.sql',
      '025-last-check-fix.sql',
    ]);
    expect(await migrate(t.store.db)).toEqual([]);
  });

  it('stops at startup when the key is not the one the data was written with', async () => {
    const dataDir = tempDataDir();
    const store = await openStore({ dataDir, cipher: createSecretCipher(randomBytes(32)) });
    await store.close();
    const wrong = createSecretCipher(randomBytes(32));
    await expect(openStore({ dataDir, cipher: wrong })).rejects.toThrow(EncryptionKeyError);
    await expect(openStore({ dataDir, cipher: wrong })).rejects.toThrow(/not the one the data .* was encrypted with/);
  });

  it('opens again with the right key', async () => {
    const dataDir = tempDataDir();
    const key = randomBytes(32);
    (await openStore({ dataDir, cipher: createSecretCipher(key) })).close();
    const again = await openStore({ dataDir, cipher: createSecretCipher(key) });
    expect(await again.destinations.list()).toEqual([]);
    await again.close();
  });
});

describe('finishing a check', () => {
  const result = { reason: 'r', steps: [], identity: null, region: null };
  const scheduleFor = async () => {
    const { id } = (await t.request({ method: 'POST', url: '/api/v1/destinations', body: destinationBody() })).json();
    const check = await t.store.checks.create({ destinationId: id });
    return { id, checkId: check.id };
  };
  const expiredFlag = async (id: string) =>
    (await t.store.db.get<{ expired_by_check: number }>('SELECT expired_by_check FROM destinations WHERE id = $1', [id]))?.expired_by_check;

  it('marks the credentials expired in the same write that records an ExpiredToken result', async () => {
    const { id, checkId } = await scheduleFor();
    expect(await t.store.checks.finish(checkId, { ...result, status: 'FAILURE', expiredToken: true })).toBe(true);
    expect(await expiredFlag(id)).toBe(1);
    const version = (await t.store.destinations.findById(id))?.version;
    const next = await t.store.checks.create({ destinationId: id });
    await t.store.checks.finish(next.id, { ...result, status: 'SUCCESS' });
    expect(await expiredFlag(id)).toBe(0);
    expect((await t.store.destinations.findById(id))?.version).toBe(version);
  });

  it('leaves the mark alone on other failures and on a check that already finished', async () => {
    const { id, checkId } = await scheduleFor();
    await t.store.checks.finish(checkId, { ...result, status: 'FAILURE', expiredToken: true });
    const failed = await t.store.checks.create({ destinationId: id });
    await t.store.checks.finish(failed.id, { ...result, status: 'FAILURE' });
    expect(await expiredFlag(id)).toBe(1);
    expect(await t.store.checks.finish(checkId, { ...result, status: 'SUCCESS' })).toBe(false);
    expect(await expiredFlag(id)).toBe(1);
  });
});

describe('claiming checks', () => {
  // Several instances claim from one queue; on PostgreSQL an UPDATE … WHERE id IN (SELECT … LIMIT n FOR UPDATE SKIP
  // LOCKED) could take more rows than n when claims raced (the planner may run the subquery again for rows another
  // claim had changed): a worker asking for its one free slot started two checks. Seen as 2–8 of ~25,000 racing
  // claims in 8 s against PostgreSQL 15; none with the subquery materialized first.
  it('never takes more checks than asked, nor a check another claim took, with claims racing', async () => {
    const store = await openStore({
      dataDir: tempDataDir(),
      databaseUrl: ON_POSTGRES ? await freshSchema() : null,
      cipher: createSecretCipher(randomBytes(32)),
    });
    try {
      const config = normalizeS3Config({ remote_url: 's3://bucket/claims/', endpoint_url: 'http://127.0.0.1:9/', key: 'k', secret: 's' });
      // A fixed amount of work, not a time window: the race is judged by what happened, whatever the machine's speed.
      const perScheduler = ON_POSTGRES ? 1_500 : 300;
      const over: string[] = [];
      const taken = new Map<string, string>();
      let claimedWhileScheduling = 0;
      let scheduling = 2;
      const schedule = async () => {
        for (let i = 0; i < perScheduler; i++) {
          await store.checks.create({ destinationId: null, config });
          // A turn of the event loop between writes, as requests and worker ticks have (SQLite commits in batches per turn).
          await setImmediate();
        }
        scheduling -= 1;
      };
      const claiming = async (worker: number) => {
        const limit = 1 + (worker % 3);
        // Until every check scheduled has been taken.
        while (scheduling > 0 || taken.size < 2 * perScheduler) {
          const claimed = await store.checks.claim(`worker-${worker}`, new Date(Date.now() + 60_000), limit);
          if (scheduling > 0) claimedWhileScheduling += claimed.length;
          if (claimed.length > limit) over.push(`worker-${worker} asked for ${limit} and took ${claimed.length}`);
          for (const check of claimed) {
            const before = taken.get(check.id);
            if (before) over.push(`${check.id} taken by ${before} and worker-${worker}`);
            taken.set(check.id, `worker-${worker}`);
          }
          await setImmediate();
        }
      };
      await Promise.all([schedule(), schedule(), ...Array.from({ length: 6 }, (_, worker) => claiming(worker))]);
      expect(over).toEqual([]);
      // Every check taken once; and the race was there to be lost: claims raced while checks were being scheduled.
      expect(taken.size).toBe(2 * perScheduler);
      expect(claimedWhileScheduling).toBeGreaterThan(0);
    } finally {
      await store.close();
    }
  }, 60_000);
});

describe('the check queue shares its slots between principals', () => {
  it('claims by turns: each principal’s first waiting check before anyone’s second, counting what each has running', async () => {
    const store = await openStore({
      dataDir: tempDataDir(),
      databaseUrl: ON_POSTGRES ? await freshSchema() : null,
      cipher: createSecretCipher(randomBytes(32)),
    });
    try {
      const config = normalizeS3Config({ remote_url: 's3://bucket/fair/', endpoint_url: 'http://127.0.0.1:9/', key: 'k', secret: 's' });
      const script = { kind: 'api_key' as const, id: '00000000-0000-4000-8000-00000000000a', label: 'API key "script"' };
      const person = { kind: 'user' as const, id: '00000000-0000-4000-8000-00000000000b', label: 'ana@corp.example' };
      const by = new Map<string, string>();
      // A script asks for six checks, then a person for one.
      for (let i = 0; i < 6; i++) by.set((await store.checks.create({ destinationId: null, config, startedBy: script })).id, `script ${i + 1}`);
      by.set((await store.checks.create({ destinationId: null, config, startedBy: person })).id, 'person');
      const claim = async (n: number) => (await store.checks.claim('worker', new Date(Date.now() + 60_000), n)).map((check) => by.get(check.id));
      // Both first checks share the two slots; the person did not wait behind the script's six.
      expect((await claim(2)).sort()).toEqual(['person', 'script 1']);
      expect(await claim(1)).toEqual(['script 2']);
      // The person asks again while the script holds two slots: the person's turn (1 running + 1) beats the script's third (2 + 1).
      by.set((await store.checks.create({ destinationId: null, config, startedBy: person })).id, 'person again');
      expect(await claim(1)).toEqual(['person again']);
      expect(await claim(10)).toEqual(['script 3', 'script 4', 'script 5', 'script 6']);
    } finally {
      await store.close();
    }
  });
});

describe('migration 017: actors by reference', () => {
  it('gives entries from before their kind and id where the label names a key or a user, and leaves the rest as they were', async () => {
    const db = ON_POSTGRES ? openPostgres(await freshSchema()) : openSqlite(path.join(tempDataDir(), 'migrate.sqlite'));
    try {
      await migrate(db, '016-webhooks.sql');
      await db.run(`INSERT INTO users (id, email, name, role, created_at, updated_at) VALUES ('u1', 'Ana@corp.example', 'Ana', 'editor', 'x', 'x')`);
      await db.run(
        `INSERT INTO api_keys (id, name, key_hash, prefix, role, owner, created_at) VALUES ('k1', 'ci', 'h', 's3dk_ab12', 'editor', 'u1', 'x')`,
      );
      for (const actor of ['ana@corp.example', 'API key "ci" (s3dk_ab12…)', 'API key "gone" (s3dk_zz99…)', null]) {
        await db.run("INSERT INTO activity_log (destination_id, kind, outcome, at, actor) VALUES (NULL, 'settings.changed', 'ok', 'x', $1)", [actor]);
      }
      await migrate(db);
      const rows = await db.all<{ actor: string | null; actor_kind: string | null; actor_id: string | null }>(
        'SELECT actor, actor_kind, actor_id FROM activity_log ORDER BY id',
      );
      expect(rows).toEqual([
        { actor: 'ana@corp.example', actor_kind: 'user', actor_id: 'u1' },
        { actor: 'API key "ci" (s3dk_ab12…)', actor_kind: 'api_key', actor_id: 'k1' },
        { actor: 'API key "gone" (s3dk_zz99…)', actor_kind: null, actor_id: null },
        { actor: null, actor_kind: null, actor_id: null },
      ]);
    } finally {
      await db.close();
    }
  });
});

describe('the activity log', () => {
  it('gives entries from before migration 020 their group, and keeps what is newer than the retention period, deleting the rest a batch at a time', async () => {
    const db = ON_POSTGRES ? openPostgres(await freshSchema()) : openSqlite(path.join(tempDataDir(), 'activity.sqlite'));
    try {
      await migrate(db, '019-check-cleanup.sql');
      const old = '2020-01-01T00:00:00.000Z';
      for (const kind of ['session.signed_in', 'api_key.created', 'destination.updated', 'check.finished', 'user.invited']) {
        await db.run("INSERT INTO activity_log (destination_id, kind, outcome, at) VALUES (NULL, $1, 'ok', $2)", [kind, old]);
      }
      await migrate(db);
      expect(await db.all<{ kind: string; kind_group: string }>('SELECT kind, kind_group FROM activity_log ORDER BY id')).toEqual([
        { kind: 'session.signed_in', kind_group: 'sign_ins' },
        { kind: 'api_key.created', kind_group: 'people' },
        { kind: 'destination.updated', kind_group: 'connectors' },
        { kind: 'check.finished', kind_group: 'checks' },
        { kind: 'user.invited', kind_group: 'people' },
      ]);
      const activity = createActivityRepository(db);
      await activity.record({ destinationId: null, kind: 'settings.changed', outcome: 'ok' });
      const cutoff = new Date('2025-01-01T00:00:00.000Z');
      // Batches of 2, at most 2 a call: 4 of the 5 old ones, then the last; the new one stays.
      expect(await activity.deleteOlderThan(cutoff, 2, 2)).toBe(4);
      expect(await activity.deleteOlderThan(cutoff, 2, 2)).toBe(1);
      expect(await activity.deleteOlderThan(cutoff, 2, 2)).toBe(0);
      expect((await db.all<{ kind: string }>('SELECT kind FROM activity_log')).map((row) => row.kind)).toEqual(['settings.changed']);
    } finally {
      await db.close();
    }
  });
});

describe('the list columns on each destination (migration 021)', () => {
  const summaryOnRow = (id: string) =>
    t.store.db.get<{ last_check_id: string | null; last_check_status: string | null; last_check_at: string | null }>(
      'SELECT last_check_id, last_check_status, last_check_at FROM destinations WHERE id = $1',
      [id],
    );

  it('follow the latest check through insert, finish and cancel, written in the same transaction', async () => {
    const { id } = (await t.request({ method: 'POST', url: '/api/v1/destinations', body: destinationBody() })).json();
    expect(await summaryOnRow(id)).toEqual({ last_check_id: null, last_check_status: null, last_check_at: null });
    const first = await t.store.checks.create({ destinationId: id });
    expect(await summaryOnRow(id)).toEqual({ last_check_id: first.id, last_check_status: 'SCHEDULED', last_check_at: first.created_at });
    await t.store.checks.finish(first.id, { status: 'SUCCESS', reason: null, steps: [], identity: null, region: null });
    expect(await summaryOnRow(id)).toMatchObject({ last_check_id: first.id, last_check_status: 'SUCCESS' });
    const second = await t.store.checks.create({ destinationId: id });
    expect(await summaryOnRow(id)).toMatchObject({ last_check_id: second.id, last_check_status: 'SCHEDULED' });
    expect(await t.store.checks.requestCancel(second.id)).toBe('cancelled');
    // A cancel is neither a pass nor a failure: the summary goes back to the check before.
    expect(await summaryOnRow(id)).toMatchObject({ last_check_id: first.id, last_check_status: 'SUCCESS' });
    const latest = await t.store.checks.latestSummary(id);
    expect(await summaryOnRow(id)).toEqual({ last_check_id: latest?.id, last_check_status: latest?.status, last_check_at: latest?.created_at });
  });

  it('keep the name lower-cased, the searched text and the expiry of temporary credentials, on create and on update', async () => {
    const expires = new Date(Date.now() + 4 * 3_600_000).toISOString();
    const body = destinationBody(
      { key: 'ASIAIOSFODNN7EXAMPLE', token: 'aTokenOfTheTests', token_expires_at: expires },
      `Ünïcode Name ${randomBytes(3).toString('hex')}`,
    );
    const response = await t.request({ method: 'POST', url: '/api/v1/destinations', body });
    expect(response.statusCode, response.body).toBe(200);
    const made = response.json();
    const row = () =>
      t.store.db.get<{ name_key: string; search_text: string; expires_key: string | null; warn_from: string | null }>(
        'SELECT name_key, search_text, expires_key, warn_from FROM destinations WHERE id = $1',
        [made.id],
      );
    const before = await row();
    expect(before?.name_key).toBe(body.name.toLowerCase());
    expect(before?.search_text.startsWith(`${body.name.toLowerCase()}\ns3://`)).toBe(true);
    expect(before?.expires_key).toBe(expires);
    // A 4-hour lifetime warns in its last quarter: one hour before.
    expect(Math.abs(Date.parse(expires) - Date.parse(before?.warn_from ?? '') - 3_600_000)).toBeLessThan(1_000);
    await t.request({
      method: 'PUT',
      url: `/api/v1/destinations/${made.id}`,
      headers: { 'if-match': `"${made.version}"` },
      body: { name: 'Renamed', config: { key: 'AKIAIOSFODNN7EXAMPLE', token: null, secret: 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY' } },
    });
    expect(await row()).toMatchObject({ name_key: 'renamed', expires_key: null, warn_from: null });
  });

  it('are filled for destinations from before them: the check summary by the migration, the rest at the first start', async () => {
    const db = ON_POSTGRES ? openPostgres(await freshSchema()) : openSqlite(path.join(tempDataDir(), 'list.sqlite'));
    try {
      await migrate(db, '020-activity-indexes.sql');
      await db.run(
        "INSERT INTO destinations (id, name, type, remote_url, created_at, updated_at) VALUES ('d1', 'Öld One', 's3', 's3://old/', 'x', 'x')",
      );
      await db.run(
        "INSERT INTO connection_checks (id, destination_id, status, steps, created_at, seq) VALUES ('c1', 'd1', 'SUCCESS', '[]', '2026-01-01T00:00:00.000Z', 1)",
      );
      await migrate(db);
      expect(await backfillListColumns(db)).toBe(1);
      expect(await db.get('SELECT name_key, search_text, last_check_id, last_check_status FROM destinations')).toEqual({
        name_key: 'öld one',
        search_text: 'öld one\ns3://old/\n',
        last_check_id: 'c1',
        last_check_status: 'SUCCESS',
      });
      expect(await backfillListColumns(db)).toBe(0);
    } finally {
      await db.close();
    }
  });
});

describe('the PostgreSQL pool', () => {
  it.skipIf(!ON_POSTGRES)('holds at most DATABASE_POOL_SIZE connections (skipped on SQLite: no pool)', async () => {
    const own = await buildTestApp({ databasePoolSize: 3 });
    try {
      const { pool } = own.store.db as unknown as { pool: { options: { max: number }; totalCount: number } };
      expect(pool.options.max).toBe(3);
      // Ten reads at once share three connections.
      await Promise.all(Array.from({ length: 10 }, () => own.store.db.all('SELECT pg_sleep(0.01)')));
      expect(pool.totalCount).toBeLessThanOrEqual(3);
    } finally {
      await own.close();
    }
  });
});

describe('the trigram index on PostgreSQL', () => {
  it.skipIf(!ON_POSTGRES)('starts all the same, saying so, when it may not turn the pending list off (skipped on SQLite: FTS5)', async () => {
    const own = await buildTestApp();
    try {
      await own.store.db.exec('ALTER INDEX destinations_search_trgm SET (fastupdate = on)');
      // As for an index a database administrator owns: the app's ALTER is refused.
      const refusing = new Proxy(own.store.db, {
        get: (target, name, receiver) =>
          name === 'exec'
            ? async (sql: string) =>
                sql.startsWith('ALTER INDEX') ? Promise.reject(new Error('must be owner of index destinations_search_trgm')) : target.exec(sql)
            : Reflect.get(target, name, receiver),
      });
      expect(await ensureSearchIndex(refusing)).toBe('pending-list');
      expect(await ensureSearchIndex(own.store.db)).toBe('ready');
    } finally {
      await own.close();
    }
  });

  const options = async (t: TestApp) =>
    (
      await t.store.db.get<{ options: string[] | null }>(
        `SELECT c.reloptions AS options FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
          WHERE n.nspname = current_schema() AND c.relname = 'destinations_search_trgm'`,
      )
    )?.options;

  it.skipIf(!ON_POSTGRES)(
    'has no pending list, and one made with it loses it at the next start, its entries merged (skipped on SQLite: FTS5)',
    async () => {
      const first = await buildTestApp();
      expect(first.store.searchIndex).toBe('made');
      expect(await options(first)).toEqual(['fastupdate=off']);
      // As an earlier version made it: with the pending list, holding a row not yet merged.
      await first.store.db.exec('ALTER INDEX destinations_search_trgm SET (fastupdate = on)');
      const made = await first.request({ method: 'POST', url: '/api/v1/destinations', body: destinationBody({}, 'Pending zq9 row') });
      expect(made.statusCode).toBe(200);
      const pending = async (t: TestApp) =>
        Number((await t.store.db.get<{ n: string }>("SELECT pending_tuples AS n FROM pgstatginindex('destinations_search_trgm')"))?.n);
      const hasPgstattuple = await first.store.db.exec('CREATE EXTENSION IF NOT EXISTS pgstattuple').then(
        () => true,
        () => false,
      );
      if (hasPgstattuple) expect(await pending(first)).toBeGreaterThan(0);
      await first.close({ keepData: true });
      const again = await buildTestApp({ dataDir: first.config.dataDir, databaseUrl: first.config.databaseUrl }, { key: first.key });
      try {
        expect(await options(again)).toEqual(['fastupdate=off']);
        if (hasPgstattuple) expect(await pending(again)).toBe(0);
        const found = await again.request({ method: 'GET', url: '/api/v1/destinations?q=zq9&limit=5' });
        expect(found.json().map((d: { name: string }) => d.name)).toEqual(['Pending zq9 row']);
      } finally {
        await again.close();
      }
    },
  );
});

describe('row_revision (migration 022)', () => {
  it('moves with every change to a destination’s row, whatever statement made it', async () => {
    const own = await buildTestApp();
    try {
      const { id } = await own.store.destinations.create({
        name: 'Revised',
        config: normalizeS3Config({ remote_url: 's3://bucket/', anonymous: true }),
      });
      const revision = async () =>
        Number((await own.store.db.get<{ r: number }>('SELECT row_revision AS r FROM destinations WHERE id = $1', [id]))?.r);
      const seen = [await revision()];
      // Through the app: a rename; a check queued and finished (its summary on the row).
      const renamed = await own.request({
        method: 'PUT',
        url: `/api/v1/destinations/${id}`,
        body: { name: 'Revised again' },
        headers: { 'if-match': '"1"' },
      });
      expect(renamed.statusCode, renamed.body).toBe(200);
      seen.push(await revision());
      const check = await own.store.checks.create({ destinationId: id });
      seen.push(await revision());
      await own.store.checks.finish(check.id, { status: 'SUCCESS', reason: null, steps: [], identity: null, region: null });
      seen.push(await revision());
      // Any other statement, as a later migration or another version might write.
      await own.store.db.run('UPDATE destinations SET next_check_at = $2 WHERE id = $1', [id, '2030-01-01T00:00:00.000Z']);
      seen.push(await revision());
      for (let i = 1; i < seen.length; i++) expect(seen[i], `change ${i}`).toBeGreaterThan(seen[i - 1] as number);
    } finally {
      await own.close();
    }
  });
});
