import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { PROJECT_ROOT } from './paths.ts';
import { verifyPassword } from './security/password.ts';
import { createSecretCipher } from './security/crypto.ts';
import { openStore } from './store/index.ts';
import { openSqlite } from './store/sql.ts';
import { SERVER_NODE_FLAGS } from './runtime-flags.ts';
import { createRuntimeSettings } from './runtime-settings.ts';
import { freePort, newEncryptionKey, SERVER_ENTRY, startServerProcess } from './test-support/server-process.ts';
import { tempDataDir } from './test-support/test-app.ts';

type Run = { code: number | null; stderr: string; stdout?: string };

/** Runs one of the project's command-line scripts to its end, `input` on standard input. */
function runScript(script: string, env: Record<string, string>, input = '', args: string[] = []): Promise<Run> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [script, ...args], {
      cwd: PROJECT_ROOT,
      env: { PATH: process.env.PATH ?? '', ...env },
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    let stderr = '';
    let stdout = '';
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stderr, stdout }));
    child.stdin.end(input);
  });
}

type Start = Run & { lines: { level: number; msg: string; [field: string]: unknown }[]; other: string[] };

/**
 * Starts the real entry point and stops it (SIGTERM) once it says it is ready, or lets it exit by itself. Every line
 * it writes must be JSON (a log line): `other` holds any that is not.
 */
function start(env: Record<string, string>, flags: readonly string[] = SERVER_NODE_FLAGS): Promise<Start> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [...flags, SERVER_ENTRY, '--api-only'], {
      cwd: PROJECT_ROOT,
      env: { PATH: process.env.PATH ?? '', PORT: '0', LOG_LEVEL: 'info', ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    const timer = setTimeout(() => child.kill('SIGKILL'), 20_000);
    const onData = (chunk: Buffer) => {
      output += chunk.toString();
      if (output.includes('is ready on')) child.kill('SIGTERM');
    };
    child.stdout.on('data', onData);
    child.stderr.on('data', onData);
    child.on('error', reject);
    child.on('exit', (code) => {
      clearTimeout(timer);
      const lines: Start['lines'] = [];
      const other: string[] = [];
      for (const line of output.split('\n').filter(Boolean)) {
        try {
          lines.push(JSON.parse(line) as Start['lines'][number]);
        } catch {
          other.push(line);
        }
      }
      resolve({ code, stderr: output, lines, other });
    });
  });
}
const messages = (run: Start) => run.lines.map((line) => line.msg);

