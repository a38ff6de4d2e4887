/** The logging surface channels and the server need; a pino logger satisfies it. */

/** One log method: structured fields first, then a message. Never pass personal data or tokens. */
export type LogFn = (fields: Record<string, unknown>, message?: string) => void;

/** A minimal structured logger. */
export interface Logger {
  debug: LogFn;
  info: LogFn;
  warn: LogFn;
  error: LogFn;
}

/** A logger that drops everything. */
export const silentLogger: Logger = { debug: () => {}, info: () => {}, warn: () => {}, error: () => {} };
