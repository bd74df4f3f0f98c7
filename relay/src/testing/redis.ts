import { spawn, type ChildProcess } from 'node:child_process';
import { createServer } from 'node:net';
import { Redis } from 'ioredis';

/** A Redis of the test's own (real redis-server, nothing saved), which it can kill and restart. */
export interface TestRedis {
  url: string;
  /** Kills it (SIGKILL), runs `whileDown`, and starts a fresh, empty one on the same port. */
  restart(whileDown?: () => Promise<void>): Promise<void>;
  /** Stalls it (SIGSTOP): connections stay open and nothing is answered, as a Redis that hangs. */
  freeze(): void;
  /** Lets a frozen one go on (SIGCONT): it answers what waited, in order. */
  thaw(): void;
  stop(): Promise<void>;
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = createServer();
    probe.once('error', reject);
    probe.listen(0, '127.0.0.1', () => {
      const { port } = probe.address() as { port: number };
      probe.close(() => resolve(port));
    });
  });
}

async function answers(url: string, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const probe = new Redis(url, { lazyConnect: true, maxRetriesPerRequest: 0, retryStrategy: () => null });
    probe.on('error', () => {});
    try {
      await probe.connect();
      await probe.ping();
      return;
    } catch (err) {
      if (Date.now() > deadline) throw new Error(`redis-server at ${url} did not answer: ${String(err)}`);
    } finally {
      probe.disconnect();
    }
    await new Promise((r) => setTimeout(r, 50));
  }
}

export async function startTestRedis(): Promise<TestRedis> {
  const port = await freePort();
  const url = `redis://127.0.0.1:${port}`;
  let child: ChildProcess | null = null;
  const launch = async () => {
    child = spawn('redis-server', ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'], {
      stdio: 'ignore',
    });
    await answers(url, 10_000);
  };
  const signal = (name: NodeJS.Signals) => {
    const running: ChildProcess | null = child;
    if (!running || running.exitCode !== null) throw new Error('redis-server is not running');
    running.kill(name);
  };
  const kill = async () => {
    const running = child;
    child = null;
    if (!running || running.exitCode !== null) return;
    await new Promise<void>((resolve) => {
      running.once('exit', () => resolve());
      running.kill('SIGKILL');
    });
  };
  await launch();
  return {
    url,
    async restart(whileDown) {
      await kill();
      await whileDown?.();
      await launch();
    },
    freeze: () => signal('SIGSTOP'),
    thaw: () => signal('SIGCONT'),
    stop: kill,
  };
}
