/** Counts from vitest's JSON report (the Jest-compatible shape it writes with `--reporter=json`). */
export interface Tally {
  passed: number;
  failed: number;
  skipped: number;
}

interface VitestReport {
  numPassedTests?: number;
  numFailedTests?: number;
  numPendingTests?: number;
  numTodoTests?: number;
  numFailedTestSuites?: number;
}

const count = (n: unknown) => (typeof n === 'number' && Number.isFinite(n) && n > 0 ? n : 0);

/**
 * What one vitest run passed, failed and skipped. A file that fails before any of its tests run (an
 * import error, a failing `beforeAll`) counts as a failure even if vitest lists no failed test, and
 * so does a non-zero exit with nothing failed in the report (or no report at all): a red run never
 * reads as "0 failed".
 */
export function tally(report: unknown, exitCode: number): Tally {
  const r = (report && typeof report === 'object' ? report : {}) as VitestReport;
  const passed = count(r.numPassedTests);
  let failed = count(r.numFailedTests);
  if (failed === 0) failed = count(r.numFailedTestSuites);
  if (failed === 0 && exitCode !== 0) failed = 1;
  return { passed, failed, skipped: count(r.numPendingTests) + count(r.numTodoTests) };
}

/** The plain closing line: `N passed, N failed`, with `, N skipped` only when something was. */
export function summaryLine(t: Tally): string {
  return `${t.passed} passed, ${t.failed} failed${t.skipped > 0 ? `, ${t.skipped} skipped` : ''}`;
}
