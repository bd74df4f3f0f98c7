/**
 * A whole relay in a process of its own, for tests that kill one with SIGKILL: the config comes
 * from the environment given as JSON, the outbox timing from the options; it prints its URL and
 * runs until killed. Usage: node --import tsx relay-child.ts '{"env":{…},"writeback":{…},"cluster":{…}}'
 */
import { loadConfig } from '../config/index.js';
import { silentLogger } from '../logger.js';
import { startServer, type StartOptions } from '../server.js';

const { env, ...opts } = JSON.parse(process.argv[2] ?? '{}') as { env: Record<string, string> } & Pick<
  StartOptions,
  'writeback' | 'cluster'
>;
const relay = await startServer(loadConfig(env), { port: 0, log: silentLogger, ...opts });
process.stdout.write(`listening ${relay.url}\n`);
