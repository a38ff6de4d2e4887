/**
 * The system Chromium for browser tests (Debian's `chromium` package; `.ci/run` installs it).
 * Locally a missing browser skips those tests with a clear line; in CI (`CI` set) it fails them.
 */
import { existsSync } from "node:fs";

/** Where Debian installs Chromium. */
export const CHROMIUM_PATH = process.env.CHROMIUM_PATH ?? "/usr/bin/chromium";

/** Whether browser tests can run here; prints why not when they are skipped. */
export function chromiumAvailable(): boolean {
  if (existsSync(CHROMIUM_PATH)) return true;
  if (process.env.CI) return false;
  process.stderr.write(`browser tests skipped: no Chromium at ${CHROMIUM_PATH} (apt-get install -y chromium)\n`);
  return false;
}

/** Launch options for playwright-core's `chromium.launch`. */
export const chromiumLaunchOptions = { executablePath: CHROMIUM_PATH, args: ["--no-sandbox"] };
