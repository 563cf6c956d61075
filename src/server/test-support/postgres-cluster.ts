// A throwaway PostgreSQL cluster for the tests: Debian's server binaries, a temp directory, a loopback port, run as a
// non-root user (PostgreSQL refuses to run as root), stopped and removed afterwards.
//
//   node --import tsx src/server/test-support/postgres-cluster.ts -- <command…>
//
// runs the command with TEST_DATABASE_URL pointing at the cluster and exits with its status.
import { execFileSync, spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { freePort } from './server-process.ts';

const USER = 's3admin';
const DATABASE = 's3admin';

function binDir(): string {
  const root = '/usr/lib/postgresql';
  const versions = fs.existsSync(root) ? fs.readdirSync(root).filter((v) => fs.existsSync(path.join(root, v, 'bin', 'initdb'))) : [];
  const newest = versions.sort((a, b) => Number(b) - Number(a))[0];
  if (!newest) throw new Error('PostgreSQL server binaries not found in /usr/lib/postgresql: apt-get install postgresql');
  return path.join(root, newest, 'bin');
}

/** As root, the cluster runs as the `postgres` user Debian's package creates; otherwise as whoever runs this. */
function runAs(): { uid: number; gid: number } | null {
  if (process.getuid?.() !== 0) return null;
  const uid = Number(execFileSync('id', ['-u', 'postgres']).toString());
  const gid = Number(execFileSync('id', ['-g', 'postgres']).toString());
  return { uid, gid };
}

export type PostgresCluster = { url: string; stop(): Promise<void> };

export async function startPostgresCluster(): Promise<PostgresCluster> {
  const bin = binDir();
  const user = runAs();
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 's3-admin-pg-'));
  if (user) fs.chownSync(dir, user.uid, user.gid);
  const data = path.join(dir, 'data');
  const run = (command: string, args: string[]) =>
    execFileSync(path.join(bin, command), args, { stdio: ['ignore', 'ignore', 'pipe'], ...(user ?? {}), env: { PATH: process.env.PATH ?? '' } });
  run('initdb', ['-D', data, '-U', USER, '-A', 'trust', '-E', 'UTF8', '--no-sync']);
  const port = await freePort();
  // Durability is not what these tests are about: fsync off keeps a 2-core machine fast.
  const options = `-p ${port} -k ${dir} -c listen_addresses=127.0.0.1 -c fsync=off -c synchronous_commit=off -c full_page_writes=off -c max_connections=300`;
  run('pg_ctl', ['-D', data, '-l', path.join(dir, 'server.log'), '-w', '-o', options, 'start']);
  const admin = new pg.Client({ connectionString: `postgres://${USER}@127.0.0.1:${port}/postgres` });
  await admin.connect();
  await admin.query(`CREATE DATABASE ${DATABASE}`);
  await admin.end();
  // pg_trgm in public, as a database owner would install it: were it made by the first test app, in that app's own
  // schema, dropping the schema after its test would drop the extension and every other app's trigram index with it.
  const database = new pg.Client({ connectionString: `postgres://${USER}@127.0.0.1:${port}/${DATABASE}` });
  await database.connect();
  await database.query('CREATE EXTENSION IF NOT EXISTS pg_trgm SCHEMA public');
  await database.end();
  return {
    url: `postgres://${USER}@127.0.0.1:${port}/${DATABASE}`,
    async stop() {
      try {
        run('pg_ctl', ['-D', data, '-m', 'immediate', '-w', 'stop']);
      } finally {
        fs.rmSync(dir, { recursive: true, force: true });
      }
    },
  };
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const command = process.argv.slice(process.argv.indexOf('--') + 1);
  if (command.length === 0) throw new Error('usage: postgres-cluster.ts -- <command…>');
  const cluster = await startPostgresCluster();
  process.stderr.write(`PostgreSQL test cluster at ${cluster.url}\n`);
  const child = spawn(command[0]!, command.slice(1), { stdio: 'inherit', env: { ...process.env, TEST_DATABASE_URL: cluster.url } });
  const code = await new Promise<number>((resolve) => child.once('exit', (status, signal) => resolve(status ?? (signal ? 1 : 0))));
  await cluster.stop();
  process.exit(code);
}
