import Database from 'better-sqlite3';
import { ensurePrivateDir, ensurePrivateFile } from '../security/private-files.ts';
import path from 'node:path';
import pg from 'pg';

/**
 * The one seam between the repositories and a database: SQL with `$1…$n` parameters that both SQLite and PostgreSQL
 * run as written, a few rows back, and transactions. Values are strings, numbers and nulls only (booleans are stored
 * as 0/1 integers in both dialects), so a row reads the same whichever store produced it.
 */
export type SqlValue = string | number | null;
export type Dialect = 'sqlite' | 'postgres';

export interface Sql {
  readonly dialect: Dialect;
  /** The rows a statement returns (a SELECT, or a write with RETURNING). */
  all<T>(sql: string, params?: SqlValue[]): Promise<T[]>;
  get<T>(sql: string, params?: SqlValue[]): Promise<T | undefined>;
  /** Runs a write; resolves with the number of rows it changed. */
  run(sql: string, params?: SqlValue[]): Promise<number>;
  /** Runs a script of several statements without parameters (the migrations). */
  exec(sql: string): Promise<void>;
}

/** PostgreSQL's LISTEN/NOTIFY: how instances sharing one database tell each other at once that something changed. */
export interface Notifications {
  notify(channel: string, payload: string): Promise<void>;
  /** Listens on a connection of its own; resolves with the function that stops listening. */
  listen(channel: string, onMessage: (payload: string) => void): Promise<() => Promise<void>>;
}

export interface SqlDatabase extends Sql {
  /** Set on PostgreSQL only: SQLite is one process, which needs nobody told. */
  readonly notifications?: Notifications;
  /**
   * Runs `work` in one transaction that takes the write lock up front (SQLite: BEGIN IMMEDIATE; PostgreSQL: row locks as
   * the statements take them): all of it commits, or none of it.
   */
  transaction<T>(work: (tx: Sql) => Promise<T>): Promise<T>;
  /**
   * The same statements, for writes a power cut may take back: a running check's progress (a restart ends that check
   * anyway, and its outcome is written durably). SQLite commits them without waiting for the disk — synchronous=NORMAL
   * for that statement; the WAL keeps their order and the next FULL commit syncs them with it — where a fsync per
   * progress write held the event loop (0.3 ms each here, ~1 ms under load: 3 s of a 400-check run). PostgreSQL's
   * commits wait on the database server, not on this process's loop, so it runs them as any other.
   */
  readonly unsynced: Sql;
  close(): Promise<void>;
}

/** A write refused by a UNIQUE constraint, in either dialect. */
export class UniqueViolationError extends Error {
  constructor(cause: unknown) {
    super('unique constraint violated', { cause });
  }

  /** Whether the constraint refused is on this column (SQLite names it in the message; PostgreSQL names the index). */
  concerns(column: string): boolean {
    const cause = this.cause as { message?: unknown; constraint?: unknown };
    return String(cause.message ?? '').includes(`.${column}`) || String(cause.constraint ?? '').includes(column);
  }
}

const isUniqueViolation = (error: unknown) =>
  error instanceof Error && 'code' in error && (error.code === 'SQLITE_CONSTRAINT_UNIQUE' || error.code === '23505');

async function translateErrors<T>(work: () => Promise<T> | T): Promise<T> {
  try {
    return await work();
  } catch (error) {
    if (isUniqueViolation(error)) throw new UniqueViolationError(error);
    throw error;
  }
}

/** SQLite: better-sqlite3 with WAL, synchronous=FULL and foreign keys; `$n` becomes `?n`. */
export type SqliteDatabase = SqlDatabase & { raw: Database.Database };

/** The better-sqlite3 handle under a SQLite store (its pragmas, its file), or null on PostgreSQL. */
export const sqliteHandle = (db: SqlDatabase): Database.Database | null => ('raw' in db ? (db as SqliteDatabase).raw : null);

/** The SQLite driver is native code: when it cannot load here, say what to run, not the loader's words. */
export class NativeModuleError extends Error {}

function openNative(file: string): Database.Database {
  try {
    return new Database(file);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (
      code === 'ERR_DLOPEN_FAILED' ||
      /NODE_MODULE_VERSION|invalid ELF|wrong ELF class|Could not locate the bindings file/.test((error as Error).message)
    ) {
      throw new NativeModuleError(
        `The SQLite driver (better-sqlite3) was not built for this Node.js (${process.version}, ${process.platform}-${process.arch}): run npm rebuild better-sqlite3, or npm ci, with the Node.js that runs the app`,
      );
    }
    throw error;
  }
}

