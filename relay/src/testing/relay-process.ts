import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const MAIN = fileURLToPath(new URL('../main.ts', import.meta.url));

/** The production entry point (relay/src/main.ts) in a process of its own. */
export interface RelayChild {
  url: string;
  child: ChildProcessWithoutNullStreams;
  /** Everything it wrote to stdout so far. */
  stdout(): string;
  stderr(): string;
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

/**
 * Starts the relay with exactly `env` (nothing inherited but PATH) and resolves once it listens.
 * Node itself with tsx's loader, not the tsx CLI: a signal must reach the relay, not a wrapper.
 */
export async function startRelayChild(env: Record<string, string>): Promise<RelayChild> {
  const child = spawn(process.execPath, ['--import', 'tsx', MAIN], { env: { PATH: process.env.PATH ?? '', ...env } });
  let out = '';
  let err = '';
  child.stderr.on('data', (c: Buffer) => (err += c.toString()));
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
    child.once('exit', (code, signal) => resolve({ code, signal })),
  );
  const url = await new Promise<string>((resolve, reject) => {
    child.stdout.on('data', (c: Buffer) => {
      out += c.toString();
      // Stdout is a pipe, so the banner is a JSON line: the URL ends at its closing quote.
      const found = /listening at (http:\/\/[^\s"]+)/.exec(out);
      if (found?.[1]) resolve(found[1]);
    });
    void exited.then(({ code }) => reject(new Error(`relay exited (${code}) before listening: ${out}${err}`)));
  });
  return { url, child, stdout: () => out, stderr: () => err, exited };
}
