import { afterAll, afterEach, beforeEach, vi } from 'vitest';
import { removeTempDataDirs } from './server/test-support/temp-dirs.ts';

// Every data directory a test file made goes with it: a run leaves nothing in the temp folder.
afterAll(removeTempDataDirs);

// An unexpected console.error is a bug the test did not look for.
let errorSpy: ReturnType<typeof vi.spyOn>;
beforeEach(() => {
  errorSpy = vi.spyOn(console, 'error');
});
afterEach(() => {
  const calls = errorSpy.mock.calls;
  errorSpy.mockRestore();
  if (calls.length > 0) throw new Error(`console.error was called: ${calls.map((c: unknown[]) => c.join(' ')).join('\n')}`);
});
