import pino from 'pino';
import type { LogLevel } from '../config/index.js';
import type { Logger } from '../logger.js';
import { logContext } from './context.js';
import { CENSORED, REDACTED_FIELDS, scrubSecrets } from './redact.js';

/** Where finished lines go (process.stdout, or a test's buffer). */
export interface LineSink {
  write(line: string): unknown;
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && Object.getPrototypeOf(value) === Object.prototype;
}

/**
 * The details of a `Logger` call as one line's fields: an Error becomes `err` (with its cause),
 * plain objects are merged in (structured fields), anything else is kept under `details`.
 */
function fieldsOf(details: unknown[]): Record<string, unknown> {
  const fields: Record<string, unknown> = {};
  const rest: unknown[] = [];
  for (const detail of details) {
    if (detail instanceof Error) fields.err = detail;
    else if (isPlainObject(detail)) Object.assign(fields, detail);
    else rest.push(detail);
  }
  if (rest.length > 0) fields.details = rest;
  return fields;
}

/**
 * One JSON object per line (pino): time, level, msg, the request/session ids of the current
 * context, and the call's fields. Credentials are censored by field and scrubbed from the text.
 */
export function jsonLogger(sink: LineSink, level: LogLevel = 'info'): Logger {
  const log = pino(
    {
      level,
      // pino's default base (pid, hostname) tells the relays behind one load balancer apart.
      timestamp: pino.stdTimeFunctions.isoTime,
      formatters: { level: (label) => ({ level: label }) },
      serializers: { err: pino.stdSerializers.errWithCause },
      mixin: () => ({ ...logContext() }),
      redact: { paths: [...REDACTED_FIELDS], censor: CENSORED },
    },
    { write: (line: string) => sink.write(scrubSecrets(line)) },
  );
  return {
    info: (message, ...details) => log.info(fieldsOf(details), message),
    warn: (message, ...details) => log.warn(fieldsOf(details), message),
    error: (message, ...details) => log.error(fieldsOf(details), message),
  };
}
