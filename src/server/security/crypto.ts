import { createCipheriv, createDecipheriv, createHash, randomBytes } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { ensurePrivateDir, writePrivateFile } from './private-files.ts';

/**
 * Secrets at rest: AES-256-GCM, a fresh 96-bit IV per write, and associated data that binds a ciphertext to its row
 * and field, so a value copied into another row or column does not decrypt. Stored as
 * `v1.<key id>.<iv>.<ciphertext>.<tag>` (base64url); the key id names the key for a later rotation.
 */
export type SecretCipher = {
  /** The key this process was started with (APP_ENCRYPTION_KEY or the key file). */
  keyId: string;
  /** Whether this process holds the key `keyId` (its own, or a previous or next one of a rotation). */
  holds(keyId: string): boolean;
  /** Seals with `keyId` (one it holds: the one the database says writes, store/writing-key.ts), by default its own. */
  encrypt(plaintext: string, associatedData: string, keyId?: string): string;
  decrypt(stored: string, associatedData: string): string;
};

export class EncryptionKeyError extends Error {}
export class DecryptionError extends Error {}

/** Encrypts with `key`; decrypts with whichever of `key` and `previous` wrote the value (rotation keeps both). */
export function createSecretCipher(key: Buffer, previous: Buffer[] = []): SecretCipher {
  if (key.length !== 32) throw new EncryptionKeyError('The encryption key must be 32 bytes');
  const idOf = (k: Buffer) => createHash('sha256').update(k).digest('hex').slice(0, 8);
  const keyId = idOf(key);
  const ring = new Map([...previous, key].map((k) => [idOf(k), k]));
  return {
    keyId,
    holds: (id) => ring.has(id),
    encrypt(plaintext, associatedData, writingKeyId = keyId) {
      const writingKey = ring.get(writingKeyId);
      if (!writingKey) throw new EncryptionKeyError(`This process does not hold the encryption key ${writingKeyId}`);
      const iv = randomBytes(12);
      const cipher = createCipheriv('aes-256-gcm', writingKey, iv);
      cipher.setAAD(Buffer.from(associatedData, 'utf8'));
      const ciphertext = Buffer.concat([cipher.update(plaintext, 'utf8'), cipher.final()]);
      const parts = [iv, ciphertext, cipher.getAuthTag()].map((b) => b.toString('base64url'));
      return ['v1', writingKeyId, ...parts].join('.');
    },
    decrypt(stored, associatedData) {
      const [version, storedKeyId, iv, ciphertext, tag, ...extra] = stored.split('.');
      if (version !== 'v1' || !iv || ciphertext === undefined || !tag || extra.length > 0) {
        throw new DecryptionError('The stored value is not in a format this version can read');
      }
      const decryptionKey = ring.get(storedKeyId ?? '');
      if (!decryptionKey) {
        throw new DecryptionError(`The stored value was encrypted with key ${storedKeyId}, not the current key ${keyId}`);
      }
      try {
        const decipher = createDecipheriv('aes-256-gcm', decryptionKey, Buffer.from(iv, 'base64url'));
        decipher.setAAD(Buffer.from(associatedData, 'utf8'));
        decipher.setAuthTag(Buffer.from(tag, 'base64url'));
        return Buffer.concat([decipher.update(Buffer.from(ciphertext, 'base64url')), decipher.final()]).toString('utf8');
      } catch {
        throw new DecryptionError('The stored value failed its integrity check: it was altered or belongs elsewhere');
      }
    },
  };
}

function decodeKey(encoded: string, source: string): Buffer {
  const key = Buffer.from(encoded.trim(), 'base64');
  if (key.length !== 32 || !/^[A-Za-z0-9+/=_-]+$/.test(encoded.trim())) {
    throw new EncryptionKeyError(
      `${source} must hold a 32-byte key in base64 (make one with: openssl rand -base64 32); it decodes to ${key.length} bytes`,
    );
  }
  return key;
}

export const KEY_FILE = 'encryption.key';
/** Written by rotate-key before it re-encrypts, and kept after: an interrupted rotation leaves every value readable. */
export const NEXT_KEY_FILE = 'encryption.key.next';
export const PREVIOUS_KEY_FILE = 'encryption.key.previous';

export type LoadedKeys = { key: Buffer; previous: Buffer[]; source: string; warnings: string[] };

function readKeyFile(file: string): Buffer | null {
  try {
    return decodeKey(fs.readFileSync(file, 'utf8'), file);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw error;
  }
}

/**
 * The key from APP_ENCRYPTION_KEY (with APP_ENCRYPTION_KEY_PREVIOUS and APP_ENCRYPTION_KEY_NEXT also held during a
 * rotation), else from DATA_DIR/encryption.key (with the .next and .previous files of a rotation), generated there
 * once with mode 0600.
 */
export function loadEncryptionKey(options: {
  encryptionKey: string | null;
  encryptionPreviousKey?: string | null;
  encryptionNextKey?: string | null;
  dataDir: string;
  databaseUrl?: string | null;
}): LoadedKeys {
  if (options.encryptionKey) {
    const previous = [
      ...(options.encryptionPreviousKey ? [decodeKey(options.encryptionPreviousKey, 'APP_ENCRYPTION_KEY_PREVIOUS')] : []),
      ...(options.encryptionNextKey ? [decodeKey(options.encryptionNextKey, 'APP_ENCRYPTION_KEY_NEXT')] : []),
    ];
    return { key: decodeKey(options.encryptionKey, 'APP_ENCRYPTION_KEY'), previous, source: 'APP_ENCRYPTION_KEY', warnings: [] };
  }
  const file = path.join(options.dataDir, KEY_FILE);
  const others = [NEXT_KEY_FILE, PREVIOUS_KEY_FILE]
    .map((name) => readKeyFile(path.join(options.dataDir, name)))
    .filter((k): k is Buffer => k !== null);
  const existing = readKeyFile(file);
  // A shared database needs one key for every instance: a key file made here would be this instance's alone, and
  // another instance starting without it would make its own.
  const shared = options.databaseUrl
    ? [
        `DATABASE_URL is set but APP_ENCRYPTION_KEY is not: this instance reads its key from ${file}; give every instance the same key in APP_ENCRYPTION_KEY`,
      ]
    : [];
  if (existing) return { key: existing, previous: others, source: file, warnings: shared };
  if (options.databaseUrl) {
    throw new EncryptionKeyError(
      'With DATABASE_URL set, set APP_ENCRYPTION_KEY too (make one with: openssl rand -base64 32) and give every instance the same one: no key file is generated for a shared database',
    );
  }
  ensurePrivateDir(options.dataDir);
  const encoded = randomBytes(32).toString('base64');
  // 'wx': two processes starting together must not each write a different key.
  try {
    writePrivateFile(file, `${encoded}\n`, 'wx');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    return { key: readKeyFile(file) as Buffer, previous: others, source: file, warnings: [] };
  }
  return { key: decodeKey(encoded, file), previous: others, source: file, warnings: [] };
}
