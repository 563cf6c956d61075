import react from '@vitejs/plugin-react';
import fs from 'node:fs';
import path from 'node:path';
import { gzipSync } from 'node:zlib';
import type { Page } from '@playwright/test';
import { build } from 'vite';
import { CLIENT_DIR, PROJECT_ROOT } from '../../src/server/paths.ts';
import { kb, ratio, type Figure } from './figures.ts';

const gzipBytes = (file: string) => gzipSync(fs.readFileSync(file)).length;
const isAsset = (name: string) => /\.(js|css)$/.test(name);

// What must not be in the list route's first load: the forms, zod, the dialogs, the IAM policy builder.
const LAZY_SOURCES: [string, RegExp][] = [
  ['zod', /node_modules\/zod\//],
  ['react-hook-form', /node_modules\/react-hook-form\//],
  ['@radix-ui/react-dialog', /node_modules\/@radix-ui\/react-dialog\//],
  ['the wizard', /components\/wizard\//],
  ['the IAM policy builder', /src\/shared\/iam-policy\.ts/],
];

/**
 * The floor: a page with only React, ReactDOM and React Query (a query rendered into a root), built by Vite with the
 * same plugin and minifier as the app, everything it loads gzip-measured the same way.
 */
async function floorBytes(): Promise<number> {
  const root = path.join(PROJECT_ROOT, 'reports', 'bench-floor');
  fs.rmSync(root, { recursive: true, force: true });
  fs.mkdirSync(root, { recursive: true });
  fs.writeFileSync(
    path.join(root, 'index.html'),
    '<!doctype html><html lang="en"><head><title>floor</title></head><body><div id="root"></div><script type="module" src="./main.tsx"></script></body></html>',
  );
  fs.writeFileSync(
    path.join(root, 'main.tsx'),
    `import { QueryClient, QueryClientProvider, useQuery } from '@tanstack/react-query';
import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
function Health() {
  const health = useQuery({ queryKey: ['health'], queryFn: async () => (await fetch('/api/health')).json() });
  return <p>{health.isPending ? 'Loading' : JSON.stringify(health.data)}</p>;
}
createRoot(document.getElementById('root')!).render(
  <StrictMode><QueryClientProvider client={new QueryClient()}><Health /></QueryClientProvider></StrictMode>,
);
`,
  );
  const outDir = path.join(root, 'dist');
  await build({ root, configFile: false, logLevel: 'silent', plugins: [react()], build: { outDir, emptyOutDir: true } });
  const assets = path.join(outDir, 'assets');
  return fs
    .readdirSync(assets)
    .filter(isAsset)
    .reduce((sum, name) => sum + gzipBytes(path.join(assets, name)), 0);
}

/** Gzip bytes of the JS and CSS Chromium fetches when /destinations first loads, against the floor; the lazy chunks. */
export async function measureBundle(page: Page, origin: string): Promise<{ figures: Figure[]; chunks: string[] }> {
  const loaded = new Set<string>();
  page.on('response', (response) => {
    const url = new URL(response.url());
    if (url.origin === origin && url.pathname.startsWith('/assets/') && isAsset(url.pathname)) loaded.add(path.basename(url.pathname));
  });
  await page.goto(`${origin}/destinations`);
  await page.getByRole('heading', { name: 'Destinations', level: 1 }).waitFor();
  await page.waitForLoadState('networkidle');

  const assets = path.join(CLIENT_DIR, 'assets');
  const listBytes = [...loaded].reduce((sum, name) => sum + gzipBytes(path.join(assets, name)), 0);
  const floor = await floorBytes();
  const sourcesOf = (name: string) => {
    const map = path.join(assets, `${name}.map`);
    return fs.existsSync(map) ? (JSON.parse(fs.readFileSync(map, 'utf8')) as { sources: string[] }).sources : [];
  };
  const eager = [...loaded].flatMap(sourcesOf);
  const leaked = LAZY_SOURCES.filter(([, pattern]) => eager.some((source) => pattern.test(source))).map(([label]) => label);
  const chunks = fs
    .readdirSync(assets)
    .filter((name) => isAsset(name) && !loaded.has(name))
    .map((name) => ({ name, bytes: gzipBytes(path.join(assets, name)) }))
    .sort((a, b) => b.bytes - a.bytes)
    .map(({ name, bytes }) => `${name.replace(/-[\w-]{8}\.(js|css)$/, '.$1')} ${kb(bytes)}`);
  return {
    chunks,
    figures: [
      {
        name: 'List route first load (JS + CSS, gzip)',
        value: `${kb(listBytes)} = ${ratio(listBytes / floor)} floor`,
        budget: '≤ 1.25× floor',
        pass: listBytes / floor <= 1.25,
        detail: `${loaded.size} files: ${[...loaded].sort().join(', ')}; floor (React + ReactDOM + React Query) ${kb(floor)}`,
      },
      {
        name: 'Kept out of the first load',
        value: leaked.length === 0 ? 'all' : `loaded: ${leaked.join(', ')}`,
        budget: LAZY_SOURCES.map(([label]) => label).join(', '),
        pass: leaked.length === 0,
        detail: 'judged from the source maps of the files the list route loaded',
      },
    ],
  };
}
