/** Files on every channel: a caption travels with the file where files can be sent; elsewhere a link, or an honest line. */
import { resolve } from "node:path";
import { describe, expect, it } from "vitest";
import { channelDefinition } from "../../../src/channels/registry.js";
import { withFileDelivery, type FileDeliveryOptions } from "../../../src/channels/shared/file-delivery.js";
import type { Bot, ChannelName, Outgoing } from "../../../src/engine/messages.js";
import { createRenderer } from "../../../src/i18n/renderer.js";

const renderer = createRenderer({ localesDir: resolve(import.meta.dirname, "..", "..", "..", "locales"), timeZone: "Asia/Ho_Chi_Minh" });
const document = { filename: "dang-ky-1.xlsx", mimeType: "x", content: Buffer.from("x") };
const inner: Bot = { handle: async () => [{ text: "", locale: "en", document }, { text: "Menu", locale: "en", choices: [{ id: "a", label: "A" }] }] };
const run = (channel: ChannelName, extra: Partial<FileDeliveryOptions> = {}) =>
  withFileDelivery(inner, { channel, files: channelDefinition(channel)?.capabilities.files ?? "link", render: (m, l) => renderer.render(m, l), defaultLocale: "vi", now: () => new Date(0), ...extra }).handle({ user: { channel, userId: "1" }, kind: "text", text: "2" });

describe("file delivery", () => {
  it("sends the file on Telegram with a caption naming it (the text arrives with the file only)", async () => {
    const [first] = await run("telegram");
    expect(first!.document?.caption).toBe("File dang-ky-1.xlsx (opens in Excel).");
    expect(first!.text).toBe("");
  });

  it("on Zalo without PUBLIC_URL says where to get the file, and sends no file", async () => {
    const out: Outgoing[] = await run("zalo");
    expect(out[0]!.document).toBeUndefined();
    expect(out[0]!.text).toContain("Zalo cannot send files, so dang-ky-1.xlsx was not sent");
    expect(out[0]!.text).toContain("Telegram");
    expect(out[1]!.text).toBe("Menu");
  });

  it("on Zalo with PUBLIC_URL sends a 15-minute link under it", async () => {
    const made: Array<{ owner: string; expiresAt: Date }> = [];
    const out = await run("zalo", { links: { publicUrl: "https://bot.example.gov.vn/", ttlMs: 15 * 60_000, issuer: { create: async (_d, owner, _n, expiresAt) => (made.push({ owner, expiresAt }), "TOKEN123") } } });
    expect(out[0]!.text).toContain("https://bot.example.gov.vn/files/TOKEN123");
    expect(out[0]!.text).toContain("15 minutes");
    expect(made).toEqual([{ owner: "zalo:1", expiresAt: new Date(15 * 60_000) }]);
  });

  it("says the link could not be made when the store fails, never that a file is attached", async () => {
    const out = await run("zalo", { links: { publicUrl: "https://x.example", ttlMs: 1, issuer: { create: async () => Promise.reject(new Error("db down")) } } });
    expect(out[0]!.text).toContain("could not be created");
    expect(out[0]!.document).toBeUndefined();
  });
});
