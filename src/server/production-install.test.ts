import fs from 'node:fs';
import { builtinModules } from 'node:module';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { PROJECT_ROOT } from './paths.ts';

// A production install (`npm ci --omit=dev`) has the `dependencies` only: every package the compiled server imports
// must be one of them, and every relative import and `#shared/…` alias must lead to a file that was built (the test
// scripts build dist/ first).
const manifest = JSON.parse(fs.readFileSync(path.join(PROJECT_ROOT, 'package.json'), 'utf8')) as { dependencies: Record<string, string> };
const builtDir = path.join(PROJECT_ROOT, 'dist');

function builtFiles(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const full = path.join(dir, entry.name);
    return entry.isDirectory() ? builtFiles(full) : entry.name.endsWith('.js') ? [full] : [];
  });
}
const SPECIFIER =
  /(?:^|[\s;])(?:import|export)\s[^'"]*?from\s*['"]([^'"]+)['"]|(?:^|[\s;])import\s*['"]([^'"]+)['"]|import\(\s*['"]([^'"]+)['"]\s*\)/gm;
/** Where dist/package.json's `imports` (scripts/build.mjs writes them) send an alias, `#shared/x` → dist/shared/x.js. */
function aliasTarget(specifier: string): string | null {
  const { imports = {} } = JSON.parse(fs.readFileSync(path.join(builtDir, 'package.json'), 'utf8')) as { imports?: Record<string, string> };
  for (const [alias, target] of Object.entries(imports)) {
    const [before, after = ''] = alias.split('*') as [string, string?];
    if (specifier.startsWith(before) && specifier.endsWith(after) && specifier.length >= before.length + after.length) {
      return path.join(builtDir, target.replace('*', specifier.slice(before.length, specifier.length - after.length)));
    }
  }
  return null;
}
const packageOf = (specifier: string) =>
  specifier
    .split('/')
    .slice(0, specifier.startsWith('@') ? 2 : 1)
    .join('/');

describe('the compiled server', () => {
  const files = [...builtFiles(path.join(builtDir, 'server')), ...builtFiles(path.join(builtDir, 'shared'))];

  it('is built: one JavaScript file per source file of src/server and src/shared, with its migrations', () => {
    expect(files.map((file) => path.relative(builtDir, file))).toContain(path.join('server', 'main.js'));
    const migrations = fs.readdirSync(path.join(PROJECT_ROOT, 'src', 'server', 'store', 'migrations'));
    expect(fs.readdirSync(path.join(builtDir, 'server', 'store', 'migrations'))).toEqual(migrations);
  });

  it('imports only packages of `dependencies` (what npm ci --omit=dev installs), and only files that were built', () => {
    const problems: string[] = [];
    const seen = new Set<string>();
    for (const file of files) {
      for (const match of fs.readFileSync(file, 'utf8').matchAll(SPECIFIER)) {
        const specifier = match[1] ?? match[2] ?? match[3] ?? '';
        const where = path.relative(builtDir, file);
        seen.add(specifier.startsWith('.') ? 'relative' : specifier.startsWith('#') ? 'alias' : packageOf(specifier));
        if (specifier.startsWith('#')) {
          const target = aliasTarget(specifier);
          if (target === null || !fs.existsSync(target)) problems.push(`${where}: ${specifier} leads to no built file (${target ?? 'no alias'})`);
        } else if (specifier.startsWith('.')) {
          if (!fs.existsSync(path.resolve(path.dirname(file), specifier))) problems.push(`${where}: ${specifier} was not built`);
        } else if (!specifier.startsWith('node:') && !builtinModules.includes(specifier) && !(packageOf(specifier) in manifest.dependencies)) {
          problems.push(`${where}: ${packageOf(specifier)} is not a dependency`);
        }
      }
    }
    expect(problems).toEqual([]);
    // The reading itself works: it found the server's framework, its database drivers and its own modules.
    expect([...seen]).toEqual(expect.arrayContaining(['fastify', 'better-sqlite3', 'pg', 'zod', 'relative', 'alias']));
  });
});
