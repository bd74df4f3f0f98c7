/**
 * FDK's coverage gate, offline: Freshworks wants 80 % of the app's own code covered by its tests in
 * each of statements, branches, functions and lines, measured over the whole app (FDK reports with
 * Istanbul). Here vitest runs the app's tests (`tests/**\/*.test.js` of the app folder) with v8
 * coverage over `app/scripts/**\/*.js` except `vendor/` (the QR library is not ours), and every
 * metric of that total must reach 80 %. A file under 80 % is named in the message as the place to
 * add tests, but only the total decides, as in FDK. v8's numbers (mapped onto the source's syntax
 * since vitest 4) are close to Istanbul's, not identical: the margin above 80 % is worth keeping.
 */
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join, relative, sep } from 'node:path';

export const MIN_PERCENT = 80;
export const METRICS = ['statements', 'branches', 'functions', 'lines'] as const;
type Metric = (typeof METRICS)[number];
interface Count {
  total: number;
  covered: number;
}
/** vitest's `json-summary` report: counts per metric for `total` and for each file by absolute path. */
export type CoverageSummary = Record<string, Record<Metric, Count>>;

/** A limit many times the few seconds the run takes, so a busy CI machine never trips it. */
const RUN_TIMEOUT_MS = 180_000;

/** 100 % when there is nothing to cover, as Istanbul counts it. */
const percent = ({ total, covered }: Count) => (total === 0 ? 100 : (100 * covered) / total);
const shown = (count: Count) => `${Math.floor(percent(count) * 100) / 100} % (${count.covered}/${count.total})`;

function isSummary(value: unknown): value is CoverageSummary {
  const isCount = (c: unknown) =>
    typeof c === 'object' && c !== null && Number.isFinite((c as Count).total) && Number.isFinite((c as Count).covered);
  return (
    typeof value === 'object' &&
    value !== null &&
    Object.values(value).every((entry) => typeof entry === 'object' && entry !== null && METRICS.every((m) => isCount(entry[m]))) &&
    'total' in value
  );
}

/** The one-line figures for the whole app: `statements 93.1 % (202/217), branches …`. */
export const totalsLine = (summary: CoverageSummary) => METRICS.map((m) => `${m} ${shown(summary.total![m])}`).join(', ');

/**
 * The gate's verdict on a summary: one error giving the metrics under 80 % over the whole app, then
 * each file under 80 % on one of them, with its figures: where tests are missing.
 */
export function coverageProblems(summary: CoverageSummary, appDir: string): string[] {
  const low = METRICS.filter((m) => percent(summary.total![m]) < MIN_PERCENT);
  if (low.length === 0) return [];
  const figures = (counts: Record<Metric, Count>, metrics: readonly Metric[]) => metrics.map((m) => `${m} ${shown(counts[m])}`).join(', ');
  const files = Object.entries(summary)
    .filter(([path]) => path !== 'total')
    .map(([path, counts]) => ({
      path: relative(appDir, path).split(sep).join('/'),
      counts,
      under: low.filter((m) => percent(counts[m]) < MIN_PERCENT),
    }))
    .filter(({ under }) => under.length > 0)
    .map(({ path, counts, under }) => `\n  ${path}: ${figures(counts, under)}`);
  return [
    `coverage of app/scripts is under FDK's ${MIN_PERCENT} %: ${figures(summary.total!, low)}; files under ${MIN_PERCENT} %:${files.join('')}`,
  ];
}

interface TestReport {
  testResults?: {
    name?: string;
    message?: string;
    assertionResults?: { fullName?: string; status?: string; failureMessages?: string[] }[];
  }[];
}

