import { ConfigError } from './config/index.js';
import type { RunningServer } from './server.js';

export interface Started {
  server: RunningServer;
  /** Lines printed after "listening at", before the health URL. */
  notes?: string[];
}

/**
 * Runs a relay as the process's one job, for every entry point (production and development):
 * private files, a banner, a graceful stop on SIGINT/SIGTERM, and exit 1 with the message when the
 * configuration is refused.
 */
export function runAsMain(start: () => Promise<Started>): void {
  // Files the relay writes (database, photos, notes) are its user's alone.
  process.umask(0o077);
  start().then(
    ({ server, notes = [] }) => {
      console.log(`Live Assist relay listening at ${server.url}`);
      for (const line of notes) console.log(line);
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
