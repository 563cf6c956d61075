// The production build: the browser app (Vite, into dist/client) and the server (tsc, src/server and src/shared into
// dist/server and dist/shared, with the SQL migrations beside the code that reads them). Decision 020. dist/ is a
// package of its own (dist/package.json): its `imports` send the compiled server's `#shared/…` to dist/shared, as the
// project's send the sources' to src/shared (decision 028), so `node dist/server/main.js` needs no flag.
//
//   node scripts/build.mjs            build both
//   node scripts/build.mjs --if-stale build what is missing or older than its sources; with no build tools installed
//                                     (a production install, `npm ci --omit=dev`), use what is built, or say what to do
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';

const ROOT = path.resolve(import.meta.dirname, '..');
const at = (...parts) => path.join(ROOT, ...parts);
const require = createRequire(import.meta.url);

/** The newest modification time under `target` (0 when it does not exist). */
function newest(target) {
  let stat;
  try {
    stat = fs.statSync(target);
  } catch {
    return 0;
  }
  if (!stat.isDirectory()) return stat.mtimeMs;
  return fs.readdirSync(target).reduce((time, entry) => Math.max(time, newest(path.join(target, entry))), stat.mtimeMs);
}

const PARTS = [
  {
    name: 'the browser app',
    output: at('dist', 'client', 'index.html'),
    sources: ['index.html', 'vite.config.ts', 'public', 'src/client', 'src/shared', 'package.json'],
    tool: 'vite',
    build: () => run(process.execPath, [binOf('vite', 'vite'), 'build', '--logLevel', 'warn']),
  },
  {
    name: 'the server',
    output: at('dist', 'server', 'main.js'),
    also: [at('dist', 'package.json')],
    sources: ['src/server', 'src/shared', 'tsconfig.json', 'tsconfig.server.json', 'package.json'],
    tool: 'typescript',
    build: () => {
      // Files of sources deleted since must not linger in dist/ and be imported by mistake.
      for (const dir of ['server', 'shared']) fs.rmSync(at('dist', dir), { recursive: true, force: true });
      run(process.execPath, [binOf('typescript', 'tsc'), '-p', 'tsconfig.server.json']);
      fs.cpSync(at('src', 'server', 'store', 'migrations'), at('dist', 'server', 'store', 'migrations'), { recursive: true });
      fs.writeFileSync(at('dist', 'package.json'), `${JSON.stringify(compiledManifest(), null, 2)}\n`);
    },
  },
];

/**
 * dist/package.json: ES modules, and the project's `imports` that lead into src/server or src/shared led to their
 * compiled files instead (`./src/shared/*.ts` → `./shared/*.js`). Any other alias (the browser app's `#client/*`) is
 * left out: the server must not import it, and a compiled import of it fails loudly rather than reading sources.
 */
function compiledManifest() {
  const { imports = {} } = JSON.parse(fs.readFileSync(at('package.json'), 'utf8'));
  const compiled = Object.entries(imports).flatMap(([alias, target]) => {
    const match = typeof target === 'string' ? /^\.\/src\/((?:server|shared)\/.*)\.ts$/.exec(target) : null;
    return match ? [[alias, `./${match[1]}.js`]] : [];
  });
  const description = 'The compiled server, written by scripts/build.mjs from the package.json above it';
  return { description, private: true, type: 'module', imports: Object.fromEntries(compiled) };
}

/** A package's command, as its package.json names it (packages' `exports` may not list their bin files). */
function binOf(name, command) {
  const manifest = require.resolve(`${name}/package.json`);
  const { bin } = JSON.parse(fs.readFileSync(manifest, 'utf8'));
  return path.join(path.dirname(manifest), typeof bin === 'string' ? bin : bin[command]);
}

function run(command, args) {
  const result = spawnSync(command, args, { cwd: ROOT, stdio: 'inherit' });
  if (result.status !== 0) throw new Error(`${path.basename(args[0] ?? command)} failed (exit ${result.status ?? result.signal})`);
}

const installed = (tool) => {
  try {
    require.resolve(`${tool}/package.json`);
    return true;
  } catch {
    return false;
  }
};

function build({ ifStale }) {
  for (const part of PARTS) {
    const built = Math.min(...[part.output, ...(part.also ?? [])].map(newest));
    const stale = built === 0 || part.sources.some((source) => newest(at(source)) > built);
    if (ifStale && !stale) continue;
    if (!installed(part.tool)) {
      if (built > 0) continue;
      throw new Error(
        `${part.name} is not built, and this install has no build tools (${part.tool}): build where the dev dependencies are installed (npm ci && npm run build), then copy dist/ here or run npm prune --omit=dev`,
      );
    }
    process.stderr.write(`Building ${part.name}…\n`);
    part.build();
  }
}

try {
  build({ ifStale: process.argv.includes('--if-stale') });
} catch (error) {
  process.stderr.write(`Cannot build: ${error.message}\n`);
  process.exit(1);
}
