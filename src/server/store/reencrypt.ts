import type { SecretCipher } from '../security/crypto.ts';
import type { SqlDatabase } from './sql.ts';
import { KEY_CHECK, KEY_CHECK_AAD } from './index.ts';

type Sealed = { table: string; column: string; key: string; aad: (id: string) => string };

// Every encrypted column, with the associated data it was sealed with.
const SEALED: Sealed[] = [
  { table: 'destinations', column: 'secret_enc', key: 'id', aad: (id) => `destinations:${id}:secret` },
  { table: 'destinations', column: 'token_enc', key: 'id', aad: (id) => `destinations:${id}:token` },
  { table: 'connection_checks', column: 'config_enc', key: 'id', aad: (id) => `connection_checks:${id}:config` },
  { table: 'settings', column: 'value', key: 'key', aad: () => KEY_CHECK_AAD },
];

/**
 * Re-encrypts every stored secret from `from` (which can read them all) to `to`, in one transaction: a failure
 * half-way rolls everything back, so each value stays under exactly one key that the app still holds.
 */
export async function reencryptAll(db: SqlDatabase, from: SecretCipher, to: SecretCipher): Promise<number> {
  return db.transaction(async (tx) => {
    let count = 0;
    for (const { table, column, key, aad } of SEALED) {
      const [where, params] = table === 'settings' ? [`WHERE ${key} = $1`, [KEY_CHECK]] : [`WHERE ${column} IS NOT NULL`, []];
      const rows = await tx.all<{ id: string; sealed: string }>(`SELECT ${key} AS id, ${column} AS sealed FROM ${table} ${where}`, params);
      for (const row of rows) {
        await tx.run(`UPDATE ${table} SET ${column} = $1 WHERE ${key} = $2`, [to.encrypt(from.decrypt(row.sealed, aad(row.id)), aad(row.id)), row.id]);
        count++;
      }
    }
    return count;
  });
}
