import { randomBytes } from 'node:crypto';
import type { Actor } from '#shared/activity-schemas';
import type { Sql, SqlDatabase } from './sql.ts';

/**
 * External IDs of the "IAM role" method as rows (migration 018): issued to whom, bound to which connector (for good),
 * spent when that connector stopped holding it. Validity is the row, never an encryption key, so a key rotation
 * cannot invalidate IDs already in customers' trust policies. The rule they serve: security/external-ids.ts.
 */
export type ExternalIdUse = 'ok' | 'unknown' | 'taken';

const NEW_ID_BYTES = 24;

/** A fresh ID: 32 base64url characters, within what STS allows (`[\w+=,.@:/-]`, 2–1224). */
export const freshExternalId = () => randomBytes(NEW_ID_BYTES).toString('base64url');

export function createExternalIdsRepository(db: SqlDatabase) {
  return {
    /** A new ID, recorded as issued to `to` (null: the server's own, for a connector created without one). */
    async issue(to: Actor | null): Promise<string> {
      const id = freshExternalId();
      await db.run('INSERT INTO external_ids (external_id, issued_at, issued_to, issued_to_kind, issued_to_id) VALUES ($1, $2, $3, $4, $5)', [
        id,
        new Date().toISOString(),
        to?.label ?? null,
        to?.kind ?? null,
        to?.id ?? null,
      ]);
      return id;
    },

    /** Whether `externalId` may be used for `destinationId` (null: a config not saved as a connector). */
    async use(externalId: string, destinationId: string | null): Promise<ExternalIdUse> {
      const row = await db.get<{ destination_id: string | null }>('SELECT destination_id FROM external_ids WHERE external_id = $1', [externalId]);
      if (!row) return 'unknown';
      return row.destination_id === null || row.destination_id === destinationId ? 'ok' : 'taken';
    },
  };
}

export type ExternalIdsRepository = ReturnType<typeof createExternalIdsRepository>;

/**
 * In the transaction that saves a connector: binds its external ID to it (false when another connector holds or held
 * it: the save must roll back), and marks spent the ID it held before, if it holds another now or none.
 */
export async function bindExternalId(tx: Sql, destinationId: string, externalId: string | null, at: string): Promise<boolean> {
  await tx.run(
    "UPDATE external_ids SET spent_at = $3 WHERE destination_id = $1 AND spent_at IS NULL AND external_id <> COALESCE(CAST($2 AS TEXT), '')",
    [destinationId, externalId, at],
  );
  if (externalId === null) return true;
  const bound = await tx.run(
    `UPDATE external_ids SET destination_id = $2, bound_at = COALESCE(bound_at, $3), spent_at = NULL
      WHERE external_id = $1 AND (destination_id IS NULL OR destination_id = $2)`,
    [externalId, destinationId, at],
  );
  return bound === 1;
}

/** In the transaction that deletes a connector: its ID is spent, and stays its own. */
export async function spendExternalIds(tx: Sql, destinationId: string, at: string): Promise<void> {
  await tx.run('UPDATE external_ids SET spent_at = $2 WHERE destination_id = $1 AND spent_at IS NULL', [destinationId, at]);
}
