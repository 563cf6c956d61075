import type { Activity, ActivityKind } from '../../shared/activity-schemas.ts';
import type { Db } from './db.ts';

export function createActivityRepository(db: Db) {
  const insert = db.prepare('INSERT INTO activity_log (destination_id, kind, outcome, detail, at) VALUES (?, ?, ?, ?, ?)');
  const selectFor = db.prepare('SELECT kind, outcome, detail, at FROM activity_log WHERE destination_id = ? ORDER BY id DESC LIMIT ?');
  return {
    async record(entry: { destinationId: string | null; kind: ActivityKind; outcome: 'ok' | 'failed'; detail?: string | null }): Promise<void> {
      insert.run(entry.destinationId, entry.kind, entry.outcome, entry.detail ?? null, new Date().toISOString());
    },
    async forDestination(destinationId: string, limit = 100): Promise<Activity[]> {
      return selectFor.all(destinationId, limit) as Activity[];
    },
  };
}

export type ActivityRepository = ReturnType<typeof createActivityRepository>;
