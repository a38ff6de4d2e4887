/**
 * The console's doors, over real HTTP against the real app and database: no page without a
 * session; a sign-in link works once and for 10 minutes; a session ends when its staff member is
 * removed (checked on every request); every change needs the session's CSRF token from the
 * console's own origin; sign-in attempts are rate-limited; every change is in the audit trail.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createStaffRepo } from "../../src/db/staff-repo.js";
import { CONFIGURED_STAFF, consoleClient, csrfOf, signIn, startConsoleApp, type ConsoleApp } from "./console-app.js";

describe("console sign-in, sessions and CSRF", () => {
  let c: ConsoleApp;
  beforeAll(async () => {
    c = await startConsoleApp("console_auth");
  }, 60_000);
  afterAll(async () => {
    await c?.stop();
  });

  it("shows no page without a session (redirect to sign-in help; htmx gets HX-Redirect)", async () => {
    const client = consoleClient(c.base);
    const page = await client.get("/console");
    expect(page.status).toBe(303);
    expect(page.location).toBe("/console/signed-out?reason=none");
    const htmx = await client.get("/console", { "hx-request": "true" });
    expect(htmx.status).toBe(401);
    expect(htmx.headers.get("hx-redirect")).toBe("/console/signed-out?reason=none");
    const help = await client.get("/console/signed-out?reason=none&lang=vi");
    expect(help.text).toContain("/web");
    expect((await client.post("/console/locale", { locale: "en" })).status).toBe(401);
    // A made-up cookie is no session either.
    client.cookies.set("nscl_console", "forged-token");
    expect((await client.get("/console")).status).toBe(303);
  });

  it("a sign-in link shows a confirmation on GET (previews do not use it), works once on POST, and never twice", async () => {
    const token = await c.repo.issueLink(CONFIGURED_STAFF, new Date(), 10 * 60_000);
    const client = consoleClient(c.base);
    const confirm = await client.get(`/console/signin/${token}`);
    expect(confirm.status).toBe(200);
    expect(confirm.text).toContain(CONFIGURED_STAFF);
    expect(confirm.headers.get("referrer-policy")).toBe("same-origin");
    expect(confirm.headers.get("content-security-policy")).toContain("frame-ancestors 'none'");
    expect(confirm.headers.get("content-security-policy")).toContain("script-src 'self'");
    expect(confirm.headers.get("x-frame-options")).toBe("DENY");
    expect(confirm.headers.get("cache-control")).toBe("no-store");
    const first = await client.post(`/console/signin/${token}`);
    expect(first.status).toBe(303);
    const cookie = first.setCookies.find((l) => l.startsWith("nscl_console="));
    expect(cookie).toMatch(/HttpOnly/i);
    expect(cookie).toMatch(/SameSite=Strict/i);
    expect(cookie).toMatch(/Path=\/console/i);
    expect((await client.get("/console")).status).toBe(200);
    const again = consoleClient(c.base);
    const second = await again.post(`/console/signin/${token}`);
    expect(second.status).toBe(410);
    expect(second.setCookies.some((l) => l.startsWith("nscl_console="))).toBe(false);
    expect((await again.get(`/console/signin/${token}`)).status).toBe(410);
  });

  it("a link used by two browsers at once signs in exactly one", async () => {
    const token = await c.repo.issueLink(CONFIGURED_STAFF, new Date(), 10 * 60_000);
    const results = await Promise.all(Array.from({ length: 6 }, () => consoleClient(c.base).post(`/console/signin/${token}`)));
    expect(results.filter((r) => r.status === 303)).toHaveLength(1);
    expect(results.filter((r) => r.status === 410)).toHaveLength(5);
  });

  it("an expired or unknown link is refused", async () => {
    const expired = await c.repo.issueLink(CONFIGURED_STAFF, new Date(Date.now() - 11 * 60_000), 10 * 60_000);
    const client = consoleClient(c.base);
    const refused = await client.post(`/console/signin/${expired}`);
    expect(refused.status).toBe(410);
    expect(refused.text).toContain("10");
    expect((await client.post("/console/signin/not-a-real-token")).status).toBe(404);
  });

  it("a removed staff member's session stops working on the next request", async () => {
    const staffRepo = createStaffRepo(c.db);
    await staffRepo.add("zalo:abc123", CONFIGURED_STAFF, new Date());
    const client = consoleClient(c.base);
    await signIn(c, client, "zalo:abc123");
    await staffRepo.remove("zalo:abc123");
    const after = await client.get("/console");
    expect(after.status).toBe(303);
    expect(after.location).toBe("/console/signed-out?reason=removed");
    // Its session is gone for good, even if the person were added back.
    await staffRepo.add("zalo:abc123", CONFIGURED_STAFF, new Date());
    expect((await client.get("/console")).status).toBe(303);
  });

  it("refuses a change without the session's CSRF token or from another origin; accepts it with both", async () => {
    const client = consoleClient(c.base);
    const home = await signIn(c, client);
    const csrf = csrfOf(home);
    expect((await client.post("/console/locale", { locale: "en" })).status).toBe(403);
    expect((await client.post("/console/locale", { locale: "en", _csrf: "x".repeat(csrf.length) })).status).toBe(403);
    expect((await client.post("/console/locale", { locale: "en", _csrf: csrf }, { origin: "https://evil.example" })).status).toBe(403);
    expect((await client.post("/console/locale", { locale: "en", _csrf: csrf }, { "sec-fetch-site": "cross-site" })).status).toBe(403);
    // Another session's token is not this session's.
    const other = consoleClient(c.base);
    const otherCsrf = csrfOf(await signIn(c, other));
    expect((await client.post("/console/locale", { locale: "en", _csrf: otherCsrf })).status).toBe(403);
    expect((await client.get("/console")).text).toContain('lang="vi"');
    const ok = await client.post("/console/locale", { locale: "en", _csrf: csrf }, { origin: c.base });
    expect(ok.status).toBe(303);
    expect((await client.get("/console")).text).toContain('lang="en"');
    // htmx sends the token as a header.
    expect((await client.post("/console/locale", { locale: "vi" }, { "x-csrf-token": csrf })).status).toBe(303);
  });

  it("signing out ends the session on the server", async () => {
    const client = consoleClient(c.base);
    const csrf = csrfOf(await signIn(c, client));
    const saved = new Map(client.cookies);
    expect((await client.post("/console/signout", { _csrf: csrf })).status).toBe(303);
    for (const [k, v] of saved) client.cookies.set(k, v);
    expect((await client.get("/console")).status).toBe(303);
  });

  it("records who did what and when (sign-in, changes, refused forms)", async () => {
    const entries = await c.repo.recentAudit(200);
    const actions = entries.map((e) => e.action);
    expect(actions).toContain("signin");
    expect(actions).toContain("locale");
    expect(actions).toContain("signout");
    expect(actions).toContain("csrf.refused");
    expect(entries.every((e) => e.at instanceof Date && typeof e.by === "string")).toBe(true);
    expect(entries.find((e) => e.action === "locale")?.by).toBe(CONFIGURED_STAFF);
  });

});

describe("console sign-in rate limit", () => {
  let c: ConsoleApp;
  beforeAll(async () => {
    c = await startConsoleApp("console_signin_limit", { CONSOLE_SIGNIN_PER_MINUTE: "5" });
  }, 60_000);
  afterAll(async () => {
    await c?.stop();
  });

  it("limits sign-in attempts per address, and says so in the page's language", async () => {
    const client = consoleClient(c.base);
    const statuses: number[] = [];
    for (let i = 0; i < 8; i++) statuses.push((await client.post(`/console/signin/guess-${i}`)).status);
    expect(statuses.slice(0, 5).every((s) => s === 404)).toBe(true);
    expect(statuses.slice(5)).toEqual([429, 429, 429]);
    // Even a real link waits out the minute.
    const token = await c.repo.issueLink(CONFIGURED_STAFF, new Date(), 10 * 60_000);
    const limited = await client.post(`/console/signin/${token}?lang=en`);
    expect(limited.status).toBe(429);
    expect(limited.text).toContain("Too many attempts");
  });
});
