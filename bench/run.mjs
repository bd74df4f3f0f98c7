// Runs every benchmark (bench/<name>/index.ts) one after another with tsx; each prints its figures.
// `npm run bench -- join` runs only the named ones.
import { spawnSync } from 'node:child_process';
import { readdirSync, existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
const wanted = process.argv.slice(2);
// Runs for half an hour: only when named.
const onlyWhenNamed = new Set(['relay-soak']);
const benches = readdirSync(here, { withFileTypes: true })
  .filter((d) => d.isDirectory() && existsSync(join(here, d.name, 'index.ts')))
  .map((d) => d.name)
  .filter((name) => (wanted.length === 0 ? !onlyWhenNamed.has(name) : wanted.includes(name)))
  .sort();

let failed = 0;
for (const name of benches) {
  console.log(`\n== bench/${name} ==`);
  const run = spawnSync(join(here, '..', 'node_modules', '.bin', 'tsx'), [join(here, name, 'index.ts')], {
    stdio: 'inherit',
  });
  if (run.status !== 0) failed += 1;
}
process.exit(failed === 0 ? 0 : 1);