/** What failed, from vitest's JSON report: each failing test (or file that did not load) and its first line of error. */
function failures(report: TestReport, appDir: string): string[] {
  return (report.testResults ?? []).flatMap((file) => {
    const where = relative(appDir, file.name ?? '')
      .split(sep)
      .join('/');
    const tests = (file.assertionResults ?? [])
      .filter((test) => test.status === 'failed')
      .map((test) => `${where} › ${test.fullName}: ${(test.failureMessages?.[0] ?? '').split('\n')[0]}`);
    return tests.length === 0 && file.message ? [`${where}: ${file.message.split('\n')[0]}`] : tests;
  });
}

const readJson = (path: string): unknown => (existsSync(path) ? JSON.parse(readFileSync(path, 'utf8')) : null);

/** The vitest command line this repository has installed (the same vitest the unit tests run with). */
const VITEST = join(dirname(createRequire(import.meta.url).resolve('vitest/package.json')), 'vitest.mjs');

function run(args: string[], timeoutMs: number): Promise<{ code: number; output: string; timedOut: boolean }> {
  // A child of a vitest worker (check.test.ts) must not look like one: vitest reads these.
  const env = Object.fromEntries(Object.entries(process.env).filter(([key]) => !key.startsWith('VITEST') && key !== 'FORCE_COLOR'));
  return new Promise((done) => {
    const child = spawn(process.execPath, [VITEST, ...args], { env: { ...env, NO_COLOR: '1' }, stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    let timedOut = false;
    child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString('utf8')));
    child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString('utf8')));
    const timer = setTimeout(() => {
      timedOut = true;
      child.kill('SIGKILL');
    }, timeoutMs);
    child.on('error', (error) => {
      clearTimeout(timer);
      done({ code: 127, output: `${output}\n${error.message}`, timedOut });
    });
    child.on('exit', (code, signal) => {
      clearTimeout(timer);
      done({ code: code ?? (signal ? 128 : 1), output, timedOut });
    });
  });
}

/**
 * Runs the app folder's tests with coverage, in a vitest of its own (its own config and reports in
 * a temporary folder, so the repository's unit project and caches are untouched), and answers the
 * gate's errors (failing tests count: FDK measures only a passing run) and the summary it judged.
 */
export async function checkCoverage(
  appDir: string,
  options: { timeoutMs?: number } = {},
): Promise<{ errors: string[]; summary: CoverageSummary | null }> {
  const work = mkdtempSync(join(tmpdir(), 'fd-coverage-'));
  try {
    const config = join(work, 'vitest.config.mjs');
    const reports = join(work, 'coverage');
    const testReport = join(work, 'tests.json');
    writeFileSync(
      config,
      `export default ${JSON.stringify({
        root: appDir,
        cacheDir: join(work, 'cache'),
        test: {
          include: ['tests/**/*.test.js'],
          testTimeout: 30_000,
          reporters: [['json', { outputFile: testReport }]],
          coverage: {
            enabled: true,
            provider: 'v8',
            include: ['app/scripts/**/*.js'],
            exclude: ['app/scripts/vendor/**'],
            reporter: [['json-summary', { file: 'coverage-summary.json' }]],
            reportsDirectory: reports,
          },
        },
      })};\n`,
    );
    const timeoutMs = options.timeoutMs ?? RUN_TIMEOUT_MS;
    const { code, output, timedOut } = await run(['run', '--config', config], timeoutMs);
    if (timedOut) return { errors: [`the app's tests did not finish within ${timeoutMs / 1000} s`], summary: null };
    if (code !== 0) {
      const report = readJson(testReport) as TestReport | null;
      const failed = report ? failures(report, appDir) : [];
      const detail = failed.length > 0 ? failed : output.trim().split('\n').slice(-15);
      return { errors: [`the app's tests fail, so there is no coverage to check:\n  ${detail.join('\n  ')}`], summary: null };
    }
    const summary = readJson(join(reports, 'coverage-summary.json'));
    if (!isSummary(summary)) return { errors: ['vitest wrote no coverage summary for app/scripts'], summary: null };
    return { errors: coverageProblems(summary, appDir), summary };
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}