describe('startup', () => {
  it('hands the first admin’s generated password over in a 0600 file, never a log line, on the first start only; every line is JSON; SIGTERM stops it cleanly', async () => {
    const dataDir = tempDataDir();
    const first = await start({ DATA_DIR: dataDir });
    expect(first.code).toBe(0);
    expect(first.other).toEqual([]);
    const file = path.join(dataDir, 'first-admin-password');
    const handed = fs.readFileSync(file, 'utf8');
    const password = /^Password: ([A-Za-z0-9_-]{24})$/m.exec(handed)?.[1];
    expect(handed).toMatch(/^Sign in as: admin$/m);
    expect(fs.statSync(file).mode & 0o777).toBe(0o600);
    // The log names the file, never the password.
    expect(first.stderr).not.toContain(password);
    expect(first.lines).toContainEqual(
      expect.objectContaining({ level: 40, file, msg: expect.stringContaining('first admin created: the password is in') }),
    );
    // The start line names the version, the origin, the store (never a password) and the key id.
    expect(first.lines).toContainEqual(
      expect.objectContaining({
        store: `SQLite ${path.join(dataDir, 'destinations.sqlite')}`,
        keyId: expect.stringMatching(/^[0-9a-f]{8}$/),
        msg: expect.stringMatching(/is ready on/),
      }),
    );
    expect(messages(first)).toContain('applied migration 001-initial.sql');
    expect(messages(first).slice(-2)).toEqual(['stopping: taking no new work', 'stopped']);
    expect(fs.statSync(path.join(dataDir, 'encryption.key')).mode & 0o777).toBe(0o600);
    // A later ADMIN_PASSWORD is ignored, and the start says so and how to change a password instead.
    fs.rmSync(file);
    const second = await start({ DATA_DIR: dataDir, ADMIN_PASSWORD: 'a password set later on' });
    expect(second.stderr).toContain('is ready on');
    expect(fs.existsSync(file)).toBe(false);
    expect(messages(second)).toContain(
      'ADMIN_PASSWORD is ignored: it only creates the first admin, and an admin exists. Reset a password on the Users screen or with npm run set-password -- <email>',
    );
    expect(messages(second)).not.toContain('applied migration 001-initial.sql');
  }, 60_000);

  it('makes no first admin when it cannot listen (the port is taken): the next start hands out the password', async () => {
    const dataDir = tempDataDir();
    const taken = net.createServer().listen(0, '127.0.0.1');
    await new Promise((resolve) => taken.once('listening', resolve));
    const port = (taken.address() as net.AddressInfo).port;
    const failed = await start({ DATA_DIR: dataDir, PORT: String(port), HOST: '127.0.0.1' });
    taken.close();
    expect(failed.code).toBe(1);
    expect(failed.lines).toContainEqual(expect.objectContaining({ level: 60, msg: expect.stringMatching(/^Cannot start: .*EADDRINUSE/) }));
    expect(fs.existsSync(path.join(dataDir, 'first-admin-password'))).toBe(false);
    const next = await start({ DATA_DIR: dataDir });
    expect(next.code).toBe(0);
    expect(fs.readFileSync(path.join(dataDir, 'first-admin-password'), 'utf8')).toMatch(/^Password: [A-Za-z0-9_-]{24}$/m);
  }, 60_000);

  it('stops with a clear message when APP_ENCRYPTION_KEY is not the key the data was written with', async () => {
    const dataDir = tempDataDir();
    const key = randomBytes(32).toString('base64');
    expect((await start({ DATA_DIR: dataDir, APP_ENCRYPTION_KEY: key, ADMIN_PASSWORD: 'pw' })).code).toBe(0);
    const wrong = await start({ DATA_DIR: dataDir, APP_ENCRYPTION_KEY: randomBytes(32).toString('base64'), ADMIN_PASSWORD: 'pw' });
    expect(wrong.code).toBe(1);
    expect(messages(wrong).at(-1)).toMatch(/^Cannot start: The encryption key \(id [0-9a-f]{8}\) is not the one the data in .* was encrypted with/);
    expect(wrong.stderr).not.toContain('    at ');
  }, 60_000);

  it('refuses to start on a database a newer version migrated beyond what this one can run on, and writes nothing', async () => {
    const dataDir = tempDataDir();
    const key = randomBytes(32).toString('base64');
    expect((await start({ DATA_DIR: dataDir, APP_ENCRYPTION_KEY: key, ADMIN_PASSWORD: 'a long enough password' })).code).toBe(0);
    const store = await openStore({ dataDir, cipher: createSecretCipher(Buffer.from(key, 'base64')) });
    await store.db.run("INSERT INTO schema_versions (migration, oldest_app_version, applied_by) VALUES ('099-future.sql', '9.0.0', '9.1.0')");
    const users = await store.db.all('SELECT id FROM users');
    await store.close();
    const refused = await start({ DATA_DIR: dataDir, APP_ENCRYPTION_KEY: key });
    expect(refused.code).toBe(1);
    expect(messages(refused).at(-1)).toMatch(
      /^Cannot start: The database was upgraded by version 9\.1\.0 \(migration 099-future\.sql\), which needs version 9\.0\.0 or later to run on it; this is version \d+\.\d+\.\d+\./,
    );
    const db = openSqlite(path.join(dataDir, 'destinations.sqlite'));
    expect(await db.all('SELECT id FROM users')).toEqual(users);
    await db.close();
  }, 60_000);

  it('warns of a variable that looks like a setting but is not, naming the one it likely meant', async () => {
    const run = await start({ DATA_DIR: tempDataDir(), DATABSE_URL: 'postgres://db.example/app', PUBLIC_ORGIN: 'https://admin.example' });
    expect(run.code).toBe(0);
    expect(messages(run)).toEqual(
      expect.arrayContaining([
        'DATABSE_URL is not a setting of this app: did you mean DATABASE_URL? (it is ignored)',
        'PUBLIC_ORGIN is not a setting of this app: did you mean PUBLIC_ORIGIN? (it is ignored)',
      ]),
    );
  }, 30_000);

  it('warns when started without the V8 flags npm start passes, naming them; NODE_OPTIONS counts as passing them', async () => {
    const bare = await start({ DATA_DIR: tempDataDir() }, []);
    expect(bare.code).toBe(0);
    const warning = bare.lines.find((line) => line.level === 40 && line.msg.startsWith('started without'));
    expect(warning?.flags).toEqual([...SERVER_NODE_FLAGS]);
    expect(warning?.msg).toContain('--max-semi-space-size=16');
    const viaOptions = await start({ DATA_DIR: tempDataDir(), NODE_OPTIONS: SERVER_NODE_FLAGS.join(' ') }, []);
    expect(viaOptions.code).toBe(0);
    expect(messages(viaOptions).some((msg) => msg.startsWith('started without'))).toBe(false);
    expect(messages(await start({ DATA_DIR: tempDataDir() })).some((msg) => msg.startsWith('started without'))).toBe(false);
  }, 60_000);

  it('names the variable when a setting is malformed', async () => {
    const run = await start({ DATA_DIR: tempDataDir(), CHECK_TIMEOUT_MS: 'soon' });
    expect(run.code).toBe(1);
    expect(messages(run).at(-1)).toMatch(/^Cannot start: CHECK_TIMEOUT_MS must be a whole number/);
  }, 30_000);
});

