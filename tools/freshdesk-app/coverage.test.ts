import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { ROOT } from './check.js';
import { checkCoverage, coverageProblems, type CoverageSummary } from './coverage.js';

const made: string[] = [];
afterAll(() => made.forEach((dir) => rmSync(dir, { recursive: true, force: true })));

/**
 * An app folder in a temporary directory with the given files. Its node_modules links to the
 * repository's, so its tests import vitest as the real app's do.
 */
function fixtureApp(files: Record<string, string>): string {
  const dir = mkdtempSync(join(tmpdir(), 'fd-coverage-app-'));
  made.push(dir);
  symlinkSync(join(ROOT, 'node_modules'), join(dir, 'node_modules'), 'dir');
  for (const [path, text] of Object.entries(files)) {
    mkdirSync(dirname(join(dir, path)), { recursive: true });
    writeFileSync(join(dir, path), text);
  }
  return dir;
}

const TESTED = {
  'app/scripts/greet.js': "export const greet = (name) => (name ? `Hello ${name}` : 'Hello');\n",
  'tests/greet.test.js': [
    "import { expect, it } from 'vitest';",
    "import { greet } from '../app/scripts/greet.js';",
    "it('greets', () => { expect(greet('Ada')).toBe('Hello Ada'); expect(greet()).toBe('Hello'); });",
    '',
  ].join('\n'),
  // Third-party and never run by a test: the gate does not count it.
  'app/scripts/vendor/lib.js': 'export function big(a) { if (a) return 1; if (a === 2) return 2; return 3; }\n',
};
const UNTESTED = {
  'app/scripts/untested.js': [
    'export function shout(text) {',
    '  if (!text) return "";',
    '  return text.toUpperCase();',
    '}',
    'export const whisper = (text) => (text ? text.toLowerCase() : "");',
    '',
  ].join('\n'),
};

// Each of these runs vitest in a child process (seconds): a limit well above that on a busy machine.
const SPAWNS = 120_000;

describe("the Freshdesk app's coverage gate", () => {
  it(
    'fails an app whose script no test runs, naming the file and every metric under 80 % (the vendored library not counted)',
    async () => {
      const { errors, summary } = await checkCoverage(fixtureApp({ ...TESTED, ...UNTESTED }));
      expect(errors).toHaveLength(1);
      const [headline, ...files] = errors[0]!.split('\n');
      expect(headline).toMatch(
        /^coverage of app\/scripts is under FDK's 80 %: statements .*, branches .*, functions .*, lines .*; files under 80 %:$/,
      );
      expect(files).toEqual([
        expect.stringMatching(
          /^ {2}app\/scripts\/untested\.js: statements 0 % \(0\/\d+\), branches 0 % .*, functions 0 % \(0\/2\), lines 0 %/,
        ),
      ]);
      expect(Object.keys(summary ?? {}).some((path) => path.includes('vendor'))).toBe(false);
    },
    SPAWNS,
  );

  it(
    'fails an app whose tests fail, naming the test: FDK measures a passing run only',
    async () => {
      const dir = fixtureApp({
        ...TESTED,
        'tests/greet.test.js': "import { expect, it } from 'vitest';\nit('greets politely', () => expect(1).toBe(2));\n",
      });
      const { errors } = await checkCoverage(dir);
      expect(errors).toEqual([
        expect.stringMatching(/^the app's tests fail, .*\n {2}tests\/greet\.test\.js › greets politely: AssertionError/),
      ]);
    },
    SPAWNS,
  );

  it('gives up on a run that does not finish in time, and says so', async () => {
    expect((await checkCoverage(fixtureApp(TESTED), { timeoutMs: 50 })).errors).toEqual(["the app's tests did not finish within 0.05 s"]);
  });

  const count = (covered: number, total = 100) => ({ covered, total });
  const summary = (pct: { statements: number; branches: number; functions: number; lines: number }): CoverageSummary => {
    const counts = {
      statements: count(pct.statements),
      branches: count(pct.branches),
      functions: count(pct.functions),
      lines: count(pct.lines),
    };
    return { total: counts, '/app/app/scripts/a.js': counts };
  };

  it('passes at exactly 80 % of every metric, and names only the metric under it', () => {
    expect(coverageProblems(summary({ statements: 80, branches: 80, functions: 80, lines: 80 }), '/app')).toEqual([]);
    expect(coverageProblems(summary({ statements: 90, branches: 79, functions: 100, lines: 90 }), '/app')).toEqual([
      "coverage of app/scripts is under FDK's 80 %: branches 79 % (79/100); files under 80 %:\n  app/scripts/a.js: branches 79 % (79/100)",
    ]);
  });

  it('judges the total, as FDK does: one file under 80 % is fine when the app as a whole is over', () => {
    const all = (c: { covered: number; total: number }) => ({ statements: c, branches: c, functions: c, lines: c });
    const files = { '/app/app/scripts/a.js': all(count(95)), '/app/app/scripts/b.js': all(count(5, 10)) };
    expect(coverageProblems({ total: all(count(100, 110)), ...files }, '/app')).toEqual([]);
  });
});
