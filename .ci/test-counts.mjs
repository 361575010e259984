// Prints `N passed, N failed, N skipped` from vitest's JSON reports (the last line of CI), summed over
// every report named on the command line (the fast tier, then the slow tier).
// A test file that failed to load has no test results of its own; each counts as one failure,
// and a missing or unreadable report counts as one failure, so a broken run never reads as green.
import { readFileSync } from 'node:fs';

let passed = 0;
let failed = 0;
let skipped = 0;
for (const file of process.argv.slice(2)) {
  let report;
  try {
    report = JSON.parse(readFileSync(file, 'utf8'));
  } catch {
    console.error(`test-counts: no vitest JSON report at ${file}`);
    failed += 1;
    continue;
  }
  const files = report.testResults ?? [];
  const loadFailures = files.filter(
    (f) => f.status === 'failed' && !(f.assertionResults ?? []).some((t) => t.status === 'failed'),
  ).length;
  passed += report.numPassedTests ?? 0;
  failed += (report.numFailedTests ?? 0) + loadFailures;
  skipped += (report.numPendingTests ?? 0) + (report.numTodoTests ?? 0);
}
console.log(`${passed} passed, ${failed} failed, ${skipped} skipped`);