describe('npm start', () => {
  it('runs the compiled server as npm’s own child, so a SIGTERM to npm stops the server too (nothing is orphaned)', async () => {
    const port = await freePort();
    const child = spawn('npm', ['start', '--silent'], {
      cwd: PROJECT_ROOT,
      env: {
        PATH: process.env.PATH ?? '',
        HOME: process.env.HOME ?? '',
        PORT: String(port),
        DATA_DIR: tempDataDir(),
        ADMIN_PASSWORD: 'npm start test password',
        LOG_LEVEL: 'info',
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    const ready = new Promise<void>((resolve, reject) => {
      const onData = (chunk: Buffer) => {
        output += chunk.toString();
        if (output.includes('is ready on')) resolve();
      };
      child.stdout.on('data', onData);
      child.stderr.on('data', onData);
      child.once('exit', () => reject(new Error(`npm start ended before the server was ready:\n${output}`)));
    });
    const exited = new Promise<number | string>((resolve) => child.once('exit', (code, signal) => resolve(code ?? signal ?? 'unknown')));
    await ready;
    expect((await fetch(`http://127.0.0.1:${port}/api/health`)).status).toBe(200);
    // The server is npm's only child (sh exec'd into it): no tsx, no second node.
    const children = fs.readFileSync(`/proc/${child.pid}/task/${child.pid}/children`, 'utf8').trim().split(/\s+/);
    expect(children).toHaveLength(1);
    const commandLine = fs.readFileSync(`/proc/${children[0]}/cmdline`, 'utf8').split('\0');
    expect(commandLine).toContain('dist/server/main.js');
    // With the V8 flags the server is meant to run with (runtime-flags.ts), so it does not warn of their absence.
    expect(commandLine).toEqual(expect.arrayContaining([...SERVER_NODE_FLAGS]));
    expect(output).not.toContain('started without');
    child.kill('SIGTERM');
    expect(await exited).toBe(0);
    // Gone, not orphaned: nothing answers on its port any more.
    await expect(fetch(`http://127.0.0.1:${port}/api/health`)).rejects.toThrow();
    expect(fs.existsSync(`/proc/${children[0]}`)).toBe(false);
  }, 60_000);
});

describe('the compiled server', () => {
  it('refuses to start, and its scripts to run, from a dist/ copied without its package.json, which would run src/shared’s TypeScript', async () => {
    // A project tree whose dist/ lacks package.json, with src/shared beside it (a checkout where dist/ was copied in part).
    const root = tempDataDir();
    fs.copyFileSync(path.join(PROJECT_ROOT, 'package.json'), path.join(root, 'package.json'));
    fs.symlinkSync(path.join(PROJECT_ROOT, 'node_modules'), path.join(root, 'node_modules'));
    fs.cpSync(path.join(PROJECT_ROOT, 'src', 'shared'), path.join(root, 'src', 'shared'), { recursive: true });
    for (const part of ['server', 'shared']) fs.cpSync(path.join(PROJECT_ROOT, 'dist', part), path.join(root, 'dist', part), { recursive: true });
    const run = await runScript(path.join(root, 'dist', 'server', 'main.js'), { DATA_DIR: tempDataDir(), PORT: '0' }, '', ['--api-only']);
    expect(run.code).toBe(1);
    // The server's refusal is its one log line (JSON, on standard output).
    expect(run.stdout).toContain('Cannot start: the compiled server would run the TypeScript sources of src/shared');
    expect(run.stdout).toContain('dist/package.json is missing');
    // The operator's scripts read the configuration the same way, and refuse the same way.
    const script = await runScript(path.join(root, 'dist', 'server', 'rotate-key.js'), { DATA_DIR: tempDataDir() }, '', ['--check']);
    expect(script.code).toBe(1);
    expect(script.stderr).toContain('Cannot rotate the key: the compiled server would run the TypeScript sources of src/shared');
    // With the file the build writes, the same tree resolves the compiled shared code.
    fs.copyFileSync(path.join(PROJECT_ROOT, 'dist', 'package.json'), path.join(root, 'dist', 'package.json'));
    const fixed = await runScript(path.join(root, 'dist', 'server', 'rotate-key.js'), { DATA_DIR: tempDataDir() }, '', ['--check']);
    expect(fixed.stderr).not.toContain('package.json');
    expect(fixed.stderr).toContain('There is no app database');
  }, 60_000);
});

describe('npm run set-password', () => {
  const setPassword = (dataDir: string, input: string) => runScript('dist/server/set-password.js', { DATA_DIR: dataDir }, input);

  it('sets the only admin’s password from standard input, signs them out everywhere and turns password sign-in on again', async () => {
    const dataDir = tempDataDir();
    expect((await start({ DATA_DIR: dataDir })).code).toBe(0);
    const key = Buffer.from(fs.readFileSync(path.join(dataDir, 'encryption.key'), 'utf8').trim(), 'base64');
    const before = await openStore({ dataDir, cipher: createSecretCipher(key) });
    // An admin turned the password form off for single sign-on, which then broke: set-password is the way back in.
    await createRuntimeSettings(before.settings).set('passwordSignIn', 'off');
    await before.close();
    const run = await setPassword(dataDir, 'a brand new admin password\n');
    expect(run.code).toBe(0);
    expect(run.stderr).toContain('The password of admin is changed');
    expect(run.stderr).toContain('Password sign-in was turned off; it is on again.');
    const store = await openStore({ dataDir, cipher: createSecretCipher(key) });
    try {
      const admin = (await store.users.findByEmail('admin'))!;
      expect(await verifyPassword('a brand new admin password', admin.password_hash!)).toBe(true);
      expect(await verifyPassword('anything else', admin.password_hash!)).toBe(false);
      expect(await createRuntimeSettings(store.settings).get('passwordSignIn')).toBe('on');
    } finally {
      await store.close();
    }
  }, 60_000);

  it('refuses a short password and changes nothing', async () => {
    const dataDir = tempDataDir();
    expect((await start({ DATA_DIR: dataDir, ADMIN_PASSWORD: 'the original password' })).code).toBe(0);
    const run = await setPassword(dataDir, 'short\n');
    expect(run.code).toBe(1);
    expect(run.stderr).toContain('at least 12 characters');
  }, 60_000);
});

describe('npm run rotate-key', () => {
  it('moves the data to a new key file, keeps the old one as .previous, and the app starts on the new key', async () => {
    const dataDir = tempDataDir();
    expect((await start({ DATA_DIR: dataDir, ADMIN_PASSWORD: 'rotation test password' })).code).toBe(0);
    const before = fs.readFileSync(path.join(dataDir, 'encryption.key'), 'utf8');
    const run = await runScript('dist/server/rotate-key.js', { DATA_DIR: dataDir });
    expect(run.code, run.stderr).toBe(0);
    expect(run.stderr).toMatch(/Re-encrypted \d+ values under key [0-9a-f]{8}; no value remains under any other key \(checked\)/);
    expect(fs.readFileSync(path.join(dataDir, 'encryption.key.previous'), 'utf8')).toBe(before);
    expect(fs.readFileSync(path.join(dataDir, 'encryption.key'), 'utf8')).not.toBe(before);
    expect(fs.statSync(path.join(dataDir, 'encryption.key')).mode & 0o777).toBe(0o600);
    const check = await runScript('dist/server/rotate-key.js', { DATA_DIR: dataDir }, '', ['--check']);
    expect(check.code, check.stderr).toBe(0);
    expect(check.stderr).toMatch(/^Writing key: [0-9a-f]{8}$/m);
    expect(check.stderr).toContain('Every value is under the writing key: no other key is needed.');
    fs.rmSync(path.join(dataDir, 'encryption.key.previous'));
    expect((await start({ DATA_DIR: dataDir, ADMIN_PASSWORD: 'rotation test password' })).stderr).toContain('is ready on');
  }, 60_000);

  it('refuses a DATA_DIR that holds no app data, and writes nothing there (set-password too)', async () => {
    const empty = tempDataDir();
    for (const script of ['dist/server/rotate-key.js', 'dist/server/set-password.js']) {
      const run = await runScript(script, { DATA_DIR: empty }, 'a long enough password\n');
      expect(run.code).toBe(1);
      expect(run.stderr).toContain(
        `There is no app database in ${empty} (no destinations.sqlite): set DATA_DIR (or DATABASE_URL) to where the app keeps its data`,
      );
      expect(fs.readdirSync(empty)).toEqual([]);
    }
  }, 60_000);
});

describe('npm run backup', () => {
  it('copies the database while the app takes writes (mode 0600); the copy restored starts, and its secrets decrypt with the key', async () => {
    const dataDir = tempDataDir();
    const key = newEncryptionKey();
    const server = await startServerProcess({ dataDir, key, port: await freePort() });
    const file = path.join(tempDataDir(), 'backup.sqlite');
    let saved = 0;
    let writing = true;
    const writes = (async () => {
      while (writing) {
        const answer = await server.api('/api/v1/destinations', {
          method: 'POST',
          body: {
            name: `backed up ${saved}`,
            type: 's3',
            config: { remote_url: 's3://bucket/b/', key: 'AKIAIOSFODNN7EXAMPLE', secret: `BackupSecret${saved}`.padEnd(40, 'x') },
          },
        });
        if (answer.status === 200) saved++;
      }
    })();
    try {
      while (saved < 5) await new Promise((resolve) => setImmediate(resolve));
      const run = await runScript('dist/server/backup.js', { DATA_DIR: dataDir, APP_ENCRYPTION_KEY: key }, '', [file]);
      expect(run.code, run.stderr).toBe(0);
      expect(run.stderr).toMatch(/^Backed up the database to .*backup\.sqlite \(\d+ bytes, mode 0600\)\.$/m);
      expect(run.stderr).toContain('keep APP_ENCRYPTION_KEY too');
      expect(fs.statSync(file).mode & 0o777).toBe(0o600);
    } finally {
      writing = false;
      await writes;
      server.child.kill('SIGTERM');
      await server.exited;
    }
    // Restored into a new DATA_DIR with the same key: the app starts on it, and every secret in it decrypts.
    const restored = tempDataDir();
    fs.copyFileSync(file, path.join(restored, 'destinations.sqlite'));
    const again = await start({ DATA_DIR: restored, APP_ENCRYPTION_KEY: key });
    expect(again.code).toBe(0);
    const store = await openStore({ dataDir: restored, cipher: createSecretCipher(Buffer.from(key, 'base64')) });
    try {
      const ids = await store.db.all<{ id: string }>('SELECT id FROM destinations');
      expect(ids.length).toBeGreaterThanOrEqual(5);
      for (const { id } of ids) expect((await store.destinations.findConfigWithSecrets(id))?.secret).toMatch(/^BackupSecret\d+x+$/);
    } finally {
      await store.close();
    }
    // An existing file is never overwritten.
    const refused = await runScript('dist/server/backup.js', { DATA_DIR: restored, APP_ENCRYPTION_KEY: key }, '', [file]);
    expect([refused.code, refused.stderr.trim()]).toEqual([1, `Cannot back up: ${file} exists already: name a new file`]);
  }, 60_000);
});
