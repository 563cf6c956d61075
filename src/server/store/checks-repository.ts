import { randomUUID } from 'node:crypto';
import { nextScheduledCheck, type CheckSchedule } from '#shared/check-schedule';
import { pendingSteps, type CheckStatus, type ConnectionCheck, type ConnectionCheckSummary, type Step } from '#shared/check-schemas';
import type { Actor, ActorKind } from '#shared/activity-schemas';
import type { S3Config } from '#shared/s3-config';
import type { SecretCipher } from '../security/crypto.ts';
import type { Sql, SqlDatabase } from './sql.ts';
import { refreshLastCheck } from './list-columns.ts';
import { writingSeal } from './writing-key.ts';

export const HISTORY_LIMIT = 50;
export const INTERRUPTED_REASON = 'The check was interrupted by a restart before it finished; run it again.';
export const CANCELLED_REASON = 'The check was cancelled before it finished.';

type Row = {
  id: string;
  destination_id: string | null;
  base_destination_id: string | null;
  status: CheckStatus;
  reason: string | null;
  steps: string;
  identity: string | null;
  region: string | null;
  config_enc: string | null;
  claimed_by: string | null;
  lease_until: string | null;
  created_at: string;
  reported_at: string | null;
  revision: number;
  seq: number;
  config_version: number | null;
  trigger: 'manual' | 'scheduled';
  started_by: string | null;
  started_by_kind: ActorKind | null;
  started_by_id: string | null;
  cancel_requested: number;
  cleanup_pending: number;
  cancelled: number;
  cancelled_by: string | null;
  cancelled_by_kind: ActorKind | null;
  cancelled_by_id: string | null;
};

/** A check as one write left it, with the revision that orders the writes. */
export type CheckUpdate = { check: ConnectionCheck; revision: number; cancelRequested?: boolean };
/** A check to queue: of a saved destination, or of an unsaved config (merged with `baseDestinationId`); who asked. */
export type NewCheck = { destinationId: string | null; baseDestinationId?: string | null; config?: S3Config; startedBy?: Actor | null };

export type ClaimedCheck = { id: string; destinationId: string | null; config: S3Config | null; startedBy: Actor | null };

/** Who a check's slot counts for (decision 018): its starter by kind and id, or the scheduler. */
const principalOf = (startedBy: Actor | null | undefined, trigger: 'manual' | 'scheduled') =>
  startedBy ? `${startedBy.kind}:${startedBy.id}` : trigger === 'scheduled' ? 'schedule' : 'unknown';

const startedBy = (row: Row): Actor | null =>
  row.started_by_kind !== null && row.started_by_id !== null
    ? { kind: row.started_by_kind, id: row.started_by_id, label: row.started_by ?? '' }
    : null;
export type CheckResult = Pick<ConnectionCheck, 'status' | 'reason' | 'steps' | 'identity' | 'region'> & {
  /** The endpoint answered ExpiredToken / TokenRefreshRequired: the saved destination's credentials are marked expired. */
  expiredToken?: boolean;
  /** It ended because someone cancelled it: neither a pass nor a failure of the connector. */
  cancelled?: boolean;
};

function toView(row: Row): ConnectionCheck {
  return {
    id: row.id,
    destination_id: row.destination_id,
    status: row.status,
    reason: row.reason,
    created_at: row.created_at,
    reported_at: row.reported_at,
    // Checks recorded before steps had a start offset show none.
    steps: (JSON.parse(row.steps) as Step[]).map((step) => ({ ...step, started_ms: step.started_ms ?? null })),
    identity: row.identity === null ? null : (JSON.parse(row.identity) as ConnectionCheck['identity']),
    region: row.region,
    config_version: row.config_version,
    trigger: row.trigger,
    cancelled: row.cancelled === 1,
    cancelled_by: row.cancelled === 1 ? row.cancelled_by : null,
  };
}

/**
 * A check cut off before it ended (a restart, a crash, a deletion, a cancel): no step may stay running or waiting;
 * each one that had not finished is skipped, saying why.
 */
