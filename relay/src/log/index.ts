import { LogFormat, type OpsConfig } from '../config/index.js';
import type { Logger } from '../logger.js';
import { jsonLogger } from './json.js';
import { prettyLogger } from './pretty.js';

export { withLogContext, withOwnLogContext, logContext, saneRequestId, type LogContext } from './context.js';
export { scrubSecrets, loggablePath } from './redact.js';
export { jsonLogger, type LineSink } from './json.js';
export { prettyLogger } from './pretty.js';

/**
 * The relay's logger from its configuration: JSON lines for collectors, unless LOG_FORMAT=pretty
 * or (LOG_FORMAT unset) stdout is a terminal, where a person reads them.
 */
export function loggerFor(ops: Pick<OpsConfig, 'logFormat' | 'logLevel'>, stdout: NodeJS.WriteStream, stderr: NodeJS.WriteStream): Logger {
  const format = ops.logFormat ?? (stdout.isTTY ? LogFormat.pretty : LogFormat.json);
  return format === LogFormat.pretty ? prettyLogger(stdout, stderr, ops.logLevel) : jsonLogger(stdout, ops.logLevel);
}
