import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

const created = new Set<string>();

/** A fresh directory for one test's data, removed after the test file (src/test-setup.ts) whatever the test did. */
export function tempDataDir(): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 's3-admin-test-'));
  created.add(dir);
  return dir;
}

export function removeTempDataDirs(): void {
  for (const dir of created) fs.rmSync(dir, { recursive: true, force: true });
  created.clear();
}
