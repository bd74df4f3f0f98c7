/**
 * `npm test`: lint, the formatting check, build, then the unit + integration tiers and the e2e tier,
 * each step timed. Every tier runs even when an earlier one failed, so one CI log shows all that is
 * wrong; a failing lint, formatting check or build stops the run (the tests would only fail for the
 * same reason, or the slip is cheap to fix first). The last line is the plain summary for the whole
 * run, `N passed, N failed` (", N skipped" when any were), which a CI reader can take without
 * knowing vitest's own format.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { tally, summaryLine, type Tally } from './summary.js';

function run(command: string, args: string[]): Promise<number> {
  return new Promise((resolve) => {
    const child = spawn(command, args, { stdio: 'inherit' });
    child.on('error', () => resolve(127));
    child.on('exit', (code, signal) => resolve(code ?? (signal ? 128 : 1)));
  });
}

async function timed(name: string, command: string, args: string[]): Promise<number> {
  const started = Date.now();
  console.log(`\n▶ ${name}`);
  const code = await run(command, args);
  console.log(`◀ ${name}: exit ${code} after ${Math.round((Date.now() - started) / 1000)} s`);
  return code;
}

const reports = mkdtempSync(join(tmpdir(), 'live-assist-test-'));
const total: Tally = { passed: 0, failed: 0, skipped: 0 };
const add = (t: Tally) => {
  total.passed += t.passed;
  total.failed += t.failed;
  total.skipped += t.skipped;
};

try {
  let ok = true;
  for (const [name, script] of [
    ['lint', 'lint'],
    ['format', 'format:check'],
    ['build', 'build'],
  ] as const) {
    if ((await timed(name, 'npm', ['run', '--silent', script])) !== 0) {
      add({ passed: 0, failed: 1, skipped: 0 });
      console.log(`${name} failed: no test was run`);
      ok = false;
      break;
    }
  }
  if (ok) {
    for (const [name, projects] of [
      ['unit + integration', ['unit', 'integration']],
      ['e2e', ['e2e']],
    ] as const) {
      const report = join(reports, `${projects.join('-')}.json`);
      const code = await timed(name, 'npx', [
        'vitest',
        'run',
        ...projects.flatMap((p) => ['--project', p]),
        '--reporter=default',
        '--reporter=json',
        `--outputFile=${report}`,
      ]);
      let json: unknown = null;
      try {
        json = JSON.parse(readFileSync(report, 'utf8'));
      } catch {
        // No report: vitest could not start. The exit code below still counts it.
      }
      const counted = tally(json, code);
      console.log(`${name}: ${summaryLine(counted)}`);
      add(counted);
    }
  }
} finally {
  rmSync(reports, { recursive: true, force: true });
}

console.log(summaryLine(total));
process.exitCode = total.failed > 0 ? 1 : 0;
