import fs from 'node:fs';
import path from 'node:path';

export const PROJECT_ROOT = path.resolve(import.meta.dirname, '../..');
export const CLIENT_DIR = path.join(PROJECT_ROOT, 'dist', 'client');
const SOURCES = ['index.html', 'vite.config.ts', 'public', 'src/client', 'src/shared'];

function newestMtime(target: string): number {
  let stat: fs.Stats;
  try {
    stat = fs.statSync(target);
  } catch {
    return 0;
  }
  if (!stat.isDirectory()) return stat.mtimeMs;
  return fs
    .readdirSync(target)
    .reduce((newest, entry) => Math.max(newest, newestMtime(path.join(target, entry))), stat.mtimeMs);
}

/** True when dist/client is missing or older than any source it is built from. */
export function clientBuildIsStale(): boolean {
  const built = newestMtime(path.join(CLIENT_DIR, 'index.html'));
  return built === 0 || SOURCES.some((source) => newestMtime(path.join(PROJECT_ROOT, source)) > built);
}

export async function buildClient(): Promise<void> {
  // Loaded only when needed: a server with a current build never loads Vite.
  const { build } = await import('vite');
  await build({ configFile: path.join(PROJECT_ROOT, 'vite.config.ts'), logLevel: 'warn' });
}
