import type { SecretCipher } from '../security/crypto.ts';
import type { SqlDatabase } from './sql.ts';
import { KEY_CHECK, KEY_CHECK_AAD } from './index.ts';
import { WRITING_KEY_SETTING } from './writing-key.ts';

type Sealed = { table: string; column: string; key: string; aad: (id: string) => string; only?: string };

/**
 * Every encrypted column, with the associated data it is sealed with. reencrypt.test.ts reads the schema and fails on
 * a sealed column missing here (every column named `*_enc`), so a new one cannot be forgotten by a rotation.
 */
export const SEALED: Sealed[] = [
  { table: 'destinations', column: 'secret_enc', key: 'id', aad: (id) => `destinations:${id}:secret` },
  { table: 'destinations', column: 'token_enc', key: 'id', aad: (id) => `destinations:${id}:token` },
  { table: 'connection_checks', column: 'config_enc', key: 'id', aad: (id) => `connection_checks:${id}:config` },
  { table: 'webhooks', column: 'url_enc', key: 'id', aad: (id) => `webhooks:${id}:url` },
  { table: 'webhooks', column: 'secret_enc', key: 'id', aad: (id) => `webhooks:${id}:secret` },
  { table: 'settings', column: 'value', key: 'key', aad: () => KEY_CHECK_AAD, only: KEY_CHECK },
];

const BATCH = 200;
/** A sealed value's key id: `v1.<key id>.…` (crypto.ts). */
const KEY_ID_SQL = (column: string) => `substr(${column}, 4, 8)`;

const sealedRows = (entry: Sealed) => {
  const where = [`${entry.column} IS NOT NULL`];
  if (entry.only) where.push(`${entry.key} = '${entry.only}'`);
  return where.join(' AND ');
};

/**
 * Moves every sealed value to `targetKeyId` while the app runs (decision 021): first the database's writing key
 * becomes the target, so from that commit on every instance seals with it (or refuses to, not holding it); then
 * values under any other key are re-encrypted a batch at a time, each one only if it is still what was read (a save
 * in between wrote a newer value, under the target already). Resolves with how many values it moved.
 */
export async function rotateTo(db: SqlDatabase, ring: SecretCipher, targetKeyId: string): Promise<number> {
  if (!ring.holds(targetKeyId)) throw new Error(`The key ring does not hold the target key ${targetKeyId}`);
  await db.run('INSERT INTO settings (key, value) VALUES ($1, $2) ON CONFLICT (key) DO UPDATE SET value = excluded.value', [
    WRITING_KEY_SETTING,
    targetKeyId,
  ]);
  let moved = 0;
  for (const entry of SEALED) {
    for (;;) {
      const rows = await db.all<{ id: string; sealed: string }>(
        `SELECT ${entry.key} AS id, ${entry.column} AS sealed FROM ${entry.table}
          WHERE ${sealedRows(entry)} AND ${KEY_ID_SQL(entry.column)} <> $1 LIMIT ${BATCH}`,
        [targetKeyId],
      );
      if (rows.length === 0) break;
      await db.transaction(async (tx) => {
        for (const row of rows) {
          const resealed = ring.encrypt(ring.decrypt(row.sealed, entry.aad(row.id)), entry.aad(row.id), targetKeyId);
          moved += await tx.run(`UPDATE ${entry.table} SET ${entry.column} = $1 WHERE ${entry.key} = $2 AND ${entry.column} = $3`, [
            resealed,
            row.id,
            row.sealed,
          ]);
        }
      });
    }
  }
  return moved;
}

export type KeyUsage = { writing: string | null; values: { table: string; column: string; keyId: string; count: number }[] };

/** Which key writes, and how many sealed values each key holds, column by column: `npm run rotate-key -- --check`. */
export async function keyUsage(db: SqlDatabase): Promise<KeyUsage> {
  const writing = (await db.get<{ value: string }>('SELECT value FROM settings WHERE key = $1', [WRITING_KEY_SETTING]))?.value ?? null;
  const values: KeyUsage['values'] = [];
  for (const entry of SEALED) {
    const rows = await db.all<{ key_id: string; n: number | string }>(
      `SELECT ${KEY_ID_SQL(entry.column)} AS key_id, count(*) AS n FROM ${entry.table} WHERE ${sealedRows(entry)} GROUP BY ${KEY_ID_SQL(entry.column)}`,
    );
    for (const row of rows) values.push({ table: entry.table, column: entry.column, keyId: row.key_id, count: Number(row.n) });
  }
  return { writing, values };
}
