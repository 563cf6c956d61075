import type { Activity, ActivityKind } from '../../shared/activity-schemas.ts';
import type { Sql } from './sql.ts';

export function createActivityRepository(db: Sql) {
  return {
    async record(entry: {
      destinationId: string | null;
      kind: ActivityKind;
      outcome: 'ok' | 'failed';
      detail?: string | null;
      clientAddress?: string | null;
      /** Who acted ("admin", or an API key by name and prefix); null for the server's own work. */
      actor?: string | null;
    }, sql: Sql = db): Promise<void> {
      await sql.run('INSERT INTO activity_log (destination_id, kind, outcome, detail, at, client_address, actor) VALUES ($1, $2, $3, $4, $5, $6, $7)', [
        entry.destinationId,
        entry.kind,
        entry.outcome,
        entry.detail ?? null,
        new Date().toISOString(),
        entry.clientAddress ?? null,
        entry.actor ?? null,
      ]);
    },
    /** Sign-ins, sign-outs and failed attempts, newest first, with the address they came from. */
    async sessionEvents(limit = 100): Promise<(Activity & { client_address: string | null })[]> {
      return db.all(
        "SELECT kind, outcome, detail, at, actor, client_address FROM activity_log WHERE kind LIKE 'session.%' ORDER BY id DESC LIMIT $1",
        [limit],
      );
    },
    /** What was done with API keys (created, revoked), newest first. */
    async apiKeyEvents(limit = 100): Promise<Activity[]> {
      return db.all("SELECT kind, outcome, detail, at, actor FROM activity_log WHERE kind LIKE 'api_key.%' ORDER BY id DESC LIMIT $1", [limit]);
    },
    async forDestination(destinationId: string, limit = 100): Promise<Activity[]> {
      return db.all<Activity>('SELECT kind, outcome, detail, at, actor FROM activity_log WHERE destination_id = $1 ORDER BY id DESC LIMIT $2', [
        destinationId,
        limit,
      ]);
    },
  };
}

export type ActivityRepository = ReturnType<typeof createActivityRepository>;
