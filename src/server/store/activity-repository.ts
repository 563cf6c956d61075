import { activityGroupOf } from '#shared/activity-labels';
import { type Activity, type ActivityEntry, type ActivityGroup, type ActivityKind, type Actor, type ActorKind } from '#shared/activity-schemas';
import type { Sql, SqlDatabase } from './sql.ts';

/** Held by the instance sweeping old activity (PostgreSQL): one sweeps, the others skip that round. */
const RETENTION_LOCK = 7_314_004;

export function createActivityRepository(db: SqlDatabase) {
  return {
    async record(
      entry: {
        destinationId: string | null;
        kind: ActivityKind;
        outcome: 'ok' | 'failed';
        detail?: string | null;
        clientAddress?: string | null;
        /** Who acted (a user, an API key); null for the server's own work. */
        actor?: Actor | null;
      },
      sql: Sql = db,
    ): Promise<void> {
      await sql.run(
        'INSERT INTO activity_log (destination_id, kind, outcome, detail, at, client_address, actor, actor_kind, actor_id, kind_group) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)',
        [
          entry.destinationId,
          entry.kind,
          entry.outcome,
          entry.detail ?? null,
          new Date().toISOString(),
          entry.clientAddress ?? null,
          entry.actor?.label ?? null,
          entry.actor?.kind ?? null,
          entry.actor?.id ?? null,
          activityGroupOf(entry.kind),
        ],
      );
    },
    /** Sign-ins, sign-outs and failed attempts, newest first, with the address they came from. */
    async sessionEvents(limit = 100): Promise<(Activity & { client_address: string | null })[]> {
      return db.all(
        "SELECT kind, outcome, detail, at, actor, actor_kind, actor_id, client_address FROM activity_log WHERE kind_group = 'sign_ins' ORDER BY id DESC LIMIT $1",
        [limit],
      );
    },
    /** What was done with API keys (created, revoked), newest first. */
    async apiKeyEvents(limit = 100): Promise<Activity[]> {
      // Two kinds, each read newest first through its index, merged.
      return db.all(
        `SELECT kind, outcome, detail, at, actor, actor_kind, actor_id FROM (
           SELECT * FROM (SELECT id, kind, outcome, detail, at, actor, actor_kind, actor_id FROM activity_log WHERE kind = 'api_key.created' ORDER BY id DESC LIMIT $1) AS created
           UNION ALL
           SELECT * FROM (SELECT id, kind, outcome, detail, at, actor, actor_kind, actor_id FROM activity_log WHERE kind = 'api_key.revoked' ORDER BY id DESC LIMIT $1) AS revoked
         ) AS keys ORDER BY id DESC LIMIT $1`,
        [limit],
      );
    },
    /** Everything, newest first, a page at a time: of one principal (by kind and id) or one group of kinds. */
    async list(query: {
      actor?: { kind: ActorKind; id: string };
      group?: ActivityGroup;
      before?: number;
      limit: number;
    }): Promise<{ items: ActivityEntry[]; next_before: number | null }> {
      const where: string[] = [];
      const values: (string | number)[] = [];
      const add = (clause: (at: string) => string, value: string | number) => {
        values.push(value);
        where.push(clause(`$${values.length}`));
      };
      if (query.actor !== undefined) {
        add((at) => `a.actor_kind = ${at}`, query.actor.kind);
        add((at) => `a.actor_id = ${at}`, query.actor.id);
      }
      if (query.before !== undefined) add((at) => `a.id < ${at}`, query.before);
      if (query.group !== undefined) add((at) => `a.kind_group = ${at}`, query.group);
      values.push(query.limit + 1);
      const rows = await db.all<ActivityEntry>(
        `SELECT a.id, a.kind, a.outcome, a.detail, a.at, a.actor, a.actor_kind, a.actor_id, a.client_address, a.destination_id, d.name AS destination_name
           FROM activity_log a LEFT JOIN destinations d ON d.id = a.destination_id
          ${where.length > 0 ? `WHERE ${where.join(' AND ')}` : ''}
          ORDER BY a.id DESC LIMIT $${values.length}`,
        values,
      );
      const items = rows.slice(0, query.limit).map((row) => ({ ...row, id: Number(row.id) }));
      return { items, next_before: rows.length > query.limit ? (items.at(-1)?.id ?? null) : null };
    },
    /**
     * Deletes entries older than `before`, a batch at a time (each its own short transaction, so writers are not held
     * up), at most `maxBatches` batches a call; on PostgreSQL only while this instance holds the retention lock, so one
     * instance sweeps at a time. Resolves with how many were deleted.
     */
    async deleteOlderThan(before: Date, batch = 1_000, maxBatches = 50): Promise<number> {
      let deleted = 0;
      for (let i = 0; i < maxBatches; i++) {
        const removed = await db.transaction(async (tx) => {
          if (
            tx.dialect === 'postgres' &&
            !(await tx.get<{ locked: boolean }>('SELECT pg_try_advisory_xact_lock($1) AS locked', [RETENTION_LOCK]))?.locked
          )
            return -1;
          return tx.run(`DELETE FROM activity_log WHERE id IN (SELECT id FROM activity_log WHERE at < $1 ORDER BY at LIMIT ${batch})`, [
            before.toISOString(),
          ]);
        });
        if (removed < 0) break;
        deleted += removed;
        if (removed < batch) break;
      }
      return deleted;
    },
    async forDestination(destinationId: string, limit = 100): Promise<Activity[]> {
      return db.all<Activity>(
        'SELECT kind, outcome, detail, at, actor, actor_kind, actor_id FROM activity_log WHERE destination_id = $1 ORDER BY id DESC LIMIT $2',
        [destinationId, limit],
      );
    },
  };
}

export type ActivityRepository = ReturnType<typeof createActivityRepository>;
