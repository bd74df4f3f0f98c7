import { ConfigError, loadConfig } from './config.js';
import { startServer } from './server.js';

async function main(): Promise<void> {
  // Files the relay writes (database, photos, notes) are its user's alone.
  process.umask(0o077);
  const config = loadConfig(process.env);
  const server = await startServer(config);
  console.log(`Live Assist relay listening at ${server.url}`);
  if (server.sandbox) {
    console.log(`No helpdesk configured: local helpdesk sandbox at ${server.url}/sandbox/`);
  }
  console.log(`Health: ${server.url}/healthz`);

  let stopping = false;
  const stop = (signal: string): void => {
    if (stopping) return;
    stopping = true;
    console.log(`${signal} received, shutting down`);
    server.close().then(
      () => process.exit(0),
      (err: unknown) => {
        console.error(err);
        process.exit(1);
      },
    );
    // A stuck connection must not keep the process alive forever.
    setTimeout(() => process.exit(1), 10_000).unref();
  };
  process.on('SIGINT', () => stop('SIGINT'));
  process.on('SIGTERM', () => stop('SIGTERM'));
}

main().catch((err: unknown) => {
  if (err instanceof ConfigError) {
    console.error(err.message);
  } else {
    console.error('Relay failed to start:', err);
  }
  process.exit(1);
});
