import { fork } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { z } from 'zod';
import type { SessionEndpoints } from './messages.js';

const MAIN = fileURLToPath(new URL('./bare-main.ts', import.meta.url));
const REPO_ROOT = fileURLToPath(new URL('../../', import.meta.url));

export interface BareProcess {
  pid: number;
  /** Two sockets per session that hear only each other (bare-server.ts's `?pair=`). */
  endpoints(sessions: number): SessionEndpoints[];
  close(): Promise<void>;
}

/** bench/bare-server.ts in a process of its own: no product code, no parsing, no relay. */
export async function startBareProcess(): Promise<BareProcess> {
  const child = fork(MAIN, [], { cwd: REPO_ROOT, execArgv: ['--import', 'tsx'], stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
  const killOnExit = () => child.kill('SIGKILL');
  process.once('exit', killOnExit);
  const { url } = await new Promise<{ url: string }>((resolve, reject) => {
    child.once('message', (raw) => resolve(z.object({ url: z.string() }).parse(raw)));
    child.once('exit', (code) => reject(new Error(`the bare server exited (${code}) before listening`)));
  });
  const ws = url.replace(/^http/, 'ws');
  return {
    pid: child.pid!,
    endpoints: (sessions) =>
      Array.from({ length: sessions }, (_, i) => ({ specialistUrl: `${ws}?pair=${i}`, customerUrl: `${ws}?pair=${i}` })),
    async close() {
      process.off('exit', killOnExit);
      const exited = new Promise((resolve) => child.once('exit', resolve));
      child.disconnect();
      await exited;
    },
  };
}
