// `npm run backup -- <file>`: a consistent copy of the SQLite database, taken while the app runs (SQLite's online
// backup, through better-sqlite3), written with mode 0600. The key is not in it: the tool says where it is.
import fs from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import { ConfigError, loadConfig } from './config.ts';
import { KEY_FILE } from './security/crypto.ts';
import { assertAppDataDir, DATABASE_FILE, NoAppDataError } from './store/index.ts';

const say = (line: string) => process.stderr.write(`${line}\n`);

async function main() {
  const config = loadConfig();
  const target = process.argv.slice(2).find((arg) => !arg.startsWith('-'));
  if (!target) throw new ConfigError('Name the file to write: npm run backup -- <file>');
  if (config.databaseUrl) {
    throw new ConfigError(
      'With DATABASE_URL the data is in PostgreSQL: back it up with pg_dump (README: "Backup and restore"); keep APP_ENCRYPTION_KEY with it',
    );
  }
  assertAppDataDir(config);
  const file = path.resolve(target);
  if (fs.existsSync(file)) throw new ConfigError(`${file} exists already: name a new file`);
  const db = new Database(path.join(config.dataDir, DATABASE_FILE), { readonly: true, fileMustExist: true });
  try {
    // Created empty and private first: the copy holds ciphertext of secrets, and the names and settings of everything.
    fs.writeFileSync(file, '', { mode: 0o600, flag: 'wx' });
    await db.backup(file);
    fs.chmodSync(file, 0o600);
  } catch (error) {
    fs.rmSync(file, { force: true });
    throw error;
  } finally {
    db.close();
  }
  const { size } = fs.statSync(file);
  say(`Backed up the database to ${file} (${size} bytes, mode 0600).`);
  say(
    config.encryptionKey
      ? 'It holds the secrets encrypted: keep APP_ENCRYPTION_KEY too (apart from this file), or the copy cannot be read.'
      : `It holds the secrets encrypted: keep ${path.join(config.dataDir, KEY_FILE)} too (apart from this file), or the copy cannot be read.`,
  );
}

main().catch((error: unknown) => {
  const known = error instanceof ConfigError || error instanceof NoAppDataError;
  process.stderr.write(`Cannot back up: ${known ? (error as Error).message : String(error)}\n`);
  process.exit(1);
});
