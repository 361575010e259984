// Prints `N passed, N failed, N skipped` from vitest's JSON report (the last line of CI).
// A test file that failed to load has no test results of its own; each counts as one failure,
// and a missing or unreadable report counts as one failure, so a broken run never reads as green.
import { readFileSync } from 'node:fs';

const file = process.argv[2];
let report;
try {
  report = JSON.parse(readFileSync(file, 'utf8'));
} catch {
  console.error(`test-counts: no vitest JSON report at ${file}`);
  console.log('0 passed, 1 failed');
  process.exit(0);
}
const files = report.testResults ?? [];
const loadFailures = files.filter(
  (f) => f.status === 'failed' && !(f.assertionResults ?? []).some((t) => t.status === 'failed'),
).length;
const passed = report.numPassedTests ?? 0;
const failed = (report.numFailedTests ?? 0) + loadFailures;
const skipped = (report.numPendingTests ?? 0) + (report.numTodoTests ?? 0);
console.log(`${passed} passed, ${failed} failed, ${skipped} skipped`);
