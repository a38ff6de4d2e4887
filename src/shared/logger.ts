/**
 * The one logger shape every part logs through. Structural (no pino import), so the pure engine may
 * use it; the pino logger built in `src/log.ts` satisfies it.
 */

/** One log method: structured fields first, then a message. Never pass personal data or tokens. */
export type LogFn = (fields: Record<string, unknown>, message: string) => void;

/** A minimal structured logger. */
export interface Logger {
  debug: LogFn;
  info: LogFn;
  warn: LogFn;
  error: LogFn;
}

/** A logger that drops everything (tests and tools that do not look at logs). */
export const silentLogger: Logger = { debug: () => {}, info: () => {}, warn: () => {}, error: () => {} };
