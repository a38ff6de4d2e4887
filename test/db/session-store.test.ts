import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Database } from "../../src/db/database.js";
import { createMongoSessionStore, pruneSessionRevisions, readLatestSession, revisionId } from "../../src/db/session-store.js";
import type { Session } from "../../src/engine/session.js";
import { createRunner } from "../../src/runtime/runner.js";
import type { Incoming, Outgoing } from "../../src/engine/messages.js";
import { deps as engineDeps, label, standardFlows } from "../engine/helpers.js";
import { openTestDatabase } from "../helpers/db.js";
import { dataKey as k } from "../../src/engine/msg-ref.js";

/** A session-shaped body; the store treats it as opaque JSON. */
const body = (step: string, extra: Record<string, unknown> = {}) => ({ version: 1, locale: "en", flow: "reg", step, data: { note: "Xin chào 👋", ...extra } }) as unknown as Session;
/** The session a contact's snapshot holds (stored as JSON text in `sessionState`). */
const snapshotSession = (contact: { sessionState?: unknown } | null): unknown => (typeof contact?.sessionState === "string" ? JSON.parse(contact.sessionState).session : undefined);
/** A store whose snapshots are only written when the test says so. */
const manual = (db: Database, clock?: () => Date) => createMongoSessionStore(db, { flushMs: 3_600_000, ...(clock ? { clock } : {}) });

