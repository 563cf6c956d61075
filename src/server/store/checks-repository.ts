import { randomUUID } from 'node:crypto';
import { pendingSteps, type CheckStatus, type ConnectionCheck, type ConnectionCheckSummary, type Step } from '../../shared/check-schemas.ts';
import type { S3Config } from '../../shared/s3-config.ts';
import type { SecretCipher } from '../security/crypto.ts';
import type { Db, ListChanges } from './db.ts';

export const HISTORY_LIMIT = 50;
export const INTERRUPTED_REASON = 'The check was interrupted by a restart before it finished; run it again.';

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
};

export type ClaimedCheck = { id: string; destinationId: string | null; config: S3Config | null };
export type CheckResult = Pick<ConnectionCheck, 'status' | 'reason' | 'steps' | 'identity' | 'region'> & {
  /** The endpoint answered ExpiredToken / TokenRefreshRequired: the saved destination's credentials are marked expired. */
  expiredToken?: boolean;
};

function toView(row: Row): ConnectionCheck {
  return {
    id: row.id,
    destination_id: row.destination_id,
    status: row.status,
    reason: row.reason,
    created_at: row.created_at,
    reported_at: row.reported_at,
    steps: JSON.parse(row.steps) as Step[],
    identity: row.identity === null ? null : (JSON.parse(row.identity) as ConnectionCheck['identity']),
    region: row.region,
  };
}

/** A check cut off by a crash: the running step failed, the rest never ran. */
function interruptedSteps(steps: Step[]): Step[] {
  return steps.map((step) =>
    step.status === 'running'
      ? { ...step, status: 'failed', code: 'Interrupted', message: INTERRUPTED_REASON, hint: 'Run the check again.' }
      : step.status === 'pending'
        ? { ...step, status: 'skipped', message: 'Skipped: the check was interrupted.' }
        : step,
  );
}

