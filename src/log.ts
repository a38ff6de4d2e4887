import { mkdirSync } from "node:fs";
import { dirname } from "node:path";
import pino from "pino";
import { secretHeaderLogPaths } from "./channels/registry.js";
import type { Logger } from "./shared/logger.js";

/**
 * Field names that may carry personal data or secrets. They are censored wherever they appear
 * (two levels deep), as a safety net: code must not log them in the first place.
 */
const sensitiveKeys = ["text", "name", "fullName", "displayName", "phone", "email", "taxCode", "token", "secret", "password", "authorization", "contactPerson", "address"];
const redactPaths = [...sensitiveKeys, ...sensitiveKeys.map((k) => `*.${k}`), ...secretHeaderLogPaths()];

/** Where log lines go: stderr (JSON lines) or a file. Never stdout, which a local chat owns. */
export interface LoggerOptions {
  level: string;
  file?: string | undefined;
}

/** The process logger: the shared `Logger` shape, plus `flush` before exit. */
export type ProcessLogger = Logger & { flush(): void };

/** A pino logger writing JSON lines to stderr or to a file, with sensitive fields censored. */
export function createLogger(options: LoggerOptions): ProcessLogger {
  const destination = options.file
    ? (mkdirSync(dirname(options.file), { recursive: true }), pino.destination({ dest: options.file, sync: false, mkdir: true }))
    : pino.destination({ fd: 2, sync: false });
  return pino(
    {
      level: options.level,
      base: { pid: process.pid },
      redact: { paths: redactPaths, censor: "[redacted]" },
      timestamp: pino.stdTimeFunctions.isoTime,
    },
    destination,
  );
}
