import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import net from 'node:net';
import type { ConnectionCheck } from '#shared/check-schemas';
import { PROJECT_ROOT } from '../paths.ts';
import { SERVER_NODE_FLAGS } from '../runtime-flags.ts';

export const PROCESS_PASSWORD = 'durable horse battery staple';
/** The server as it runs in production, built by `npm run build` (the test scripts build it when stale). */
export const SERVER_ENTRY = 'dist/server/main.js';

/** A free loopback port, found by binding to port 0 and letting go. */
export async function freePort(): Promise<number> {
  const server = net.createServer().listen(0, '127.0.0.1');
  await new Promise((resolve) => server.once('listening', resolve));
  const { port } = server.address() as net.AddressInfo;
  await new Promise((resolve) => server.close(resolve));
  return port;
}

export type ServerProcess = {
  origin: string;
  /** The admin's session cookie, `session=…`. */
  cookie: string;
  child: ChildProcess;
  /** Everything the process wrote so far (its JSON log lines on stdout, and stderr). */
  stderr: () => string;
  /** A signed-in fetch with the headers the CSRF check wants. */
  api: (path: string, init?: { method?: string; body?: unknown; headers?: Record<string, string> }) => Promise<Response>;
  /** Resolves with the exit code (or the signal's name) once the process has ended. */
  exited: Promise<number | string>;
};

/**
 * Runs the real entry point, compiled (`dist/server/main.js`, with `--api-only` unless `browserApp` asks for the production
 * build too) as a child process on `port`, waits until it says it is ready, and signs in. The same DATA_DIR and
 * APP_ENCRYPTION_KEY start it again on the same data.
 */
export async function startServerProcess(options: {
  dataDir: string;
  key: string;
  port: number;
  env?: Record<string, string>;
  browserApp?: boolean;
}) {
  const origin = `http://127.0.0.1:${options.port}`;
  const child = spawn(process.execPath, [...SERVER_NODE_FLAGS, SERVER_ENTRY, ...(options.browserApp ? [] : ['--api-only'])], {
    cwd: PROJECT_ROOT,
    env: {
      PATH: process.env.PATH ?? '',
      PORT: String(options.port),
      DATA_DIR: options.dataDir,
      APP_ENCRYPTION_KEY: options.key,
      ADMIN_PASSWORD: PROCESS_PASSWORD,
      // Scheduled checks would add probes at moments no test chooses (the scale-out test counts them).
      SCHEDULED_CHECKS: 'false',
      LOG_LEVEL: 'warn',
      ...options.env,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  // Its log lines (JSON, on stdout) and anything else it writes.
  let output = '';
  child.stdout?.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr?.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const exited = new Promise<number | string>((resolve) => child.once('exit', (code, signal) => resolve(code ?? signal ?? 'unknown')));
  await untilReady(origin, exited, () => output);

  const csrf = { origin, 'x-requested-with': 'XMLHttpRequest' };
  const signIn = await fetch(`${origin}/api/session`, {
    method: 'POST',
    headers: { ...csrf, 'content-type': 'application/json' },
    body: JSON.stringify({ email: 'admin', password: PROCESS_PASSWORD }),
  });
  const cookie = signIn.headers
    .getSetCookie()
    .find((c) => c.startsWith('session='))
    ?.split(';')[0];
  if (signIn.status !== 204 || !cookie) throw new Error(`sign-in answered ${signIn.status}`);

  const api: ServerProcess['api'] = (path, init = {}) =>
    fetch(`${origin}${path}`, {
      method: init.method ?? 'GET',
      headers: { ...csrf, cookie, ...(init.body === undefined ? {} : { 'content-type': 'application/json' }), ...init.headers },
      body: init.body === undefined ? undefined : JSON.stringify(init.body),
    });
  return { origin, cookie, child, stderr: () => output, api, exited } satisfies ServerProcess;
}

/** Resolves once the server says it is ready (GET /api/health/ready answers 200); rejects if it exits first. */
export async function untilReady(origin: string, exited: Promise<number | string>, output: () => string, timeoutMs = 30_000): Promise<void> {
  let ended: number | string | null = null;
  void exited.then((code) => (ended = code));
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (ended !== null) throw new Error(`the server exited (${ended}) before it was ready:\n${output()}`);
    const ready = await fetch(`${origin}/api/health/ready`).then(
      (response) => response.ok,
      () => false,
    );
    if (ready) return;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  throw new Error(`the server was not ready in ${timeoutMs / 1000} s:\n${output()}`);
}

/** The check as the server reports it once it has left SCHEDULED, or as it stands when `timeoutMs` has passed. */
export async function checkWhenEnded(server: ServerProcess, id: string, timeoutMs: number): Promise<ConnectionCheck> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const check = (await (await server.api(`/api/v1/connection-checks/${id}`)).json()) as ConnectionCheck;
    if (check.status !== 'SCHEDULED' || Date.now() > deadline) return check;
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}

export const newEncryptionKey = () => randomBytes(32).toString('base64');
