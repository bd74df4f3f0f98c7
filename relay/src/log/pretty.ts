import { formatWithOptions } from 'node:util';
import type { LogLevel } from '../config/index.js';
import type { Logger } from '../logger.js';
import { logContext } from './context.js';
import { scrubSecrets } from './redact.js';

const RANK: Record<LogLevel, number> = { debug: 0, info: 1, warn: 2, error: 3 };

/**
 * Human-readable lines for a terminal (`npm start`): as the console logger of old, with the
 * session id in front when there is one, and the same scrubbing as the JSON lines.
 */
export function prettyLogger(
  out: { write(line: string): unknown },
  err: { write(line: string): unknown },
  level: LogLevel = 'info',
): Logger {
  const line = (message: string, details: unknown[]): string => {
    const { sessionId } = logContext();
    const text = formatWithOptions({ colors: false, depth: 4 }, message, ...details);
    return `${scrubSecrets(sessionId ? `[${sessionId}] ${text}` : text)}\n`;
  };
  const at =
    (min: LogLevel, sink: { write(line: string): unknown }) =>
    (m: string, ...d: unknown[]) => {
      if (RANK[min] >= RANK[level]) sink.write(line(m, d));
    };
  return { info: at('info', out), warn: at('warn', err), error: at('error', err) };
}
