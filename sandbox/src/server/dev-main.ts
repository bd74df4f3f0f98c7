/**
 * `npm start`: the relay for local development. With a helpdesk configured it runs as in production;
 * without one it binds the sandbox as its helpdesk, which the production entry point
 * (relay/src/main.ts) never does.
 */
import { z } from 'zod';
import { ConfigError, loadConfig, missingHelpdeskError, runAsMain, startServer } from '@live-assist/relay';
import { freshdeskSandboxForRelay } from './freshdesk/binding.js';
import { sandboxForRelay } from './relay-binding.js';

const DevEnvSchema = z.object({
  /** The address to listen on with the sandbox bound (a phone on the LAN needs 0.0.0.0); blank: loopback only. */
  SANDBOX_HOST: z
    .string()
    .trim()
    .max(255)
    .optional()
    .transform((host) => host || undefined),
  NODE_ENV: z.string().optional(),
});

runAsMain(async () => {
  const config = loadConfig(process.env);
  if (config.helpdesk) return { server: await startServer(config) };
  const env = DevEnvSchema.safeParse(process.env);
  if (!env.success) throw new ConfigError(`Invalid configuration:\n${z.prettifyError(env.error)}`);
  // A deploy that forgot its helpdesk variables must fail, not hand out agent sign-ins.
  if (env.data.NODE_ENV === 'production') throw missingHelpdeskError(config.helpdeskKind);
  const where = { dataDir: config.dataDir, ...(env.data.SANDBOX_HOST ? { host: env.data.SANDBOX_HOST } : {}) };
  if (config.helpdeskKind === 'freshdesk') {
    // The sandbox generates the app secret and installs it as the app's secure iparam.
    const sandbox = freshdeskSandboxForRelay(where);
    const server = await startServer(config, { host: sandbox.host, helpdesk: sandbox.bind });
    return { server, notes: [`No Freshdesk configured: local Freshdesk sandbox at ${server.url}/sandbox/freshdesk/`] };
  }
  const sandbox = sandboxForRelay(where);
  const server = await startServer(config, { host: sandbox.host, helpdesk: sandbox.bind });
  return { server, notes: [`No helpdesk configured: local helpdesk sandbox at ${server.url}/sandbox/`] };
});
