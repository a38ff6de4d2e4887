/** The minimal logger the engine needs (pino satisfies it). Never pass message text or personal data. */
export interface Logger {
  info(obj: object, msg: string): void;
  warn(obj: object, msg: string): void;
  error(obj: object, msg: string): void;
}
