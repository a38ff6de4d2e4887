import { describe, expect, it } from "vitest";
import { formatConfigProblems, parseConfig } from "../src/config.js";
import { z } from "zod";
import { channelDefinitions } from "../src/channels/registry.js";
import { defineChannel } from "../src/channels/shared/definition.js";
import { classifyThrown } from "../src/channels/shared/send-outcome.js";
import { web } from "../src/channels/web/index.js";

describe("config", () => {
  it("has working defaults for a local chat", () => {
    const parsed = parseConfig({});
    expect(parsed.ok).toBe(true);
    if (!parsed.ok) return;
    expect(parsed.config.DEFAULT_LOCALE).toBe("vi");
    expect(parsed.config.TZ_NAME).toBe("Asia/Ho_Chi_Minh");
    expect(parsed.config.STAFF_IDS).toEqual([]);
    expect(parsed.config.REMINDER_OFFSETS_HOURS).toEqual([24, 2]);
  });

  it("parses staff ids and numbers", () => {
    const parsed = parseConfig({ STAFF_IDS: " telegram:123, zalo:abc ", PORT: "9090", REMINDER_OFFSETS_HOURS: "48,1" });
    expect(parsed.ok && parsed.config.STAFF_IDS).toEqual(["telegram:123", "zalo:abc"]);
    expect(parsed.ok && parsed.config.PORT).toBe(9090);
    expect(parsed.ok && parsed.config.REMINDER_OFFSETS_HOURS).toEqual([48, 1]);
  });

  it("reports every problem at once, by name, with an example, without echoing values", () => {
    const secret = "abc:short";
    const parsed = parseConfig({
      PORT: "eighty",
      MONGODB_URI: "postgres://u:pw@h/db",
      TELEGRAM_BOT_TOKEN: secret,
      STAFF_IDS: "telegram:1,bob",
      TZ_NAME: "Mars/Olympus",
      ZALO_WEBHOOK_URL: "https://bot.example.org/webhooks/zalo",
      DEFAULT_LOCALE: "fr",
    });
    expect(parsed.ok).toBe(false);
    if (parsed.ok) return;
    const names = parsed.problems.map((p) => p.variable).sort();
    expect(names).toEqual(["DEFAULT_LOCALE", "MONGODB_URI", "PORT", "STAFF_IDS", "TELEGRAM_BOT_TOKEN", "TZ_NAME", "ZALO_BOT_TOKEN", "ZALO_WEBHOOK_SECRET"]);
    const text = formatConfigProblems(parsed.problems);
    expect(text).toContain("PORT must be a port number, e.g. 8080");
    expect(text).not.toContain(secret);
    expect(text).not.toContain("pw@");
  });

  it("treats empty strings as unset", () => {
    const parsed = parseConfig({ TELEGRAM_BOT_TOKEN: "", MONGODB_URI: "  ", CONTACT_PHONE: "" });
    expect(parsed.ok).toBe(true);
    expect(parsed.ok && parsed.config.TELEGRAM_BOT_TOKEN).toBeUndefined();
    expect(parsed.ok && parsed.config.CONTACT_PHONE).toBeUndefined();
  });

  it("the web chat in production: off by default until WEB_COOKIE_SECRET is set (an upgrade keeps starting); WEB_CHAT=on without it is refused", () => {
    const base = { NODE_ENV: "production", TELEGRAM_BOT_TOKEN: "123456:ABCdefGHIjklMNOpqrSTUvwxYZ012345678" };
    const plain = parseConfig(base);
    expect(plain.ok).toBe(true);
    if (plain.ok) expect(web.enabled(plain.config, true, true)).toBe(false);
    const secret = parseConfig({ ...base, WEB_COOKIE_SECRET: "a-long-random-cookie-secret-0123456789abcdef" });
    expect(secret.ok && web.enabled(secret.config, true, true)).toBe(true);
    const forced = parseConfig({ ...base, WEB_CHAT: "on" });
    expect(forced.ok).toBe(false);
    if (!forced.ok) expect(forced.problems.map((p) => p.variable)).toContain("WEB_COOKIE_SECRET");
    // Outside production the default is on (a per-process secret, with a warning).
    const dev = parseConfig({ TELEGRAM_BOT_TOKEN: base.TELEGRAM_BOT_TOKEN });
    expect(dev.ok && web.enabled(dev.config, true, false)).toBe(true);
    expect(parseConfig({ WEB_CHAT: "on" }).ok).toBe(true);
    // A secret that is there but too short is the schema's problem, reported once.
    const short = parseConfig({ ...base, WEB_CHAT: "on", WEB_COOKIE_SECRET: "short" });
    expect(short.ok ? [] : short.problems).toEqual([{ variable: "WEB_COOKIE_SECRET", message: "must be at least 32 characters" }]);
  });

  it("applies every channel's own settings check, whatever the channel (none is named in config)", () => {
    const other = defineChannel({
      name: "other",
      config: z.object({ OTHER_MODE: z.enum(["strict", "loose"]).default("loose"), OTHER_KEY: z.string().optional() }),
      check: (config, production) => (production && config.OTHER_MODE === "strict" && !config.OTHER_KEY ? [{ variable: "OTHER_KEY", message: "is required in strict mode" }] : []),
      enabled: () => false,
      userIdPattern: "[a-z]{1,8}",
      capabilities: { buttons: false, files: "link", maxTextLength: 100, announcements: false },
      sendRate: () => ({ perSecond: 1, perChatIntervalMs: 0 }),
      classifyError: classifyThrown,
      create: async () => {
        throw new Error("not built in this test");
      },
    });
    const definitions = [...channelDefinitions, other];
    const refused = parseConfig({ NODE_ENV: "production", OTHER_MODE: "strict" }, definitions);
    expect(refused.ok ? [] : refused.problems).toEqual([{ variable: "OTHER_KEY", message: "is required in strict mode" }]);
    expect(parseConfig({ OTHER_MODE: "strict" }, definitions).ok).toBe(true);
    expect(parseConfig({ NODE_ENV: "production", OTHER_MODE: "strict", OTHER_KEY: "k" }, definitions).ok).toBe(true);
    // A fragment that does not parse is reported by the schema alone.
    const bad = parseConfig({ NODE_ENV: "production", OTHER_MODE: "strictest" }, definitions);
    expect(bad.ok ? [] : bad.problems.map((p) => p.variable)).toEqual(["OTHER_MODE"]);
  });
});
