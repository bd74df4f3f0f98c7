import { describe, expect, it } from 'vitest';
import { summaryLine, tally } from './summary.js';

describe('the closing line of npm test', () => {
  it('counts passed, failed and skipped tests from vitest’s report', () => {
    const t = tally({ numPassedTests: 428, numFailedTests: 1, numPendingTests: 2, numTodoTests: 1 }, 1);
    expect(t).toEqual({ passed: 428, failed: 1, skipped: 3 });
    expect(summaryLine(t)).toBe('428 passed, 1 failed, 3 skipped');
  });

  it('says nothing of skipped tests when there were none', () => {
    expect(summaryLine(tally({ numPassedTests: 30, numFailedTests: 0 }, 0))).toBe('30 passed, 0 failed');
  });

  it('never reads "0 failed" for a run that failed before its tests (a broken file, a failing beforeAll)', () => {
    expect(tally({ numPassedTests: 10, numFailedTests: 0, numFailedTestSuites: 2 }, 1).failed).toBe(2);
    expect(tally({ numPassedTests: 10, numFailedTests: 0 }, 1).failed).toBe(1);
    expect(tally(null, 1)).toEqual({ passed: 0, failed: 1, skipped: 0 });
  });
});
