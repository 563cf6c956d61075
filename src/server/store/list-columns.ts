import { credentialsMethod, warningWindowMs } from '#shared/credentials';
import type { Sql, SqlDatabase } from './sql.ts';

/**
 * What the destinations list sorts and filters by, computed in JavaScript as the list always compared it, and kept on
 * the row (migration 021): written with every change of the name or the config, so a page reads an index.
 */
export type ListColumns = { name_key: string; search_text: string; expires_key: string | null; warn_from: string | null };

type Source = {
  name: string;
  remote_url: string;
  endpoint_url: string | null;
  anonymous: boolean;
  ambient_credentials: boolean;
  role_arn: string | null;
  has_token: boolean;
  token_expires_at: string | null;
  token_saved_at: string | null;
};

export function listColumnsOf(source: Source): ListColumns {
  const temporary = credentialsMethod(source) === 'temporary';
  const expires =
    temporary && source.token_expires_at !== null && Number.isFinite(Date.parse(source.token_expires_at)) ? source.token_expires_at : null;
  return {
    name_key: source.name.toLowerCase(),
    search_text: `${source.name}\n${source.remote_url}\n${source.endpoint_url ?? ''}`.toLowerCase(),
    expires_key: expires === null ? null : new Date(expires).toISOString(),
    warn_from: expires === null ? null : new Date(Date.parse(expires) - warningWindowMs(source.token_saved_at, expires)).toISOString(),
  };
}

/**
 * The latest check's summary, copied onto its destination's row in the transaction that inserts or ends a check:
 * one indexed read (the destination's newest check), whatever the table holds.
 */
export async function refreshLastCheck(tx: Sql, destinationId: string | null): Promise<void> {
  if (destinationId === null) return;
  await tx.run(
    `UPDATE destinations SET (last_check_id, last_check_status, last_check_reason, last_check_at, last_check_reported_at, last_check_config_version,
                              last_check_trigger, last_check_code, last_check_region, last_check_detail_of) = (
       SELECT c.id, c.status, c.reason, c.created_at, c.reported_at, c.config_version, c.trigger, c.failure_code, c.region, c.id FROM connection_checks c
        WHERE c.destination_id = $1 AND c.cancelled = 0 ORDER BY c.created_at DESC, c.seq DESC LIMIT 1)
     WHERE id = $1`,
    [destinationId],
  );
}

/** Fills the list columns of rows from before migration 021, a batch at a time (at the first start after it). */
export async function backfillListColumns(db: SqlDatabase, batch = 1_000): Promise<number> {
  let filled = 0;
  for (;;) {
    const rows = await db.all<
      Source & { id: string; anonymous: number | boolean; ambient_credentials: number | boolean; has_token: number | boolean }
    >(
      `SELECT id, name, remote_url, endpoint_url, anonymous, ambient_credentials, role_arn, CASE WHEN token_enc IS NULL THEN 0 ELSE 1 END AS has_token,
              token_expires_at, token_saved_at
         FROM destinations WHERE name_key IS NULL LIMIT ${batch}`,
    );
    if (rows.length === 0) return filled;
    await db.transaction(async (tx) => {
      for (const row of rows) {
        const columns = listColumnsOf({
          ...row,
          anonymous: Number(row.anonymous) === 1,
          ambient_credentials: Number(row.ambient_credentials) === 1,
          has_token: Number(row.has_token) === 1,
        });
        await tx.run('UPDATE destinations SET name_key = $2, search_text = $3, expires_key = $4, warn_from = $5 WHERE id = $1', [
          row.id,
          columns.name_key,
          columns.search_text,
          columns.expires_key,
          columns.warn_from,
        ]);
      }
    });
    filled += rows.length;
  }
}
