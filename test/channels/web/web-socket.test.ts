/**
 * The web chat's WebSocket protocol against the real app and database, without a browser:
 * greeting, acknowledgement after storage, resends, bad frames, refused origins and cookies,
 * rate limits, announcements kept for later, "delete my data", a restart, /metrics.
 */
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createApp, type App } from "../../../src/app.js";
import { parseConfig } from "../../../src/config.js";
import type { Database } from "../../../src/db/database.js";
import { createLogger } from "../../../src/log.js";
import { openTestDatabase, testDatabaseUri } from "../../helpers/db.js";
import { visitorCookie, WebVisitor } from "../../helpers/web-client.js";

const DB = "web_socket";
const SECRET = "a-test-cookie-secret-that-is-long-enough-1234";
const ALLOWED = "http://allowed.example";

describe("web chat over WebSocket", () => {
  let db: Database;
  let app: App;
  let base: string;
  const open: WebVisitor[] = [];

  async function startApp(): Promise<void> {
    const parsed = parseConfig({
      MONGODB_URI: testDatabaseUri(DB), TERMINAL: "off", HOST: "127.0.0.1", PORT: "0", WEB_COOKIE_SECRET: SECRET,
      WEB_ALLOWED_ORIGINS: ALLOWED, WEB_RATE_PER_MINUTE: "30", DATA_DIR: mkdtempSync(join(tmpdir(), "nscl-web-ws-")),
    });
    if (!parsed.ok) throw new Error(JSON.stringify(parsed.problems));
    app = await createApp({ config: parsed.config, db, logger: createLogger({ level: "warn", file: join(mkdtempSync(join(tmpdir(), "nscl-web-log-")), "bot.log") }) });
    await app.start();
    base = `http://127.0.0.1:${app.httpPort}`;
  }

  async function visitor(cookie?: string, origin?: string, lang = "vi"): Promise<WebVisitor> {
    const v = await WebVisitor.open(base, { "accept-language": lang, ...(cookie ? { cookie } : {}), ...(origin ? { origin } : {}) });
    open.push(v);
    return v;
  }

  /** A new visitor, greeted (hello + the greeting's replies). */
  async function greeted(lang = "vi"): Promise<{ v: WebVisitor; cookie: string }> {
    const cookie = await visitorCookie(base, lang);
    const v = await visitor(cookie, base, lang);
    await v.waitFor((fs) => fs.some((f) => f.t === "typing" && f.on === false), 20_000, "greeting");
    return { v, cookie };
  }

  beforeAll(async () => {
    db = await openTestDatabase(DB);
    await startApp();
  });

  afterAll(async () => {
    await Promise.all(open.map((v) => v.close()));
    await app?.stop();
    await db?.close();
  });

  it("greets a first visit with the menu as buttons, in the browser's language, and sets a signed httpOnly cookie", async () => {
    const page = await fetch(`${base}/chat`, { headers: { "accept-language": "en-GB,en;q=0.9" } });
    const setCookie = page.headers.get("set-cookie") ?? "";
    expect(setCookie).toMatch(/^nscl_visitor=[A-Za-z0-9_-]{22}\.[^;]+;/);
    expect(setCookie).toMatch(/HttpOnly/);
    expect(setCookie).toMatch(/SameSite=Lax/);
    expect(page.headers.get("content-security-policy")).toContain(`frame-ancestors 'self' ${ALLOWED}`);
    expect(await page.text()).toContain('<html lang="en">');

    const { v } = await greeted("en");
    const hello = v.frames.find((f) => f.t === "hello");
    expect(hello).toMatchObject({ history: [], persistent: true });
    const menu = v.botEntries.find((e) => e.choices?.length);
    expect(menu?.choices?.map((c) => c.label)).toContain("Register an enterprise");
    // The greeting's "/start" is not shown as something the visitor said.
    expect(v.frames.some((f) => f.t === "msg" && f.entry?.from === "user")).toBe(false);
  });

  it("acknowledges a message, answers it, and shows the conversation again after a reconnect", async () => {
    const { v, cookie } = await greeted();
    const replies = await v.press(/Chính sách hỗ trợ/);
    expect(replies.length).toBeGreaterThan(0);
    await v.close();
    const again = await visitor(cookie, base);
    await again.waitFor((fs) => fs.some((f) => f.t === "hello"));
    const history = again.frames.find((f) => f.t === "hello")!.history!;
    expect(history.some((e) => e.from === "user" && e.text === "Chính sách hỗ trợ")).toBe(true);
    expect(history.at(-1)?.text).toBe(replies.at(-1)?.text);
    // No second greeting for a returning visitor.
    await new Promise((r) => setTimeout(r, 300));
    expect(again.frames.filter((f) => f.t === "msg")).toHaveLength(0);
  });

  it("a message sent again with the same id (a resend after a lost ack) is acknowledged but handled once", async () => {
    const { v, cookie } = await greeted();
    const visitorId = cookie.split("=")[1]!.split(".")[0]!;
    v.raw(JSON.stringify({ t: "text", id: "resend-0001", text: "/help" }));
    await v.waitFor((fs) => fs.some((f) => f.t === "ack" && f.id === "resend-0001"));
    // Acknowledged only once stored: the inbox holds it the moment the ack is read.
    expect(await db.models.inbox.exists({ _id: `web:${visitorId}:resend-0001` })).toBeTruthy();
    await v.waitFor((fs) => fs.some((f) => f.t === "typing" && f.on === false && fs.indexOf(f) > fs.findIndex((g) => g.id === "resend-0001")));
    const before = v.frames.length;
    v.raw(JSON.stringify({ t: "text", id: "resend-0001", text: "/help" }));
    await v.waitFor((fs) => fs.slice(before).some((f) => f.t === "ack" && f.id === "resend-0001"));
    await new Promise((r) => setTimeout(r, 500));
    expect(v.frames.slice(before).filter((f) => f.t === "msg")).toHaveLength(0);
  });

  it("answers bad frames with a localized error and closes the socket after five; a frame over 8 KiB closes it at once", async () => {
    const { v } = await greeted();
    for (const bad of ["not json", JSON.stringify({ t: "text", id: "x", text: "short id" }), JSON.stringify({ t: "choice", id: "abcdefgh", choiceId: "a b" }), JSON.stringify({ t: "text", id: "abcdefgh", text: "" })]) v.raw(bad);
    await v.waitFor((fs) => fs.filter((f) => f.t === "error" && f.code === "bad_frame").length === 4);
    expect(v.frames.find((f) => f.code === "bad_frame")?.text).toMatch(/Không đọc được/);
    v.raw("{}");
    await v.waitFor(() => v.closeCode !== undefined || false).catch(() => undefined);
    expect(v.closeCode).toBe(1008);

    const { v: big } = await greeted();
    big.raw(JSON.stringify({ t: "text", id: "abcdefgh", text: "x".repeat(9_000) }));
    await big.waitFor(() => false, 10_000).catch(() => undefined);
    expect(big.closeCode).toBe(1009);
  });

  it("refuses a WebSocket from another site's page (403) and one with a forged or tampered cookie (401)", async () => {
    const cookie = await visitorCookie(base);
    await expect(WebVisitor.open(base, { cookie, origin: "http://evil.example" })).rejects.toThrow("refused 403");
    const [name, value] = cookie.split("=") as [string, string];
    const [id, signature] = value.split(".") as [string, string];
    const otherId = `${id.slice(0, -1)}${id.endsWith("A") ? "B" : "A"}`;
    await expect(WebVisitor.open(base, { cookie: `${name}=${otherId}.${signature}`, origin: base })).rejects.toThrow("refused 401");
    await expect(WebVisitor.open(base, { cookie: `${name}=${id}`, origin: base })).rejects.toThrow("refused 401");
    // An allowed embedding site may open it.
    const ok = await visitor(cookie, ALLOWED);
    await ok.waitFor((fs) => fs.some((f) => f.t === "hello"));
  });

  it("limits messages per visitor: past the burst the rest are refused with a localized error, not handled", async () => {
    const { v } = await greeted();
    for (let i = 0; i < 20; i++) v.raw(JSON.stringify({ t: "text", id: `burst-${String(i).padStart(4, "0")}`, text: "/help" }));
    await v.waitFor((fs) => fs.filter((f) => (f.t === "ack" || f.t === "error") && f.id?.startsWith("burst-")).length === 20);
    const refused = v.frames.filter((f) => f.t === "error" && f.code === "rate_limited");
    expect(refused.length).toBeGreaterThanOrEqual(5);
    expect(refused[0]?.text).toMatch(/đợi một chút/);
    const acked = v.frames.filter((f) => f.t === "ack" && f.id?.startsWith("burst-")).length;
    expect(acked + refused.length).toBe(20);
    expect(acked).toBeLessThanOrEqual(11);
  });

  it("keeps an announcement for a visitor who is away and shows it when they come back", async () => {
    const { v, cookie } = await greeted();
    await v.close();
    const visitorId = cookie.split("=")[1]!.split(".")[0]!;
    const result = await app.notifier.notify({ channel: "web", userId: visitorId }, [{ key: "web:page.new_chat_notice" }]);
    expect(result).toEqual({ ok: true });
    const back = await visitor(cookie, base);
    await back.waitFor((fs) => fs.some((f) => f.t === "hello"));
    expect(back.frames.find((f) => f.t === "hello")!.history!.at(-1)?.text).toBe("Cuộc trò chuyện mới");
  });

  it("switches the conversation's language from the page without leaving the question", async () => {
    const { v } = await greeted();
    await v.press(/Đăng ký doanh nghiệp/);
    v.raw(JSON.stringify({ t: "locale", locale: "en" }));
    await v.waitFor((fs) => fs.some((f) => f.t === "locale" && f.locale === "en"));
    // Still at the consent question, now answered in English.
    const next = await v.press(/^Đồng ý|^Có/);
    expect(next.map((e) => e.text).join("\n")).toMatch(/enterprise/i);
    expect(next.every((e) => e.locale === "en")).toBe(true);
  });

  it("'delete my data' erases the history and tells the page to drop the cookie; /chat/forget issues a new id", async () => {
    const { v, cookie } = await greeted();
    await v.text("/privacy");
    await v.press(/Xóa/i);
    await v.press(/^Có/);
    await v.waitFor((fs) => fs.some((f) => f.t === "erased"));
    const forgot = await fetch(`${base}/chat/forget`, { method: "POST", headers: { cookie, origin: base } });
    expect(forgot.status).toBe(200);
    const fresh = (forgot.headers.get("set-cookie") ?? "").split(";")[0]!;
    expect(fresh.split(".")[0]).not.toBe(cookie.split(".")[0]);
    const back = await visitor(cookie, base);
    await back.waitFor((fs) => fs.some((f) => f.t === "hello"));
    expect(back.frames.find((f) => f.t === "hello")!.history).toEqual([]);
    expect((await fetch(`${base}/chat/forget`, { method: "POST", headers: { origin: "http://evil.example" } })).status).toBe(403);
  });

  it("continues the same conversation after the bot restarts, and /metrics counts the web channel", async () => {
    const { v, cookie } = await greeted();
    await v.press(/Đăng ký doanh nghiệp/);
    await v.close();
    const metrics = await (await fetch(`${base}/metrics`)).text();
    expect(metrics).toMatch(/bot_updates_handled_total\{channel="web"\} \d+/);
    await app.stop();
    await startApp();
    const back = await visitor(cookie, base);
    await back.waitFor((fs) => fs.some((f) => f.t === "hello"));
    const history = back.frames.find((f) => f.t === "hello")!.history!;
    expect(history.some((e) => e.text === "Đăng ký doanh nghiệp")).toBe(true);
    // The consent question is still the one being asked: "Có" answers it.
    const answer = await back.press(/^Đồng ý|^Có/);
    expect(answer.map((e) => e.text).join("\n")).toMatch(/tên (quý )?doanh nghiệp/i);
  });
});
