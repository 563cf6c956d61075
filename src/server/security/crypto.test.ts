import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { tempDataDir } from '../test-support/test-app.ts';
import { createSecretCipher, DecryptionError, EncryptionKeyError, loadEncryptionKey } from './crypto.ts';

const cipher = createSecretCipher(randomBytes(32));

describe('AES-256-GCM secrets', () => {
  it('round-trips a value bound to its associated data', () => {
    const sealed = cipher.encrypt('s3cr3t/value+=', 'destinations:a:secret');
    expect(sealed.startsWith(`v1.${cipher.keyId}.`)).toBe(true);
    expect(sealed).not.toContain('s3cr3t');
    expect(cipher.decrypt(sealed, 'destinations:a:secret')).toBe('s3cr3t/value+=');
  });

  it('uses a fresh IV for every write', () => {
    const a = cipher.encrypt('same', 'aad');
    const b = cipher.encrypt('same', 'aad');
    expect(a).not.toBe(b);
    expect(a.split('.')[2]).not.toBe(b.split('.')[2]);
  });

  it('refuses a value moved to another row or field', () => {
    const sealed = cipher.encrypt('value', 'destinations:a:secret');
    expect(() => cipher.decrypt(sealed, 'destinations:b:secret')).toThrow(DecryptionError);
    expect(() => cipher.decrypt(sealed, 'destinations:a:token')).toThrow(DecryptionError);
  });

  it('refuses a tampered ciphertext', () => {
    const sealed = cipher.encrypt('value', 'aad').split('.');
    const body = Buffer.from(sealed[3] as string, 'base64url');
    body[0] = (body[0] ?? 0) ^ 1;
    sealed[3] = body.toString('base64url');
    expect(() => cipher.decrypt(sealed.join('.'), 'aad')).toThrow(/integrity check/);
  });

  it('names the key a value was written with when another key reads it', () => {
    const other = createSecretCipher(randomBytes(32));
    expect(() => other.decrypt(cipher.encrypt('v', 'aad'), 'aad')).toThrow(`encrypted with key ${cipher.keyId}`);
  });
});

describe('loading the key', () => {
  it('generates a key file with mode 0600 once, then reuses it', () => {
    const dataDir = tempDataDir();
    const first = loadEncryptionKey({ encryptionKey: null, dataDir });
    const file = path.join(dataDir, 'encryption.key');
    expect(fs.statSync(file).mode & 0o777).toBe(0o600);
    expect(loadEncryptionKey({ encryptionKey: null, dataDir }).key.equals(first.key)).toBe(true);
  });

  it('prefers APP_ENCRYPTION_KEY and writes no file', () => {
    const dataDir = tempDataDir();
    const key = randomBytes(32);
    expect(loadEncryptionKey({ encryptionKey: key.toString('base64'), dataDir }).key.equals(key)).toBe(true);
    expect(fs.existsSync(path.join(dataDir, 'encryption.key'))).toBe(false);
  });

  it.each(['short', randomBytes(16).toString('base64'), randomBytes(33).toString('base64'), 'not base64 at all!'])(
    'refuses APP_ENCRYPTION_KEY=%s with a message saying how to make one',
    (envKey) => {
      expect(() => loadEncryptionKey({ encryptionKey: envKey, dataDir: tempDataDir() })).toThrow(EncryptionKeyError);
      expect(() => loadEncryptionKey({ encryptionKey: envKey, dataDir: tempDataDir() })).toThrow(/openssl rand -base64 32/);
    },
  );
});

describe('the key with a shared database (DATABASE_URL)', () => {
  it('is never generated: APP_ENCRYPTION_KEY is asked for, and a key file already there keeps working with a warning', () => {
    const dataDir = tempDataDir();
    expect(() => loadEncryptionKey({ encryptionKey: null, dataDir, databaseUrl: 'postgres://db.example/app' })).toThrow(
      /With DATABASE_URL set, set APP_ENCRYPTION_KEY too/,
    );
    expect(fs.readdirSync(dataDir)).toEqual([]);
    const made = loadEncryptionKey({ encryptionKey: null, dataDir });
    const kept = loadEncryptionKey({ encryptionKey: null, dataDir, databaseUrl: 'postgres://db.example/app' });
    expect(kept.key.equals(made.key)).toBe(true);
    expect(kept.warnings).toEqual([expect.stringMatching(/^DATABASE_URL is set but APP_ENCRYPTION_KEY is not/)]);
  });
});