export function openSqlite(file: string): SqliteDatabase {
  ensurePrivateDir(path.dirname(file));
  ensurePrivateFile(file, [`${file}-wal`, `${file}-shm`]);
  const db = openNative(file);
  db.pragma('journal_mode = WAL');
  // FULL: a create answered 200 survives a power cut, not only a process crash.
  db.pragma('synchronous = FULL');
  db.pragma('foreign_keys = ON');
  db.pragma('busy_timeout = 5000');

  // `$n` becomes a positional `?`, the values put in the order the placeholders appear (a `$n` may appear twice).
  const statements = new Map<string, { statement: Database.Statement; order: number[] }>();
  const bind = (sql: string, params: SqlValue[]) => {
    let prepared = statements.get(sql);
    if (!prepared) {
      const order: number[] = [];
      const statement = db.prepare(sql.replace(/\$(\d+)/g, (_, n: string) => (order.push(Number(n) - 1), '?')));
      prepared = { statement, order };
      statements.set(sql, prepared);
    }
    return { statement: prepared.statement, values: prepared.order.map((index) => params[index] ?? null) };
  };
  const direct: Sql = {
    dialect: 'sqlite',
    all: <T>(sql: string, params: SqlValue[] = []) =>
      translateErrors(() => {
        const { statement, values } = bind(sql, params);
        return statement.all(...values) as T[];
      }),
    get: <T>(sql: string, params: SqlValue[] = []) =>
      translateErrors(() => {
        const { statement, values } = bind(sql, params);
        return statement.get(...values) as T | undefined;
      }),
    run: (sql: string, params: SqlValue[] = []) =>
      translateErrors(() => {
        const { statement, values } = bind(sql, params);
        return statement.run(...values).changes;
      }),
    exec: (sql: string) => translateErrors(() => void db.exec(sql)),
  };

  // One connection: while a transaction awaits between its statements, nothing else may run on it, or that work
  // would join the transaction. Everything outside waits for the transactions in progress.
  //
  // Group commit: transactions asked for in the same turn of the event loop — a burst of requests read from many
  // sockets at once — run one after another inside one SQLite transaction, each in a savepoint of its own (all of it
  // or none of it, as before), and share one COMMIT, so one fsync, before any of them resolves. 200 check starts
  // arriving together were 200 commits, each ~1 ms of the event loop under load.
  type Queued = { work: (tx: Sql) => Promise<unknown>; resolve: (value: unknown) => void; reject: (error: unknown) => void };
  let queued: Queued[] = [];
  let scheduled = false;
  let open = false;
  let flushing: Promise<void> = Promise.resolve();
  const outside = async <R>(work: () => Promise<R>): Promise<R> => {
    while (open) await flushing;
    return work();
  };
  const settle = (batch: Queued[], results: { ok: boolean; value: unknown }[]) =>
    batch.forEach((item, index) => (results[index]?.ok ? item.resolve(results[index].value) : item.reject(results[index]?.value)));
  const flush = async () => {
    const batch = queued;
    queued = [];
    scheduled = false;
    if (batch.length === 0) return; // taken by the flush before
    open = true;
    const results: { ok: boolean; value: unknown }[] = [];
    try {
      db.exec('BEGIN IMMEDIATE');
      for (const item of batch) {
        db.exec('SAVEPOINT work');
        try {
          results.push({ ok: true, value: await item.work(direct) });
          db.exec('RELEASE work');
        } catch (error) {
          // An error SQLite answers by rolling back the whole transaction (a full disk) takes the batch with it.
          if (!db.inTransaction) throw error;
          db.exec('ROLLBACK TO work');
          db.exec('RELEASE work');
          results.push({ ok: false, value: error });
        }
      }
      db.exec('COMMIT');
    } catch (error) {
      if (db.inTransaction) db.exec('ROLLBACK');
      results.splice(0, results.length, ...batch.map(() => ({ ok: false, value: error })));
    } finally {
      open = false;
    }
    settle(batch, results);
  };

  // Outside any transaction, so the relaxed setting covers this one commit and nothing else; better-sqlite3 runs the
  // three synchronously, so no other statement comes between them.
  const unsyncedly = <R>(work: () => Promise<R>) =>
    outside(() => {
      db.pragma('synchronous = NORMAL');
      try {
        return work();
      } finally {
        db.pragma('synchronous = FULL');
      }
    });

  return {
    dialect: 'sqlite',
    raw: db,
    all: (sql, params) => outside(() => direct.all(sql, params)),
    get: (sql, params) => outside(() => direct.get(sql, params)),
    run: (sql, params) => outside(() => direct.run(sql, params)),
    exec: (sql) => outside(() => direct.exec(sql)),
    unsynced: {
      dialect: 'sqlite',
      all: (sql, params) => unsyncedly(() => direct.all(sql, params)),
      get: (sql, params) => unsyncedly(() => direct.get(sql, params)),
      run: (sql, params) => unsyncedly(() => direct.run(sql, params)),
      exec: (sql) => unsyncedly(() => direct.exec(sql)),
    },
    transaction<T>(work: (tx: Sql) => Promise<T>): Promise<T> {
      return new Promise<T>((resolve, reject) => {
        queued.push({ work, resolve: resolve as (value: unknown) => void, reject });
        if (scheduled) return;
        scheduled = true;
        // After the other callbacks of this turn (each request read in it) have asked for theirs.
        setImmediate(() => (flushing = flushing.then(flush)));
      });
    },
    async close() {
      while (scheduled || open) await new Promise((resolve) => setImmediate(resolve)).then(() => flushing);
      db.close();
    },
  };
}

