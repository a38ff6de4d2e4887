/** A logger that keeps every line, for asserting what was (not) logged. */
import type { Logger } from "../../src/shared/logger.js";

/** One captured log line. */
export interface LogLine {
  level: "debug" | "info" | "warn" | "error";
  fields: Record<string, unknown>;
  message?: string;
}

/** Creates a capturing logger and its lines. */
export function captureLogger(): Logger & { lines: LogLine[]; text(): string } {
  const lines: LogLine[] = [];
  const at = (level: LogLine["level"]) => (fields: Record<string, unknown>, message?: string) => {
    lines.push({ level, fields, message });
  };
  return {
    lines,
    debug: at("debug"),
    info: at("info"),
    warn: at("warn"),
    error: at("error"),
    text: () => JSON.stringify(lines),
  };
}
