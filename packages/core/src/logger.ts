/**
 * Where Signet's own messages go: a misconfiguration (warnings), a failure it cannot answer for
 * (errors). Default `console`. Pass your logger to route them, or `{ warn() {}, error() {} }` to
 * silence them in tests. Rejected requests are not logged here: that is `onError`'s job.
 */
export interface Logger {
  warn(message: string): void;
  error(message: string, cause?: unknown): void;
}

export const consoleLogger: Logger = {
  warn: (message) => console.warn(message),
  error: (message, cause) =>
    cause === undefined ? console.error(message) : console.error(message, cause),
};

// Warnings that are about the process, not one verifier (development keys, an unpinned host),
// are said once per logger: an app with ten guarded routes gets one line, not ten.
const said = new WeakMap<Logger, Set<string>>();

/** Logs `message` as a warning the first time this logger sees `key`. */
export function warnOnce(logger: Logger, key: string, message: string): void {
  let keys = said.get(logger);
  if (!keys) {
    keys = new Set();
    said.set(logger, keys);
  }
  if (keys.has(key)) return;
  keys.add(key);
  logger.warn(message);
}