// COUNT(*) and BIGINT come back from pg as strings; the schema keeps to INTEGER, and this turns int8 into numbers.
pg.types.setTypeParser(pg.types.builtins.INT8, (value) => Number(value));

/** PostgreSQL through a `pg` pool. */
/**
 * PostgreSQL through a pool of `max` connections (DATABASE_POOL_SIZE, 20 by default). At node-postgres's default of
 * 10, a burst of 200 check starts on new connections held the pool with its transactions (each holds a connection
 * for several round trips, each waiting its turn on a busy event loop) and the list's queries waited behind them:
 * first page p99 3.2–3.8× idle at 1,000 connectors; 2.1× at 20, 1.9× at 30 (docs/benchmarks-bursts.md).
 */
export function openPostgres(
  connectionString: string,
  options: { max?: number } = {},
): SqlDatabase & { pool: pg.Pool; notifications: Notifications } {
  const pool = new pg.Pool({ connectionString, max: options.max ?? 20 });
  // An idle client that loses its connection must not take the process down; the next query gets a new one.
  pool.on('error', () => undefined);
  const over = (client: pg.Pool | pg.PoolClient): Sql => ({
    dialect: 'postgres',
    all: <T>(sql: string, params: SqlValue[] = []) => translateErrors(async () => (await client.query(sql, params)).rows as T[]),
    get: <T>(sql: string, params: SqlValue[] = []) => translateErrors(async () => (await client.query(sql, params)).rows[0] as T | undefined),
    run: (sql: string, params: SqlValue[] = []) => translateErrors(async () => (await client.query(sql, params)).rowCount ?? 0),
    exec: (sql: string) => translateErrors(async () => void (await client.query(sql))),
  });
  const notifications: Notifications = {
    async notify(channel, payload) {
      await pool.query('SELECT pg_notify($1, $2)', [channel, payload]);
    },
    async listen(channel, onMessage) {
      const client = new pg.Client({ connectionString });
      // A lost listening connection only slows other instances' streams down to their store poll.
      client.on('error', () => undefined);
      client.on('notification', (message) => {
        if (message.channel === channel && message.payload !== undefined) onMessage(message.payload);
      });
      await client.connect();
      await client.query(`LISTEN ${pg.escapeIdentifier(channel)}`);
      return () => client.end();
    },
  };
  return {
    ...over(pool),
    unsynced: over(pool),
    pool,
    notifications,
    async transaction<T>(work: (tx: Sql) => Promise<T>): Promise<T> {
      const client = await pool.connect();
      try {
        await client.query('BEGIN');
        const result = await work(over(client));
        await client.query('COMMIT');
        return result;
      } catch (error) {
        await client.query('ROLLBACK').catch(() => undefined);
        throw error;
      } finally {
        client.release();
      }
    },
    close: () => pool.end(),
  };
}
