/** A problem with the environment the relay was started with; the entry points print its message and exit. */
export class ConfigError extends Error {
  override name = 'ConfigError';
}