export function createChecksRepository(db: Db, cipher: SecretCipher, changes: ListChanges = { version: 0 }) {
  const aad = (id: string) => `connection_checks:${id}:config`;
  const insert = db.prepare(`INSERT INTO connection_checks (id, destination_id, base_destination_id, status, steps, config_enc, created_at)
    VALUES (@id, @destination_id, @base_destination_id, 'SCHEDULED', @steps, @config_enc, @created_at)`);
  const selectById = db.prepare('SELECT * FROM connection_checks WHERE id = ?');
  const selectHistory = db.prepare(
    'SELECT * FROM connection_checks WHERE destination_id = ? ORDER BY created_at DESC, rowid DESC LIMIT ?',
  );
  const selectRunnable = db.prepare(
    "SELECT id FROM connection_checks WHERE status = 'SCHEDULED' AND claimed_by IS NULL ORDER BY created_at, rowid LIMIT ?",
  );
  const claimOne = db.prepare(
    "UPDATE connection_checks SET claimed_by = ?, lease_until = ? WHERE id = ? AND status = 'SCHEDULED' AND claimed_by IS NULL",
  );
  const renew = db.prepare("UPDATE connection_checks SET lease_until = ? WHERE id = ? AND claimed_by = ? AND status = 'SCHEDULED'");
  const progress = db.prepare(
    "UPDATE connection_checks SET steps = ?, revision = revision + 1 WHERE id = ? AND claimed_by = ? AND status = 'SCHEDULED'",
  );
  const finish = db.prepare(`UPDATE connection_checks SET status = @status, reason = @reason, steps = @steps, identity = @identity,
      region = @region, reported_at = @reported_at, config_enc = NULL, claimed_by = NULL, lease_until = NULL, revision = revision + 1
    WHERE id = @id AND status = 'SCHEDULED'`);
  // A passing check clears the mark an earlier ExpiredToken left; any other failure leaves it as it was. Not a user
  // edit: the version stays, so nobody's If-Match goes stale because a check ran.
  const markDestination = db.prepare(`UPDATE destinations SET expired_by_check = @expired
    WHERE id = (SELECT destination_id FROM connection_checks WHERE id = @id)`);
  const adopt = db.prepare(`UPDATE connection_checks SET destination_id = base_destination_id, base_destination_id = NULL
    WHERE id = ? AND base_destination_id = ? AND status != 'SCHEDULED'`);
  const selectExpired = db.prepare(
    "SELECT * FROM connection_checks WHERE status = 'SCHEDULED' AND claimed_by IS NOT NULL AND lease_until <= ?",
  );
  const prune = db.prepare(`DELETE FROM connection_checks WHERE destination_id = ? AND status != 'SCHEDULED' AND id NOT IN
      (SELECT id FROM connection_checks WHERE destination_id = ? ORDER BY created_at DESC, rowid DESC LIMIT ?)`);
  const selectLatest = db.prepare(`SELECT id, destination_id, status, reason, created_at, reported_at FROM (
      SELECT *, ROW_NUMBER() OVER (PARTITION BY destination_id ORDER BY created_at DESC, rowid DESC) AS position
      FROM connection_checks WHERE destination_id IS NOT NULL) WHERE position = 1`);
  const selectLatestOne = db.prepare(
    'SELECT id, destination_id, status, reason, created_at, reported_at FROM connection_checks WHERE destination_id = ? ORDER BY created_at DESC, rowid DESC LIMIT 1',
  );

  const findRow = (id: string) => selectById.get(id) as Row | undefined;
  const decryptConfig = (row: Row): S3Config | null =>
    row.config_enc === null ? null : (JSON.parse(cipher.decrypt(row.config_enc, aad(row.id))) as S3Config);

  return {
    /** Schedules a check: of a saved destination, or of an unsaved config kept encrypted until it finishes. */
    async create(input: { destinationId: string | null; baseDestinationId?: string | null; config?: S3Config }): Promise<ConnectionCheck> {
      const id = randomUUID();
      insert.run({
        id,
        destination_id: input.destinationId,
        base_destination_id: input.baseDestinationId ?? null,
        steps: JSON.stringify(pendingSteps()),
        config_enc: input.config ? cipher.encrypt(JSON.stringify(input.config), aad(id)) : null,
        created_at: new Date().toISOString(),
      });
      changes.version++;
      return toView(findRow(id) as Row);
    },

    async findById(id: string): Promise<ConnectionCheck | null> {
      const row = findRow(id);
      return row ? toView(row) : null;
    },

    async revisionOf(id: string): Promise<number | null> {
      return findRow(id)?.revision ?? null;
    },

    async history(destinationId: string): Promise<ConnectionCheck[]> {
      return (selectHistory.all(destinationId, HISTORY_LIMIT) as Row[]).map(toView);
    },

    async latestSummary(destinationId: string): Promise<ConnectionCheckSummary | null> {
      return (selectLatestOne.get(destinationId) as ConnectionCheckSummary | undefined) ?? null;
    },

    async latestSummaries(): Promise<Map<string, ConnectionCheckSummary>> {
      const rows = selectLatest.all() as (ConnectionCheckSummary & { destination_id: string })[];
      return new Map(rows.map(({ destination_id, ...summary }) => [destination_id, summary]));
    },

    /** Claims up to `limit` scheduled checks for `workerId`, in the order they were asked for. */
    async claim(workerId: string, leaseUntil: Date, limit: number): Promise<ClaimedCheck[]> {
      const claimed = db
        .transaction(() => {
          const ids = selectRunnable.pluck().all(limit) as string[];
          return ids.filter((id) => claimOne.run(workerId, leaseUntil.toISOString(), id).changes === 1);
        })
        .immediate();
      return claimed.map((id) => {
        const row = findRow(id) as Row;
        return { id, destinationId: row.destination_id ?? row.base_destination_id, config: decryptConfig(row) };
      });
    },

    async renewLease(id: string, workerId: string, leaseUntil: Date): Promise<boolean> {
      return renew.run(leaseUntil.toISOString(), id, workerId).changes === 1;
    },

    /** Records the steps as they are now; returns the check with its new revision, or null if it is no longer ours. */
    async saveProgress(id: string, workerId: string, steps: Step[]): Promise<{ check: ConnectionCheck; revision: number } | null> {
      if (progress.run(JSON.stringify(steps), id, workerId).changes !== 1) return null;
      const row = findRow(id) as Row;
      return { check: toView(row), revision: row.revision };
    },

    /**
     * Records the result, and in the same transaction the saved destination's expired_by_check, so that no reader
     * sees the finished check beside credentials not yet marked.
     */
    async finish(id: string, result: CheckResult): Promise<boolean> {
      return db.transaction(() => {
        const finished =
          finish.run({
            id,
            status: result.status,
            reason: result.reason,
            steps: JSON.stringify(result.steps),
            identity: result.identity === null ? null : JSON.stringify(result.identity),
            region: result.region,
            reported_at: new Date().toISOString(),
          }).changes === 1;
        if (finished && (result.expiredToken || result.status === 'SUCCESS')) markDestination.run({ id, expired: result.expiredToken ? 1 : 0 });
        if (finished) changes.version++;
        return finished;
      })();
    },

    /** Checks whose worker stopped renewing its lease (a crash, a kill): FAILURE, never run again. */
    async failExpiredLeases(now: Date): Promise<string[]> {
      const rows = selectExpired.all(now.toISOString()) as Row[];
      for (const row of rows) {
        finish.run({
          id: row.id,
          status: 'FAILURE',
          reason: INTERRUPTED_REASON,
          steps: JSON.stringify(interruptedSteps(JSON.parse(row.steps) as Step[])),
          identity: row.identity,
          region: row.region,
          reported_at: now.toISOString(),
        });
      }
      if (rows.length > 0) changes.version++;
      return rows.map((row) => row.id);
    },

    /** A finished check of an unsaved change, once that change is saved, joins the destination's history. */
    async adopt(id: string, destinationId: string): Promise<boolean> {
      const adopted = adopt.run(id, destinationId).changes === 1;
      if (adopted) changes.version++;
      return adopted;
    },

    /** Whether a finished check tested a change merged with this destination (and so may join its history). */
    async isAdoptable(id: string, destinationId: string): Promise<boolean> {
      const row = findRow(id);
      return row !== undefined && row.base_destination_id === destinationId && row.status !== 'SCHEDULED';
    },

    /** Keeps the newest HISTORY_LIMIT finished checks of a destination. */
    async prune(destinationId: string): Promise<number> {
      return prune.run(destinationId, destinationId, HISTORY_LIMIT).changes;
    },
  };
}

export type ChecksRepository = ReturnType<typeof createChecksRepository>;