export function cutOffSteps(steps: Step[], reason: string): Step[] {
  return steps.map((step) =>
    step.status === 'running' || step.status === 'pending'
      ? {
          ...step,
          status: 'skipped',
          duration_ms: null,
          code: null,
          message: `Skipped: ${reason.charAt(0).toLowerCase()}${reason.slice(1)}`,
          hint: null,
          iam_action: null,
        }
      : step,
  );
}

export function createChecksRepository(db: SqlDatabase, cipher: SecretCipher) {
  const aad = (id: string) => `connection_checks:${id}:config`;
  const NEWEST_FIRST = 'ORDER BY created_at DESC, seq DESC';
  const SUMMARY = 'id, destination_id, status, reason, created_at, reported_at, config_version, trigger, failure_code AS code, region';
  const SUMMARY_OF_RANKED = 'id, destination_id, status, reason, created_at, reported_at, config_version, trigger, code, region';

  const findRow = (id: string) => db.get<Row>('SELECT * FROM connection_checks WHERE id = $1', [id]);
  const decryptConfig = (row: Row): S3Config | null =>
    row.config_enc === null ? null : (JSON.parse(cipher.decrypt(row.config_enc, aad(row.id))) as S3Config);
  const finishRow = (tx: Sql, id: string, result: CheckResult, reportedAt: string) =>
    tx.run(
      `UPDATE connection_checks SET status = $2, reason = $3, steps = $4, identity = $5, region = $6, reported_at = $7,
         config_enc = NULL, claimed_by = NULL, lease_until = NULL, revision = revision + 1, cancelled = $8, failure_code = $9
       WHERE id = $1 AND status = 'SCHEDULED'`,
      [
        id,
        result.status,
        result.reason,
        JSON.stringify(result.steps),
        result.identity === null ? null : JSON.stringify(result.identity),
        result.region,
        reportedAt,
        result.cancelled ? 1 : 0,
        // The step that failed it, for the fix the list offers (migration 025).
        result.steps.find((step) => step.status === 'failed' && step.code !== null)?.code ?? null,
      ],
    );

  const insertCheck = async (tx: Sql, input: NewCheck, trigger: 'manual' | 'scheduled'): Promise<string> => {
    const id = randomUUID();
    const sealed = input.config ? (await writingSeal(tx, cipher))(JSON.stringify(input.config), aad(id)) : null;
    await tx.run(
      // The steps to come: an IAM role's check has one more (assume_role), whether the config is the one sent or the
      // destination's as saved.
      `INSERT INTO connection_checks (id, destination_id, base_destination_id, status, steps, config_enc, created_at, seq, config_version, trigger,
                                      started_by, started_by_kind, started_by_id, principal, queue_turn)
       VALUES ($1, $2, $3, 'SCHEDULED',
               CASE WHEN $9 = 1 OR (SELECT role_arn FROM destinations WHERE id = $2 AND $10 = 1) IS NOT NULL THEN $11 ELSE $4 END,
               $5, $6, (SELECT COALESCE(MAX(seq), 0) + 1 FROM connection_checks),
               (SELECT config_version FROM destinations WHERE id = $2), $7, $8, $12, $13,
               $14, (SELECT count(*) + 1 FROM connection_checks WHERE principal = $14 AND status = 'SCHEDULED'))`,
      [
        id,
        input.destinationId,
        input.baseDestinationId ?? null,
        JSON.stringify(pendingSteps()),
        sealed,
        new Date().toISOString(),
        trigger,
        input.startedBy?.label ?? null,
        input.config?.role_arn ? 1 : 0,
        input.config ? 0 : 1,
        JSON.stringify(pendingSteps(true)),
        input.startedBy?.kind ?? null,
        input.startedBy?.id ?? null,
        principalOf(input.startedBy, trigger),
      ],
    );
    await refreshLastCheck(tx, input.destinationId);
    return id;
  };

  return {
    /**
     * Schedules a check: of a saved destination, or of an unsaved config kept encrypted until it finishes. With
     * `claimFor`, the worker that will run it holds it from the start (the same claim `claim` makes, in this commit).
     */
    async create(input: NewCheck, claimFor?: { workerId: string; leaseUntil: Date }): Promise<ConnectionCheck> {
      // The row, its destination's summary and the claim in one commit: one fsync.
      const id = await db.transaction(async (tx) => {
        const made = await insertCheck(tx, input, 'manual');
        if (claimFor)
          await tx.run('UPDATE connection_checks SET claimed_by = $2, lease_until = $3 WHERE id = $1', [
            made,
            claimFor.workerId,
            claimFor.leaseUntil.toISOString(),
          ]);
        return made;
      });
      return toView((await findRow(id)) as Row);
    },

    /**
     * Starts the checks whose schedule says it is time, at most `limit`: each due destination's next time moves on in
     * the same transaction (compare-and-set on the time read, and on PostgreSQL rows another instance holds are
     * skipped), so a slot is checked once across instances. A destination whose check is still queued or running is
     * not checked twice; its slot moves on all the same. Returns the ids of the checks started.
     */
    async startScheduled(now: Date, limit: number): Promise<string[]> {
      return db.transaction(async (tx) => {
        const skipLocked = tx.dialect === 'postgres' ? 'FOR UPDATE SKIP LOCKED' : '';
        const due = await tx.all<{ id: string; check_schedule: CheckSchedule; next_check_at: string }>(
          `SELECT id, check_schedule, next_check_at FROM destinations
            WHERE next_check_at IS NOT NULL AND next_check_at <= $1 ORDER BY next_check_at LIMIT $2 ${skipLocked}`,
          [now.toISOString(), limit],
        );
        const started: string[] = [];
        for (const destination of due) {
          const next = nextScheduledCheck(destination.id, destination.check_schedule, now)?.toISOString() ?? null;
          const moved = await tx.run('UPDATE destinations SET next_check_at = $1 WHERE id = $2 AND next_check_at = $3', [
            next,
            destination.id,
            destination.next_check_at,
          ]);
          if (moved !== 1) continue;
          const busy = await tx.get("SELECT 1 AS busy FROM connection_checks WHERE destination_id = $1 AND status = 'SCHEDULED'", [destination.id]);
          if (!busy) started.push(await insertCheck(tx, { destinationId: destination.id }, 'scheduled'));
        }
        return started;
      });
    },

    async findById(id: string): Promise<ConnectionCheck | null> {
      const row = await findRow(id);
      return row ? toView(row) : null;
    },

    async revisionOf(id: string): Promise<number | null> {
      return (await db.get<{ revision: number }>('SELECT revision FROM connection_checks WHERE id = $1', [id]))?.revision ?? null;
    },

    async history(destinationId: string): Promise<ConnectionCheck[]> {
      const rows = await db.all<Row>(`SELECT * FROM connection_checks WHERE destination_id = $1 ${NEWEST_FIRST} LIMIT $2`, [
        destinationId,
        HISTORY_LIMIT,
      ]);
      return rows.map(toView);
    },

    async latestSummary(destinationId: string): Promise<ConnectionCheckSummary | null> {
      return (
        (await db.get<ConnectionCheckSummary>(
          `SELECT ${SUMMARY} FROM connection_checks WHERE destination_id = $1 AND cancelled = 0 ${NEWEST_FIRST} LIMIT 1`,
          [destinationId],
        )) ?? null
      );
    },

    async latestSummaries(): Promise<Map<string, ConnectionCheckSummary>> {
      const rows = await db.all<ConnectionCheckSummary & { destination_id: string }>(
        // The inner query names its columns: `*` would carry every check's steps (JSON) through the window's sort.
        `SELECT ${SUMMARY_OF_RANKED} FROM (
           SELECT ${SUMMARY}, ROW_NUMBER() OVER (PARTITION BY destination_id ${NEWEST_FIRST}) AS position
           FROM connection_checks WHERE destination_id IS NOT NULL AND cancelled = 0) AS ranked
         WHERE position = 1`,
      );
      return new Map(rows.map(({ destination_id, ...summary }) => [destination_id, summary]));
    },

    /**
     * Claims up to `limit` scheduled checks for `workerId`, shared fairly between those who asked (decision 018): the
     * lowest turns first (a check's turn was taken when it was queued: 1 + what its principal had queued or running
     * then), then the order they were asked in. One principal (a user, an API key, the scheduler) asking for 50 checks
     * takes one slot after another only while nobody else waits. Read through the queue index: a claim reads the rows
     * it takes. On PostgreSQL the rows are locked with SKIP LOCKED, so instances claiming at once take different
     * checks; SQLite's write lock serialises.
     */
    async claim(workerId: string, leaseUntil: Date, limit: number): Promise<ClaimedCheck[]> {
      const skipLocked = db.dialect === 'postgres' ? 'FOR UPDATE SKIP LOCKED' : '';
      // The rows are picked (and on PostgreSQL locked) once, in a materialized CTE, then updated: written as
      // `WHERE id IN (SELECT … LIMIT $3 FOR UPDATE SKIP LOCKED)` the planner could run the subquery again for rows a
      // racing claim had changed, and one claim took more rows than its limit (store.test.ts, "claims racing").
      const claimed = await db.all<Row>(
        `WITH picked AS MATERIALIZED (
           SELECT id FROM connection_checks WHERE status = 'SCHEDULED' AND claimed_by IS NULL
            ORDER BY queue_turn, created_at, seq LIMIT $3 ${skipLocked})
         UPDATE connection_checks SET claimed_by = $1, lease_until = $2
         WHERE id IN (SELECT id FROM picked) AND status = 'SCHEDULED' AND claimed_by IS NULL
         RETURNING *`,
        [workerId, leaseUntil.toISOString(), limit],
      );
      return claimed
        .sort((a, b) => a.created_at.localeCompare(b.created_at) || a.seq - b.seq)
        .map((row) => ({
          id: row.id,
          destinationId: row.destination_id ?? row.base_destination_id,
          config: decryptConfig(row),
          startedBy: startedBy(row),
        }));
    },

    async renewLease(id: string, workerId: string, leaseUntil: Date): Promise<boolean> {
      const renewed = await db.unsynced.run(
        "UPDATE connection_checks SET lease_until = $1 WHERE id = $2 AND claimed_by = $3 AND status = 'SCHEDULED'",
        [leaseUntil.toISOString(), id, workerId],
      );
      return renewed === 1;
    },

    /**
     * Records the steps as they are now; returns the check with its new revision, or null if it is no longer ours.
     * Unsynced, like the lease: a power cut that takes it back also ends the check, whose outcome is written durably.
     */
    async saveProgress(id: string, workerId: string, steps: Step[]): Promise<CheckUpdate | null> {
      const row = await db.unsynced.get<Row>(
        "UPDATE connection_checks SET steps = $1, revision = revision + 1 WHERE id = $2 AND claimed_by = $3 AND status = 'SCHEDULED' RETURNING *",
        [JSON.stringify(steps), id, workerId],
      );
      return row ? { check: toView(row), revision: row.revision, cancelRequested: row.cancel_requested === 1 } : null;
    },

    /**
     * Cancels a check: one no worker has claimed ends now (FAILURE, nothing was written); one that is running is
     * marked, for the instance running it to stop. Either way it is marked cancelled, by whom (a cancel is neither a
     * pass nor a failure: the destination's summary passes it by), and `alongside` runs in the same transaction (the
     * activity entry). 'finished' when it already has an outcome, null when unknown.
     */
    async requestCancel(
      id: string,
      by: Actor | null = null,
      alongside?: (tx: Sql, destinationId: string | null) => Promise<void>,
    ): Promise<'cancelled' | 'requested' | 'finished' | null> {
      return db.transaction(async (tx) => {
        const row = await tx.get<Row>('SELECT * FROM connection_checks WHERE id = $1', [id]);
        if (!row) return null;
        if (row.status !== 'SCHEDULED') return 'finished';
        const steps = cutOffSteps(JSON.parse(row.steps) as Step[], CANCELLED_REASON);
        const who = [by?.label ?? null, by?.kind ?? null, by?.id ?? null];
        const ended = await tx.run(
          `UPDATE connection_checks SET status = 'FAILURE', reason = $2, steps = $3, reported_at = $4, config_enc = NULL,
             revision = revision + 1, cancelled = 1, cancelled_by = $5, cancelled_by_kind = $6, cancelled_by_id = $7
           WHERE id = $1 AND status = 'SCHEDULED' AND claimed_by IS NULL`,
          [id, CANCELLED_REASON, JSON.stringify(steps), new Date().toISOString(), ...who],
        );
        if (ended === 1) {
          await refreshLastCheck(tx, row.destination_id);
          await alongside?.(tx, row.destination_id);
          return 'cancelled';
        }
        const marked = await tx.run(
          "UPDATE connection_checks SET cancel_requested = 1, cancelled_by = $2, cancelled_by_kind = $3, cancelled_by_id = $4 WHERE id = $1 AND status = 'SCHEDULED'",
          [id, ...who],
        );
        if (marked !== 1) return 'finished';
        await alongside?.(tx, row.destination_id);
        return 'requested';
      });
    },

    async isCancelRequested(id: string): Promise<boolean> {
      return (
        (await db.get<{ cancel_requested: number }>('SELECT cancel_requested FROM connection_checks WHERE id = $1', [id]))?.cancel_requested === 1
      );
    },

    /**
     * Records the result, and in the same transaction the saved destination's expired_by_check, so that no reader
     * sees the finished check beside credentials not yet marked. A passing check clears the mark an earlier
     * ExpiredToken left; any other failure leaves it as it was. Not a user edit: the version stays, so nobody's
     * If-Match goes stale because a check ran.
     */
    /**
     * Records the result. `alongside` runs in the same transaction once the check is finished (the saved destination's
     * history prune and activity entry): one commit, and no reader sees the outcome without them.
     */
    async finish(id: string, result: CheckResult, alongside?: (tx: Sql, destinationId: string | null) => Promise<void>): Promise<boolean> {
      return db.transaction(async (tx) => {
        const finished = (await finishRow(tx, id, result, new Date().toISOString())) === 1;
        if (finished && alongside) {
          const row = await tx.get<{ destination_id: string | null }>('SELECT destination_id FROM connection_checks WHERE id = $1', [id]);
          await alongside(tx, row?.destination_id ?? null);
        }
        if (finished && (result.expiredToken || result.status === 'SUCCESS')) {
          await tx.run('UPDATE destinations SET expired_by_check = $2 WHERE id = (SELECT destination_id FROM connection_checks WHERE id = $1)', [
            id,
            result.expiredToken ? 1 : 0,
          ]);
        }
        if (finished) {
          const row = await tx.get<{ destination_id: string | null }>('SELECT destination_id FROM connection_checks WHERE id = $1', [id]);
          await refreshLastCheck(tx, row?.destination_id ?? null);
        }
        return finished;
      });
    },

    /** Checks whose worker stopped renewing its lease (a crash, a kill): FAILURE, never run again. */
    async failExpiredLeases(now: Date): Promise<string[]> {
      const rows = await db.all<Row>("SELECT * FROM connection_checks WHERE status = 'SCHEDULED' AND claimed_by IS NOT NULL AND lease_until <= $1", [
        now.toISOString(),
      ]);
      const failed: string[] = [];
      for (const row of rows) {
        // Guarded on the lease it expired with: a renewal that came in since wins. The check and its destination's
        // summary in one commit, as everywhere a check's outcome is written.
        const changed = await db.transaction(async (tx) => {
          const ended = await tx.run(
            // Its probes may be in the bucket: cleanup_pending, and the config it needs to delete them, stay (claimCleanups).
            `UPDATE connection_checks SET status = 'FAILURE', reason = $2, steps = $3, reported_at = $4, cleanup_pending = 1,
               claimed_by = NULL, lease_until = NULL, revision = revision + 1
             WHERE id = $1 AND status = 'SCHEDULED' AND lease_until <= $4`,
            [row.id, INTERRUPTED_REASON, JSON.stringify(cutOffSteps(JSON.parse(row.steps) as Step[], INTERRUPTED_REASON)), now.toISOString()],
          );
          if (ended === 1) await refreshLastCheck(tx, row.destination_id);
          return ended;
        });
        if (changed === 1) failed.push(row.id);
      }
      return failed;
    },

    /**
     * Checks cut off before their cleanup ran (failExpiredLeases), taken with a lease by one instance at a time: their
     * probes are deleted (check-steps.ts, LEFTOVER_STAGES), then finishCleanup. A lease run out is taken again.
     */
    async claimCleanups(workerId: string, now: Date, leaseUntil: Date, limit: number): Promise<ClaimedCheck[]> {
      const rows = await db.all<Row>(
        `WITH picked AS MATERIALIZED (
           SELECT id FROM connection_checks WHERE cleanup_pending = 1 AND (lease_until IS NULL OR lease_until <= $2) LIMIT $4 ${db.dialect === 'postgres' ? 'FOR UPDATE SKIP LOCKED' : ''})
         UPDATE connection_checks SET claimed_by = $1, lease_until = $3
         WHERE id IN (SELECT id FROM picked) AND cleanup_pending = 1
         RETURNING *`,
        [workerId, now.toISOString(), leaseUntil.toISOString(), limit],
      );
      return rows.map((row) => ({
        id: row.id,
        destinationId: row.destination_id ?? row.base_destination_id,
        config: decryptConfig(row),
        startedBy: startedBy(row),
      }));
    },

    /** The probes of a cut-off check are deleted (or could not be: `cleanup` says so): its cleanup step says what was done. */
    async finishCleanup(id: string, cleanup: Partial<Step>): Promise<void> {
      await db.transaction(async (tx) => {
        const row = await tx.get<{ steps: string }>('SELECT steps FROM connection_checks WHERE id = $1 AND cleanup_pending = 1', [id]);
        if (!row) return;
        const steps = (JSON.parse(row.steps) as Step[]).map((step) =>
          step.name === 'cleanup' ? { ...step, ...cleanup, started_ms: step.started_ms ?? null } : step,
        );
        await tx.run(
          `UPDATE connection_checks SET cleanup_pending = 0, config_enc = NULL, claimed_by = NULL, lease_until = NULL, steps = $2, revision = revision + 1
           WHERE id = $1`,
          [id, JSON.stringify(steps)],
        );
      });
    },

    /** A finished check of an unsaved change, once that change is saved, joins the destination's history. */
    async adopt(id: string, destinationId: string): Promise<boolean> {
      return db.transaction(async (tx) => {
        const adopted = await tx.run(
          `UPDATE connection_checks SET destination_id = base_destination_id, base_destination_id = NULL,
             config_version = (SELECT config_version FROM destinations WHERE id = $2)
           WHERE id = $1 AND base_destination_id = $2 AND status != 'SCHEDULED'`,
          [id, destinationId],
        );
        if (adopted === 1) await refreshLastCheck(tx, destinationId);
        return adopted === 1;
      });
    },

    /** Whether a finished check tested a change merged with this destination (and so may join its history). */
    async isAdoptable(id: string, destinationId: string): Promise<boolean> {
      const row = await findRow(id);
      return row !== undefined && row.base_destination_id === destinationId && row.status !== 'SCHEDULED';
    },

    /** Keeps the newest HISTORY_LIMIT finished checks of a destination. */
    async prune(destinationId: string, sql: Sql = db): Promise<number> {
      return sql.run(
        `DELETE FROM connection_checks WHERE destination_id = $1 AND status != 'SCHEDULED' AND id NOT IN
           (SELECT id FROM connection_checks WHERE destination_id = $1 ${NEWEST_FIRST} LIMIT $2)`,
        [destinationId, HISTORY_LIMIT],
      );
    },
  };
}

export type ChecksRepository = ReturnType<typeof createChecksRepository>;
