import { ConfigError } from './config/index.js';
import type { RunningServer } from './server.js';

export interface Started {
  server: RunningServer;
  /** Lines printed after "listening at", before the health URL. */
  notes?: string[];
}

/**
 * Runs a relay as the process's one job, for every entry point (production and development):
 * private files, a banner, a graceful stop on SIGTERM, a quick one on SIGINT (or a second
 * signal), and exit 1 with the message when the configuration is refused.
 */
export function runAsMain(start: () => Promise<Started>): void {
  // Files the relay writes (database, photos, notes) are its user's alone.
  process.umask(0o077);
  start().then(
    ({ server, notes = [] }) => {
      const { log } = server;
      log.info(`Live Assist relay listening at ${server.url}`);
      for (const line of notes) log.info(line);
      log.info(`Health: ${server.url}/healthz, readiness: ${server.url}/readyz`);

      let stopping = false;
      const stop = (signal: NodeJS.Signals): void => {
        // A second signal (or Ctrl-C) means now: skip the rest of the drain and the grace.
        const graceful = signal === 'SIGTERM' && !stopping;
        log.info(`${signal} received, ${graceful ? 'shutting down gracefully' : 'shutting down now'}`);
        const done = graceful ? server.shutdown() : server.close();
        if (stopping) return;
        stopping = true;
        done.then(
          () => process.exit(0),
          (err: unknown) => {
            log.error('shutdown failed', err);
            process.exit(1);
          },
        );
        // A stuck connection must not keep the process alive forever.
        setTimeout(() => process.exit(1), (graceful ? server.drainMs : 0) + 15_000).unref();
      };
      process.on('SIGINT', () => stop('SIGINT'));
      process.on('SIGTERM', () => stop('SIGTERM'));
    },
    (err: unknown) => {
      if (err instanceof ConfigError) {
        console.error(err.message);
      } else {
        console.error('Relay failed to start:', err);
      }
      process.exit(1);
    },
  );
}
