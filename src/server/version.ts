import fs from 'node:fs';
import path from 'node:path';
import { PROJECT_ROOT } from './paths.ts';

/** This app's version (package.json, semver), as the version guard, the about route and the metrics say it. */
export const APP_VERSION: string = (JSON.parse(fs.readFileSync(path.join(PROJECT_ROOT, 'package.json'), 'utf8')) as { version: string }).version;

const parts = (version: string) =>
  version
    .split(/[.+-]/)
    .slice(0, 3)
    .map((part) => Number.parseInt(part, 10) || 0);

/** Negative when `a` is older than `b`, 0 when the same release, positive when newer (major.minor.patch). */
export function compareVersions(a: string, b: string): number {
  const [x, y] = [parts(a), parts(b)];
  for (let i = 0; i < 3; i++) if ((x[i] ?? 0) !== (y[i] ?? 0)) return (x[i] ?? 0) - (y[i] ?? 0);
  return 0;
}
