/**
 * The real app with its HTTP server (and so the console) on a loopback port, against a real
 * database, for the console's tests; and a small cookie-keeping HTTP client.
 */
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createApp, type App } from "../../src/app.js";
import { parseConfig } from "../../src/config.js";
import { createClaimsRepo } from "../../src/db/claims-repo.js";
import { createConsoleRepo, type ConsoleRepo } from "../../src/db/console-repo.js";
import type { Database } from "../../src/db/database.js";
import { silentLogger } from "../../src/shared/logger.js";
import { openTestDatabase, testDatabaseUri } from "../helpers/db.js";

/** The staff member configured in `STAFF_IDS`. */
export const CONFIGURED_STAFF = "telegram:777";

/** A running console. */
export interface ConsoleApp {
  app: App;
  db: Database;
  repo: ConsoleRepo;
  base: string;
  stop(): Promise<void>;
}

/** Starts the app (no chat channel) with its console, on a database named `name`. */
export async function startConsoleApp(name: string, env: Record<string, string> = {}): Promise<ConsoleApp> {
  const db = await openTestDatabase(name);
  const parsed = parseConfig({
    MONGODB_URI: testDatabaseUri(name),
    TERMINAL: "off",
    HOST: "127.0.0.1",
    PORT: "0",
    LOG_LEVEL: "silent",
    STAFF_IDS: CONFIGURED_STAFF,
    // Tests sign in many times from one address; the limit itself is tested with its own app.
    CONSOLE_SIGNIN_PER_MINUTE: "1000",
    DATA_DIR: mkdtempSync(join(tmpdir(), "nscl-console-")),
    ...env,
  });
  if (!parsed.ok) throw new Error(JSON.stringify(parsed.problems));
  const app = await createApp({ config: parsed.config, db, logger: silentLogger, http: true });
  await app.start();
  return {
    app,
    db,
    repo: createConsoleRepo(db, createClaimsRepo(db)),
    base: `http://127.0.0.1:${app.httpPort}`,
    async stop() {
      await app.stop();
      await db.close();
    },
  };
}

/** A browser-like client: keeps cookies, never follows redirects (tests look at them). */
export function consoleClient(base: string) {
  const cookies = new Map<string, string>();
  const cookieHeader = () => [...cookies].map(([k, v]) => `${k}=${v}`).join("; ");
  async function request(method: string, path: string, init: { form?: Record<string, string>; headers?: Record<string, string> } = {}) {
    const headers: Record<string, string> = { ...(cookies.size ? { cookie: cookieHeader() } : {}), ...init.headers };
    let body: string | undefined;
    if (init.form) {
      headers["content-type"] = "application/x-www-form-urlencoded";
      body = new URLSearchParams(init.form).toString();
    }
    const response = await fetch(`${base}${path}`, { method, headers, ...(body !== undefined ? { body } : {}), redirect: "manual" });
    for (const line of response.headers.getSetCookie()) {
      const [pair] = line.split(";");
      const [name, ...rest] = (pair ?? "").split("=");
      const value = rest.join("=");
      if (!name) continue;
      if (value === "" || /max-age=0|expires=thu, 01 jan 1970/i.test(line)) cookies.delete(name);
      else cookies.set(name, value);
    }
    return { status: response.status, location: response.headers.get("location"), headers: response.headers, text: await response.text(), setCookies: response.headers.getSetCookie() };
  }
  return {
    cookies,
    get: (path: string, headers?: Record<string, string>) => request("GET", path, headers ? { headers } : {}),
    post: (path: string, form: Record<string, string> = {}, headers?: Record<string, string>) => request("POST", path, { form, ...(headers ? { headers } : {}) }),
  };
}

/** The CSRF token a console page carries in its forms. */
export function csrfOf(html: string): string {
  const match = /name="_csrf" value="([^"]+)"/.exec(html);
  if (!match?.[1]) throw new Error("no CSRF token on the page");
  return match[1];
}

/** Signs `client` in with a fresh link for `staffKey`; the overview page's HTML. */
export async function signIn(console: ConsoleApp, client: ReturnType<typeof consoleClient>, staffKey = CONFIGURED_STAFF): Promise<string> {
  const token = await console.repo.issueLink(staffKey, new Date(), 10 * 60_000);
  const used = await client.post(`/console/signin/${token}`);
  if (used.status !== 303) throw new Error(`sign-in refused: ${used.status}`);
  const home = await client.get("/console");
  if (home.status !== 200) throw new Error(`console home: ${home.status}`);
  return home.text;
}