describe("MongoDB session store", () => {
  let db: Database;
  beforeAll(async () => {
    db = await openTestDatabase("session_store");
  });
  afterAll(() => db.close());

  it("returns nothing at revision 0 for someone the bot has never met", async () => {
    expect(await manual(db).read("telegram:nobody")).toEqual({ value: null, revision: 0, verified: true });
  });

  it("writes a new contact with defaults at once and reads the session back as stored", async () => {
    const at = new Date("2026-11-25T10:00:00Z");
    const store = manual(db, () => at);
    expect(await store.write("zalo:e4ea2cd5", body("ask_name"), 0)).toBe("saved");
    // Remembered as saved: no read, and marked as this process's own (valid) session.
    expect(await store.read("zalo:e4ea2cd5")).toEqual({ value: body("ask_name"), revision: 1, verified: false, saved: body("ask_name") });
    const contact = await db.models.contact.findById("zalo:e4ea2cd5").lean();
    expect(contact).toMatchObject({ channel: "zalo", userId: "e4ea2cd5", locale: "en", subscribed: true, lastSeenAt: at, createdAt: at });
    // The contact comes first and without the session, which the snapshot adds later.
    expect(contact?.session).toBeUndefined();
    // Another process (no memory of it) reads the same thing from the database.
    expect(await manual(db).read("zalo:e4ea2cd5")).toEqual({ value: body("ask_name"), revision: 1, verified: true });
  });

  it("keeps subscription choices and clears an unreachable mark when the user writes again", async () => {
    const store = manual(db);
    await store.write("telegram:42", body("a"), 0);
    await db.models.contact.updateOne({ _id: "telegram:42" }, { $set: { subscribed: false, unreachableAt: new Date(), unreachableCode: "blocked" } });
    await store.write("telegram:42", body("b"), 1);
    await store.flush();
    const contact = await db.models.contact.findById("telegram:42").lean();
    expect(contact).toMatchObject({ subscribed: false, unreachableAt: null, unreachableCode: null, sessionRev: 2 });
    expect(snapshotSession(contact)).toEqual(body("b"));
  });

  it("a save after an old revision loses to the process that saved first, and nothing is written", async () => {
    const a = manual(db);
    const b = manual(db);
    await a.write("telegram:7", body("one"), 0);
    // The user's next update goes to process B, which reads from the database…
    const seen = await b.read("telegram:7");
    expect(seen).toMatchObject({ revision: 1, verified: true });
    expect(await b.write("telegram:7", body("two"), seen.revision)).toBe("saved");
    // …then back to A, whose memory is behind: it says so, and its save is refused.
    const remembered = await a.read("telegram:7");
    expect(remembered).toMatchObject({ revision: 1, verified: false });
    expect(await a.holdCurrent("telegram:7", remembered.revision)).toBeNull();
    expect(await a.write("telegram:7", body("stale"), remembered.revision)).toBe("conflict");
    expect(await a.read("telegram:7", { fresh: true })).toEqual({ value: body("two"), revision: 2, verified: true });
    expect(await a.holdCurrent("telegram:7", 2)).toBe(3);
  });

  it("holding the next revision: another process cannot save it, a crash leaves the conversation as it was, the save names the held one", async () => {
    const a = manual(db);
    const handled = { key: "telegram:1", replies: [{ text: "Chào", locale: "vi" as const }] };
    await a.write("telegram:8", body("confirm"), 0, handled);
    // A's next update is about to run an action with side effects on its remembered session.
    expect(await a.holdCurrent("telegram:8", 1)).toBe(2);
    // Meanwhile process B reads revision 2, a copy of 1: the same step and the same answered update.
    const b = manual(db);
    const seen = await b.read("telegram:8");
    expect(seen).toMatchObject({ value: body("confirm"), revision: 2, verified: true, handled: { key: "telegram:1" } });
    // A holder racing on the same revision loses before anything runs.
    expect(await manual(db).holdCurrent("telegram:8", 1)).toBeNull();
    // A's save names the held revision and becomes revision 3, naming the update before it.
    expect(await a.write("telegram:8", body("done"), 2, { key: "telegram:2", replies: [] })).toBe("saved");
    const latest = await readLatestSession(db, "telegram:8");
    expect(latest).toMatchObject({ value: body("done"), revision: 3, handled: { key: "telegram:2", earlier: [{ key: "telegram:1", rev: 2 }] } });
    expect(await a.readHandled?.("telegram:8", 2)).toMatchObject({ key: "telegram:1", replies: handled.replies });
    // B, still at revision 2, is told it is behind.
    expect(await b.write("telegram:8", body("stale"), 2)).toBe("conflict");
  });

  it("saves many users at once, each exactly once, and reports only the duplicate as a conflict", async () => {
    const store = manual(db);
    const keys = Array.from({ length: 60 }, (_, i) => `telegram:batch${i}`);
    await db.models.sessionRevision.collection.insertOne({ _id: revisionId("telegram:batch7", 1) as never, key: "telegram:batch7", rev: 1, session: body("taken"), at: new Date() });
    const outcomes = await Promise.all(keys.map((k, i) => store.write(k, body(`s${i}`), 0)));
    expect(outcomes.filter((o) => o === "conflict")).toHaveLength(1);
    expect(outcomes[7]).toBe("conflict");
    for (const [i, k] of keys.entries()) {
      expect((await readLatestSession(db, k)).value).toEqual(i === 7 ? body("taken") : body(`s${i}`));
    }
  });

  it("after a crash before the snapshot was written, a new process still finds the latest revision", async () => {
    const crashed = manual(db);
    for (let rev = 0; rev < 4; rev += 1) await crashed.write("telegram:crash", body(`step${rev + 1}`), rev);
    const snapshot = await db.models.contact.findById("telegram:crash").lean();
    expect(snapshot).not.toBeNull();
    expect(snapshot?.sessionRev).toBeUndefined(); // every snapshot was still pending
    expect(await manual(db).read("telegram:crash")).toEqual({ value: body("step4"), revision: 4, verified: true });
  });

  it("erasing forgets the conversation everywhere but keeps the numbering, so a stale process still loses", async () => {
    const a = manual(db);
    const stale = manual(db);
    await a.write("telegram:erase", body("one", { phone: "0905123456" }), 0);
    await stale.read("telegram:erase");
    await a.write("telegram:erase", body("two", { phone: "0905123456" }), 1);
    await a.erase("telegram:erase");
    expect((await db.models.contact.findById("telegram:erase").lean())?.session).toBeUndefined();
    const revisions = await db.models.sessionRevision.find({ key: "telegram:erase" }).lean();
    expect(revisions.map((r) => r.session)).toEqual([null, null]);
    expect(await manual(db).read("telegram:erase")).toEqual({ value: null, revision: 2, verified: true });
    expect(await a.write("telegram:erase", body("fresh"), 2)).toBe("saved");
    expect(await stale.write("telegram:erase", body("old"), 1)).toBe("conflict");
  });

  it("reads a contact saved before revisions existed (snapshot without a number) at revision 0", async () => {
    await db.models.contact.collection.insertOne({ _id: "telegram:legacy" as never, channel: "telegram", userId: "legacy", locale: "vi", session: body("old") });
    const store = manual(db);
    expect(await store.read("telegram:legacy")).toEqual({ value: body("old"), revision: 0, verified: true });
    // The next snapshot is written as JSON text and the nested form goes.
    await store.write("telegram:legacy", body("new"), 0);
    await store.flush();
    const contact = await db.models.contact.findById("telegram:legacy").lean();
    expect(contact?.session).toBeUndefined();
    expect(snapshotSession(contact)).toEqual(body("new"));
  });

  it("pruning folds old revisions into the snapshot, deletes them, and keeps recent ones", async () => {
    let now = new Date("2026-11-25T08:00:00Z");
    const store = manual(db, () => now);
    await store.write("telegram:prune", body("r1"), 0);
    await store.write("telegram:prune", body("r2"), 1);
    await store.write("telegram:prune", body("r3"), 2);
    now = new Date("2026-11-25T10:00:00Z");
    await store.write("telegram:prune", body("r4"), 3);
    // Revisions 2 and 3 are old and the snapshot (revision 1) is behind them.
    const result = await pruneSessionRevisions(db, new Date("2026-11-25T09:00:00Z"));
    expect(result.folded).toBeGreaterThanOrEqual(1);
    const left = await db.models.sessionRevision.find({ key: "telegram:prune" }).lean();
    expect(left.map((r) => r.rev)).toEqual([4]);
    const folded = await db.models.contact.findById("telegram:prune").lean();
    expect(folded).toMatchObject({ sessionRev: 3 });
    expect(snapshotSession(folded)).toEqual(body("r3"));
    expect(await manual(db).read("telegram:prune")).toEqual({ value: body("r4"), revision: 4, verified: true });
    // Idempotent: a second pass has nothing to do.
    expect(await pruneSessionRevisions(db, new Date("2026-11-25T09:00:00Z"))).toEqual({ folded: 0, deleted: 0 });
  });

  it("a remembered session is read again once it is older than the cache allows", async () => {
    let now = new Date("2026-11-25T10:00:00Z");
    const store = createMongoSessionStore(db, { flushMs: 3_600_000, cacheTtlMs: 60_000, clock: () => now });
    await store.write("telegram:ttl", body("one"), 0);
    expect((await store.read("telegram:ttl")).verified).toBe(false);
    now = new Date("2026-11-25T10:02:00Z");
    expect(await store.read("telegram:ttl")).toEqual({ value: body("one"), revision: 1, verified: true });
  });

  it("writes a snapshot once its user has been quiet for the interval, or after 16 saves of someone who keeps typing", async () => {
    let now = new Date("2026-11-25T10:00:00Z").getTime();
    const store = createMongoSessionStore(db, { flushMs: 30_000, clock: () => new Date(now) });
    const rev = async (key: string) => (await db.models.contact.findById(key).lean())?.sessionRev;
    for (let i = 0; i < 3; i++) await store.write("telegram:quiet", body(`q${i}`), i);
    await store.write("telegram:typing", body("t0"), 0);
    now += 10_000;
    await store.write("telegram:typing", body("t1"), 1);
    now += 21_000;
    await store.flushDue();
    // Quiet for 31 s: written; the other one wrote 21 s ago: not yet.
    expect([await rev("telegram:quiet"), await rev("telegram:typing")]).toEqual([3, undefined]);
    for (let i = 0; i < 16; i++) await store.write("telegram:busy", body(`b${i}`), i);
    await store.flushDue();
    expect([await rev("telegram:busy"), await rev("telegram:typing")]).toEqual([16, undefined]);
    now += 30_000;
    await store.flushDue();
    expect(await rev("telegram:typing")).toBe(2);
    await store.close();
  });

  it("close() writes pending snapshots", async () => {
    const store = manual(db);
    await store.write("telegram:close", body("one"), 0);
    await store.write("telegram:close", body("two"), 1);
    await store.close();
    const closed = await db.models.contact.findById("telegram:close").lean();
    expect(closed).toMatchObject({ sessionRev: 2 });
    expect(snapshotSession(closed)).toEqual(body("two"));
  });

  describe("an update saved but never answered (crash before the sends) is answered from its revision", () => {
    const user = { channel: "telegram" as const, userId: "replay" };
    let n = 0;
    const say = (text: string): Incoming => ({ user, kind: "text", text, updateKey: `telegram:${(n += 1)}` });
    const pressOf = (out: Outgoing[], wanted: string, key: string): Incoming => {
      const c = out[out.length - 1]?.choices?.find((x) => x.label === wanted);
      if (!c) throw new Error(`no choice ${wanted}`);
      return { user, kind: "choice", choiceId: c.id, updateKey: key };
    };
    /** A runner on its own store (a process); `saves` counts the registration action. */
    const processOn = (counter: { saves: number }) => {
      const store = manual(db);
      const bot = createRunner({
        flows: standardFlows(),
        store,
        actions: { save_reg: async () => { counter.saves += 1; return { say: [{ key: k("t:saved_ok") }] }; } },
        validators: engineDeps().validators,
        renderer: { render: label },
        isStaff: async () => false,
        now: () => new Date("2026-11-25T07:00:00Z"),
        logger: { debug: () => undefined, info: () => undefined, warn: () => undefined, error: () => undefined },
        defaultLocale: "vi",
        timeZone: "Asia/Ho_Chi_Minh",
      });
      return { bot, store };
    };

    it("the replay gets the same replies, the action runs once, and the next update runs normally", async () => {
      const counter = { saves: 0 };
      const first = processOn(counter);
      for (const t of ["/register", "Anh", "bo qua", "1"]) await first.bot.handle(say(t));
      const summary = await first.bot.handle(say("xong"));
      const confirm = pressOf(summary, "Có", "telegram:confirm-1");
      // Handled and saved; the process dies before these replies are sent (and before "done").
      const answered = await first.bot.handle(confirm);
      expect(answered.map((o) => o.text)).toEqual(["t:saved_ok", "t:reg.saved\n\nt:menu.text"]);
      expect(counter.saves).toBe(1);
      // A new process on the same database: the recovery sweep replays the press.
      const second = processOn(counter);
      expect(await second.bot.handle(confirm)).toEqual(answered);
      expect(counter.saves).toBe(1);
      // The same process again (remembered, no read) answers the same way.
      expect(await second.bot.handle(confirm)).toEqual(answered);
      // Without a key (or under another key) an update runs: a new update is handled normally.
      const menu = await second.bot.handle(say("/start"));
      expect(menu.map((o) => o.text)).toEqual(["common:welcome", "t:menu.text"]);
      expect(await second.bot.handle({ ...confirm, updateKey: "telegram:confirm-2" })).not.toEqual(answered);
      expect(counter.saves).toBe(1);
    });

    it("a replay after the person went on tells what it did (no stale choices) and runs nothing", async () => {
      const counter = { saves: 0 };
      const first = processOn(counter);
      for (const t of ["/register", "Anh", "bo qua", "1"]) await first.bot.handle(say(t));
      const confirm = pressOf(await first.bot.handle(say("xong")), "Có", "telegram:confirm-3");
      const answered = await first.bot.handle(confirm);
      // Restarted; the person typed again before the sweep replayed the press.
      const second = processOn(counter);
      await second.bot.handle(say("/start"));
      await second.bot.handle(say("hello"));
      const third = processOn(counter);
      expect(await third.bot.handle(confirm)).toEqual(answered.map(({ choices: _c, ...o }) => o));
      expect(counter.saves).toBe(1);
    });
  });

  it("keeps the handled update through snapshot and fold, drops large files, and erases replies", async () => {
    let now = new Date("2026-11-25T08:00:00Z");
    const store = createMongoSessionStore(db, { flushMs: 3_600_000, clock: () => now });
    const doc = { filename: "x.xlsx", mimeType: "application/octet-stream", content: Buffer.from([1, 2, 3, 250]) };
    const handled = { key: "telegram:u1", replies: [{ text: "Đã lưu", locale: "vi" as const, document: doc }] };
    await store.write("telegram:kept", body("a"), 0, handled);
    // Read back by another process with the file as a Buffer.
    expect((await manual(db).read("telegram:kept")).handled).toEqual({ ...handled, earlier: [] });
    await store.flush();
    now = new Date("2026-11-25T10:00:00Z");
    await pruneSessionRevisions(db, new Date("2026-11-25T09:00:00Z"));
    expect(await db.models.sessionRevision.countDocuments({ key: "telegram:kept" })).toBe(0);
    expect((await manual(db).read("telegram:kept")).handled).toEqual({ ...handled, earlier: [] });
    // A save without a key clears it: only the latest revision's update counts.
    await store.write("telegram:kept", body("b"), 1);
    expect((await manual(db).read("telegram:kept")).handled).toBeUndefined();
    // Too large a file: the update is saved without its replies.
    const big = { key: "telegram:u2", replies: [{ text: "", document: { ...doc, content: Buffer.alloc(200_000) } }] };
    await store.write("telegram:kept", body("c"), 2, big);
    expect((await manual(db).read("telegram:kept")).handled).toBeUndefined();
    // Erasure removes the replies (personal data) with the session.
    await store.write("telegram:kept", body("d"), 3, { key: "telegram:u3", replies: [{ text: "Anh, 0901234567" }] });
    await store.flush();
    await store.erase("telegram:kept");
    expect((await manual(db).read("telegram:kept")).handled).toBeUndefined();
    expect(JSON.stringify(await db.models.contact.findById("telegram:kept").lean())).not.toContain("0901234567");
    expect(JSON.stringify(await db.models.sessionRevision.find({ key: "telegram:kept" }).lean())).not.toContain("0901234567");
  });

  it("stores a revision as one JSON text and still reads revisions stored as nested documents", async () => {
    const store = manual(db);
    const replies = [{ text: "Chào", locale: "vi" as const, choices: [{ id: "a.b", label: "Một" }] }];
    await store.write("telegram:forms", body("one"), 0, { key: "telegram:f1", replies });
    const stored = await db.models.sessionRevision.collection.findOne({ _id: revisionId("telegram:forms", 1) as never });
    expect(typeof stored?.state).toBe("string");
    expect(stored?.session).toBeUndefined();
    // A revision written by an earlier version: nested documents, no `state`.
    const legacy = { key: "telegram:f2", replies: [{ text: "Cũ", locale: "vi" }] };
    await db.models.sessionRevision.collection.insertOne({ _id: revisionId("telegram:forms", 2) as never, key: "telegram:forms", rev: 2, session: body("two"), handled: legacy, at: new Date() });
    const reader = manual(db);
    expect(await reader.read("telegram:forms")).toEqual({ value: body("two"), revision: 2, verified: true, handled: legacy });
    expect(await reader.readHandled?.("telegram:forms", 1)).toEqual({ key: "telegram:f1", replies, earlier: [] });
    expect(await reader.readHandled?.("telegram:forms", 2)).toEqual(legacy);
  });
});
