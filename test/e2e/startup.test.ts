import { describe, expect, it } from "vitest";
import { runBot } from "../helpers/run-bot.js";

describe("starting the bot process", () => {
  it("stops with one clear line per configuration problem and exit code 1, no stack trace", async () => {
    const run = await runBot("", { PORT: "http", STAFF_IDS: "bob", TELEGRAM_WEBHOOK_URL: "https://bot.example.org/hook" });
    expect(run.code).toBe(1);
    expect(run.stderr).toContain("PORT must be a port number, e.g. 8080");
    expect(run.stderr).toContain("STAFF_IDS each entry must be channel:id");
    expect(run.stderr).toContain("TELEGRAM_WEBHOOK_SECRET is required when TELEGRAM_WEBHOOK_URL is set");
    expect(run.stderr).not.toMatch(/\n\s+at /);
    expect(run.stdout).toBe("");
  });

  it("names an unreachable database with credentials redacted and exits non-zero", async () => {
    const run = await runBot("/start\n", { MONGODB_URI: "mongodb://officer:hunter2@127.0.0.1:1/x" }, 30_000);
    expect(run.code).toBe(2);
    expect(run.stderr).toContain("Cannot reach the database at mongodb://***@127.0.0.1:1/x");
    expect(run.stderr).not.toContain("hunter2");
    expect(run.stderr).not.toMatch(/\n\s+at /);
  });
});
