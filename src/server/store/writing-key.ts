import type { SecretCipher } from '../security/crypto.ts';
import type { Sql } from './sql.ts';

/**
 * Which key seals new secrets is the database's to say, not each process's: `settings.encryption_writing_key`, set on
 * the first start and moved by `npm run rotate-key`. Every write that seals reads it in its own transaction (on
 * PostgreSQL with a share lock, so a rotation moving it waits for the writes in flight, and every write after it sees
 * the new key); a process that does not hold that key refuses to write secrets until it is restarted with it — a
 * value it sealed with the old key would become unreadable once the old key is removed (decision 021).
 */
export const WRITING_KEY_SETTING = 'encryption_writing_key';

export class WritingKeyNotHeldError extends Error {
  constructor(readonly keyId: string) {
    super(
      `This server instance cannot save secrets now: the database encrypts new secrets with key ${keyId}, which this instance does not hold. ` +
        'Restart it with that key (README: "Rotating the encryption key")',
    );
  }
}

export type Seal = (plaintext: string, associatedData: string) => string;

/** In a write transaction that seals secrets: the sealer for the key the database says writes now. */
export async function writingSeal(tx: Sql, cipher: SecretCipher): Promise<Seal> {
  const row = await tx.get<{ value: string }>(`SELECT value FROM settings WHERE key = $1${tx.dialect === 'postgres' ? ' FOR SHARE' : ''}`, [
    WRITING_KEY_SETTING,
  ]);
  const keyId = row?.value ?? cipher.keyId;
  if (!cipher.holds(keyId)) throw new WritingKeyNotHeldError(keyId);
  return (plaintext, associatedData) => cipher.encrypt(plaintext, associatedData, keyId);
}
