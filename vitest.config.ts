import { defineConfig, mergeConfig } from 'vitest/config';
import viteConfig from './vite.config.ts';

export default mergeConfig(
  viteConfig,
  defineConfig({
    test: {
      // Components (*.test.tsx) run in jsdom, each file saying so (`// @vitest-environment jsdom`); the rest in Node.
      include: ['src/**/*.test.ts', 'src/**/*.test.tsx', 'e2e/**/*.test.ts'],
      environment: 'node',
      // better-sqlite3 is a native addon: separate processes keep each test file's database handles apart.
      pool: 'forks',
      // Most tests wait on sockets, timers and child processes rather than the CPU: on CI's two cores, vitest's default
      // (cores − 1 = one file at a time) left a core idle; three files at once cut the suite from ~170 s to ~70 s.
      maxWorkers: 3,
      // A test that builds an app signs in (scrypt, 128 MiB) at least once; with three files at once on two cores a test
      // building two apps took 5.0 s, vitest's default limit, and failed CI for no fault of its own. A hung test still fails.
      testTimeout: 20_000,
      // The same for the hooks that build those apps and start the local S3 endpoint (vitest's default is 10 s): with a
      // core kept busy, a file's time outside its tests (its hooks, mostly) was at most 3.4 s (iam-roles.test.ts, three
      // beforeAll), so this holds on a machine several times slower, and a hung hook still fails.
      hookTimeout: 20_000,
      setupFiles: ['src/test-setup.ts'],
      reporters: ['default', 'json'],
      outputFile: { json: 'reports/unit.json' },
    },
  }),
);
