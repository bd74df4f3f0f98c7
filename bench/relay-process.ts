import { spawn } from 'node:child_process';
import { createWriteStream, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

export interface RelayProcess {
  url: string;
  /** The relay's own process (not a wrapper), for benches that read its CPU and memory in /proc. */
  pid: number;
  close(): Promise<void>;
}

/** `npm start`'s entry point: the built relay with the sandbox bound as its helpdesk. */
const MAIN = fileURLToPath(new URL('../sandbox/dist/server/dev-main.js', import.meta.url));

/**
 * The product as `npm start` runs it, in a process of its own on a free port, so the relay's event
 * loop is not shared with the Playwright client driving the browsers.
 */
export async function startRelayProcess(env: Record<string, string> = {}): Promise<RelayProcess> {
  const dataDir = mkdtempSync(join(tmpdir(), 'live-assist-bench-'));
  // RELAY_NODE_ARGS: node options for the relay alone, e.g. `--cpu-prof --cpu-prof-dir=/tmp/prof`.
  const nodeArgs = (process.env.RELAY_NODE_ARGS ?? '').split(' ').filter(Boolean);
  const child = spawn(process.execPath, [...nodeArgs, MAIN], {
    env: { ...process.env, PORT: '0', DATA_DIR: dataDir, ...env },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  // A bench that crashes must not leave a relay behind (holding its port and our stderr).
  const killOnExit = () => child.kill('SIGKILL');
  process.once('exit', killOnExit);
  const url = await new Promise<string>((resolve, reject) => {
    let out = '';
    const onData = (chunk: Buffer) => {
      out += chunk.toString();
      // Stdout is a pipe, so the banner is a JSON line: the URL ends at its closing quote.
      const found = /listening at (http:\/\/[^\s"]+)/.exec(out);
      if (found?.[1]) {
        child.stdout.off('data', onData);
        // RELAY_LOG_DIR: keep each relay's log lines (warnings and errors) to read after a run.
        if (process.env.RELAY_LOG_DIR) child.stdout.pipe(createWriteStream(join(process.env.RELAY_LOG_DIR, `relay-${child.pid}.log`)));
        else child.stdout.resume();
        resolve(found[1]);
      }
    };
    child.stdout.on('data', onData);
    child.once('exit', (code) => reject(new Error(`the relay exited (${code}) before listening: ${out}`)));
  });
  return {
    url,
    pid: child.pid!,
    async close() {
      process.off('exit', killOnExit);
      const exited = new Promise((resolve) => child.once('exit', resolve));
      child.kill('SIGTERM');
      await exited;
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}
