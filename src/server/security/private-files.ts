import fs from 'node:fs';

/**
 * Files only the app's user may read, whatever the umask: the database (SQLite gives its -wal and -shm files the
 * database file's mode) and the key files. Modes are set explicitly after creation: a umask can only take bits away,
 * and a file created before this version may carry the 0644 an earlier one left.
 */
export const PRIVATE_FILE = 0o600;
export const PRIVATE_DIR = 0o700;

/** Creates `dir` 0700 when it does not exist (a directory the admin made is left as it is). */
export function ensurePrivateDir(dir: string): void {
  if (fs.existsSync(dir)) return;
  fs.mkdirSync(dir, { recursive: true, mode: PRIVATE_DIR });
  fs.chmodSync(dir, PRIVATE_DIR);
}

/** Creates `file` empty and 0600 if missing; narrows an existing one (and the given companions that exist) to 0600. */
export function ensurePrivateFile(file: string, companions: string[] = []): void {
  fs.closeSync(fs.openSync(file, 'a', PRIVATE_FILE));
  for (const path of [file, ...companions]) if (fs.existsSync(path)) fs.chmodSync(path, PRIVATE_FILE);
}

/** Writes `content` to a new file that is 0600 from its first byte (`flag` 'wx' refuses to replace one). */
export function writePrivateFile(file: string, content: string, flag: 'w' | 'wx' = 'w'): void {
  const fd = fs.openSync(file, flag, PRIVATE_FILE);
  try {
    fs.fchmodSync(fd, PRIVATE_FILE);
    fs.writeSync(fd, content);
    fs.fsyncSync(fd);
  } finally {
    fs.closeSync(fd);
  }
}
