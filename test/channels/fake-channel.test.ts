/**
 * A channel is one definition: a small fake platform, defined only here, is added to the app
 * without touching any other file. Its settings are parsed with the app's, its webhook is mounted
 * and verified by an HMAC of the raw body (as Zalo OA or Messenger sign theirs), its own HTTP
 * route is served, an update reaches the bot and the reply comes back, and `fake:xyz` is a staff id.
 */
import { createHmac } from "node:crypto";
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { z } from "zod";
import { createApp, type App } from "../../src/app.js";
import { channelDefinitions, staffIdPattern } from "../../src/channels/registry.js";
import { defineChannel } from "../../src/channels/shared/definition.js";
import { classifyThrown } from "../../src/channels/shared/send-outcome.js";
import { bytesEqual } from "../../src/channels/shared/webhook.js";
import { parseConfig } from "../../src/config.js";
import type { Database } from "../../src/db/database.js";
import type { Outgoing } from "../../src/engine/messages.js";
import { silentLogger } from "../../src/shared/logger.js";
import { openTestDatabase, testDatabaseUri } from "../helpers/db.js";

const SECRET = "fake-signing-secret-0123456789";
const DB = "fake_channel";

/** What the fake platform received from the bot: (user, message). */
const delivered: Array<{ userId: string; message: Outgoing }> = [];

/** The whole fake channel: settings, capabilities, a signed webhook, one page, a sender. */
const fake = defineChannel({
  name: "fake",
  config: z.object({
    FAKE_TOKEN: z.string().optional(),
    FAKE_APP_SECRET: z.string().min(16, { message: "must be at least 16 characters" }).optional(),
    FAKE_RATE_PER_SEC: z.coerce.number().positive().default(5),
  }),
  requiredTogether: [{ when: "FAKE_TOKEN", needs: "FAKE_APP_SECRET" }],
  enabled: (config) => config.FAKE_TOKEN !== undefined,
  userIdPattern: "[a-z]{1,16}",
  capabilities: { buttons: true, files: "link", maxTextLength: 1000, announcements: true },
  sendRate: (config) => ({ perSecond: config.FAKE_RATE_PER_SEC, perChatIntervalMs: 0 }),
  classifyError: classifyThrown,
  secretHeaders: ["x-fake-signature"],
  async create(context) {
    const secret = context.config.FAKE_APP_SECRET ?? "";
    const sign = (raw: Buffer) => Buffer.from(`sha256=${createHmac("sha256", secret).update(raw).digest("hex")}`);
    const sender = {
      channel: "fake",
      send: async (userId: string, message: Outgoing) => {
        delivered.push({ userId, message });
        return { ok: true as const };
      },
    };
    let running = false;
    return {
      name: "fake",
      mode: "webhook",
      sender,
      webhook: {
        // The platform signs the exact bytes it sent: checked on the raw body, not on re-serialised JSON.
        verify: ({ headers, rawBody }) => typeof headers["x-fake-signature"] === "string" && bytesEqual(Buffer.from(headers["x-fake-signature"]), sign(rawBody)),
        receive(body) {
          const parsed = z.object({ user: z.string(), text: z.string() }).safeParse(body);
          if (!parsed.success) return "invalid";
          const { user, text } = parsed.data;
          void context.bot.handle({ user: { channel: "fake", userId: user }, kind: "text", text }).then(async (replies) => {
            for (const reply of replies) await sender.send(user, reply);
          });
          return "accepted";
        },
      },
      http: async (app) => {
        app.get("/fake/hello", async () => ({ hello: "fake" }));
      },
      get running() {
        return running;
      },
      get notReady() {
        return running ? undefined : "not_running";
      },
      async start() {
        running = true;
      },
      async stop() {
        running = false;
      },
      replay: async () => false,
    };
  },
});

const definitions = [...channelDefinitions, fake];

describe("a channel added by its definition alone", () => {
  let db: Database;
  let app: App;
  const dataDir = mkdtempSync(join(tmpdir(), "nscl-fake-"));

  beforeAll(async () => {
    db = await openTestDatabase(DB);
    const parsed = parseConfig(
      { MONGODB_URI: testDatabaseUri(DB), FAKE_TOKEN: "t", FAKE_APP_SECRET: SECRET, STAFF_IDS: "fake:xyz", TERMINAL: "off", HOST: "127.0.0.1", PORT: "0", DATA_DIR: dataDir },
      definitions,
    );
    if (!parsed.ok) throw new Error(`bad test config: ${JSON.stringify(parsed.problems)}`);
    app = await createApp({ config: parsed.config, db, logger: silentLogger, channels: definitions });
    await app.start();
  }, 60_000);

  afterAll(async () => {
    await app?.stop();
    await db?.close();
  });

  it("parses its settings with the app's, with its own rules and its staff ids", () => {
    const missing = parseConfig({ FAKE_TOKEN: "t" }, definitions);
    expect(missing.ok).toBe(false);
    if (!missing.ok) expect(missing.problems).toContainEqual({ variable: "FAKE_APP_SECRET", message: "is required when FAKE_TOKEN is set" });
    const short = parseConfig({ FAKE_TOKEN: "t", FAKE_APP_SECRET: "short" }, definitions);
    expect(short.ok).toBe(false);
    // Staff ids of the new channel parse; its own id pattern applies.
    expect(staffIdPattern(definitions).test("fake:xyz")).toBe(true);
    expect(staffIdPattern(definitions).test("fake:XYZ")).toBe(false);
    expect(parseConfig({ STAFF_IDS: "fake:xyz" }).ok).toBe(false);
    const ok = parseConfig({ STAFF_IDS: "fake:xyz,telegram:1" }, definitions);
    expect(ok.ok && ok.config.STAFF_IDS).toEqual(["fake:xyz", "telegram:1"]);
  });

  it("mounts its webhook, verified by an HMAC of the raw body, and its own routes", async () => {
    const http = `http://127.0.0.1:${app.httpPort}`;
    // Unusual spacing: a signature of re-serialised JSON would not match.
    const raw = '{"user":"xyz",   "text":"/start"}';
    const sig = `sha256=${createHmac("sha256", SECRET).update(raw).digest("hex")}`;
    const post = (body: string, signature: string | undefined) =>
      fetch(`${http}/webhooks/fake`, { method: "POST", headers: { "content-type": "application/json", ...(signature ? { "x-fake-signature": signature } : {}) }, body });

    expect((await post(raw, undefined)).status).toBe(401);
    expect((await post(raw, `sha256=${"0".repeat(64)}`)).status).toBe(401);
    expect((await post(raw.replace("   ", ""), sig)).status).toBe(401);
    expect(delivered).toHaveLength(0);

    expect((await post(raw, sig)).status).toBe(200);
    // The bot's reply comes back through the channel's sender (bounded wait).
    for (let i = 0; i < 200 && delivered.length === 0; i++) await new Promise((r) => setTimeout(r, 50));
    expect(delivered.length).toBeGreaterThan(0);
    expect(delivered[0]?.userId).toBe("xyz");
    expect(delivered[0]?.message.text.length).toBeGreaterThan(0);

    expect(await (await fetch(`${http}/fake/hello`)).json()).toEqual({ hello: "fake" });
    const ready = (await (await fetch(`${http}/readyz`)).json()) as { checks: Record<string, boolean> };
    expect(ready.checks.fake).toBe(true);
  });
});
