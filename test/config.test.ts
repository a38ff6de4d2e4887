import { describe, expect, it } from "vitest";
import { formatConfigProblems, parseConfig } from "../src/config.js";

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
});
