// Adds up the JSON reports of every suite into the one closing line CI reads: "N passed, N failed, N skipped".
// A failure before a suite could report (typecheck, lint, a crash) counts as one failed check.
import fs from 'node:fs';

const exitStatus = Number(process.argv[2] ?? 0);
const read = (file) => (fs.existsSync(file) ? JSON.parse(fs.readFileSync(file, 'utf8')) : null);
let passed = 0;
let failed = 0;
let skipped = 0;

const unit = read('reports/unit.json');
if (unit) {
  passed += unit.numPassedTests;
  failed += unit.numFailedTests;
  skipped += unit.numPendingTests + unit.numTodoTests;
  console.log(`unit + API (vitest): ${unit.numPassedTests} passed, ${unit.numFailedTests} failed`);
}
const postgres = read('reports/unit-postgres.json');
if (postgres) {
  passed += postgres.numPassedTests;
  failed += postgres.numFailedTests;
  skipped += postgres.numPendingTests + postgres.numTodoTests;
  console.log(`API on PostgreSQL (vitest): ${postgres.numPassedTests} passed, ${postgres.numFailedTests} failed`);
}
const e2e = read('reports/e2e.json');
if (e2e) {
  const { expected, unexpected, flaky, skipped: e2eSkipped } = e2e.stats;
  passed += expected;
  failed += unexpected + flaky;
  skipped += e2eSkipped;
  console.log(`browser (playwright): ${expected} passed, ${unexpected + flaky} failed, ${e2eSkipped} skipped`);
  if (e2e.errors?.length) failed += e2e.errors.length;
}
if (exitStatus !== 0 && failed === 0) {
  console.log(`npm test exited with ${exitStatus} before every suite reported (typecheck, lint or a crash: see above)`);
  failed += 1;
}
console.log(`${passed} passed, ${failed} failed${skipped ? `, ${skipped} skipped` : ''}`);
process.exit(failed > 0 || exitStatus !== 0 ? 1 : 0);
