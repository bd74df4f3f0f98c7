import { z } from 'zod';
import { ConfigError } from './errors.js';
import { blankAsUnset, optional, type Env } from './env.js';

export const LogFormat = { json: 'json', pretty: 'pretty' } as const;
export type LogFormat = (typeof LogFormat)[keyof typeof LogFormat];

export const LogLevel = { debug: 'debug', info: 'info', warn: 'warn', error: 'error' } as const;
export type LogLevel = (typeof LogLevel)[keyof typeof LogLevel];

const OpsEnvSchema = z.object({
  LOG_FORMAT: optional(z.enum([LogFormat.json, LogFormat.pretty])),
  LOG_LEVEL: blankAsUnset(z.enum([LogLevel.debug, LogLevel.info, LogLevel.warn, LogLevel.error]).default(LogLevel.info)),
  // A guessable token would publish the relay's traffic figures; 32 characters like RELAY_SECRET.
  METRICS_TOKEN: optional(z.string().regex(/^[\x21-\x7e]{32,}$/, 'METRICS_TOKEN must be at least 32 printable characters, no spaces')),
  SHUTDOWN_DRAIN_SECONDS: blankAsUnset(z.coerce.number().int().min(0).max(300).default(0)),
});

/** How the relay is run and watched: logs, metrics, shutdown. */
export interface OpsConfig {
  /** null: pretty when stdout is a terminal, JSON otherwise (decided by the server at start). */
  logFormat: LogFormat | null;
  logLevel: LogLevel;
  /** Bearer token for `GET /metrics`; null: loopback callers only (see http/metrics.ts). */
  metricsToken: string | null;
  /** After SIGTERM, how long `/readyz` answers 503 while everything else keeps working. */
  shutdownDrainMs: number;
}

export function parseOpsEnv(env: Env): OpsConfig {
  const parsed = OpsEnvSchema.safeParse(env);
  if (!parsed.success) throw new ConfigError(`Invalid configuration:\n${z.prettifyError(parsed.error)}`);
  const e = parsed.data;
  return {
    logFormat: e.LOG_FORMAT ?? null,
    logLevel: e.LOG_LEVEL,
    metricsToken: e.METRICS_TOKEN ?? null,
    shutdownDrainMs: e.SHUTDOWN_DRAIN_SECONDS * 1000,
  };
}
