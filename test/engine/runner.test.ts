import { describe, expect, it } from "vitest";
import { readOnly, type ActionRegistry } from "../../src/engine/actions.js";
import type { Logger } from "../../src/shared/logger.js";
import type { Incoming, Outgoing } from "../../src/engine/messages.js";
import { createRunner, hashUserKey, type RunnerDeps } from "../../src/runtime/runner.js";
import { newSession } from "../../src/engine/session.js";
import type { SessionStore } from "../../src/engine/session-store.js";
import { deps as engineDeps, flowsFrom, HELP, label, LANGUAGE, MAIN, memoryStore, standardFlows } from "./helpers.js";
import { dataKey as k } from "../../src/engine/msg-ref.js";

const user = { channel: "telegram" as const, userId: "42" };
const text = (t: string): Incoming => ({ user, kind: "text", text: t });

function recordingLogger(): Logger & { lines: { level: string; obj: object; msg: string }[] } {
  const lines: { level: string; obj: object; msg: string }[] = [];
  const at = (level: string) => (obj: object, msg: string) => { lines.push({ level, obj, msg }); };
  return { lines, debug: at("debug"), info: at("info"), warn: at("warn"), error: at("error") };
}

function setup(over: Partial<RunnerDeps> = {}, actions: ActionRegistry = { save_reg: async () => ({ say: [{ key: k("t:saved_ok") }] }) }) {
  const store = memoryStore();
  const logger = recordingLogger();
  const deps: RunnerDeps = {
    flows: standardFlows(),
    store,
    actions,
    validators: engineDeps().validators,
    renderer: { render: label },
    isStaff: async () => false,
    now: () => new Date("2026-11-25T07:00:00Z"),
    logger,
    defaultLocale: "vi",
    timeZone: "Asia/Ho_Chi_Minh",
    ...over,
  };
  return { bot: createRunner(deps), store, logger };
}

const texts = (out: Outgoing[]) => out.map((o) => o.text);
const pressOf = (out: Outgoing[], label: string): Incoming => {
  const c = out[out.length - 1]?.choices?.find((x) => x.label === label);
  if (!c) throw new Error(`no choice ${label}`);
  return { user, kind: "choice", choiceId: c.id };
};

async function toForm(bot: ReturnType<typeof setup>["bot"]) {
  const menu = await bot.handle(text("/start"));
  return bot.handle(pressOf(menu, "Đăng ký doanh nghiệp"));
}

describe("createRunner", () => {
  it("renders replies: paragraphs joined, choices as labels with their ids", async () => {
    const { bot } = setup();
    const out = await bot.handle(text("/start"));
    expect(texts(out)).toEqual(["common:welcome", "t:menu.text"]);
    expect(out[1]!.choices!.map((c) => c.label)).toEqual(["Đăng ký doanh nghiệp", "Khóa đào tạo", "Thông tin chương trình", "t:menu.language"]);
    expect(out[1]!.choices![0]!.id).toMatch(/^[a-z0-9]{6}\.register$/);
  });

  it("saves the session once per update, by userKey, as plain JSON that loads again", async () => {
    const { bot, store } = setup();
    await toForm(bot);
    expect(store.writes).toBe(2);
    expect(store.map.get("telegram:42")).toMatchObject({ version: 1, flow: "reg", step: "ask_name" });
    expect(texts(await bot.handle(text("Anh")))).toEqual(["t:reg.email"]);
  });

  it("continues a half-filled form with a new runner on the same store (restart)", async () => {
    const first = setup();
    await toForm(first.bot);
    await first.bot.handle(text("Anh"));
    const second = setup({ store: first.store });
    expect(texts(await second.bot.handle(text("a@b.vn")))).toEqual(["t:reg.support\n\ncommon:menu.multi_hint"]);
    expect(first.store.map.get("telegram:42")).toMatchObject({ data: { name: "Anh", email: "a@b.vn" } });
  });

  it("applies two concurrent updates from one user in order", async () => {
    const inner = memoryStore();
    let reads = 0;
    // The first read is slow: without per-user ordering the second update would read the old session.
    const store: SessionStore = {
      read: async (key) => {
        reads += 1;
        if (reads === 1) await new Promise((r) => setTimeout(r, 20));
        return inner.read(key);
      },
      write: (key, s, rev) => inner.write(key, s, rev),
      holdCurrent: (key, rev) => inner.holdCurrent(key, rev),
    };
    const { bot } = setup({ store });
    const started = await Promise.all([bot.handle(text("/register")), bot.handle(text("Anh"))]);
    expect(texts(started[0])).toEqual(["t:reg.name"]);
    expect(texts(started[1])).toEqual(["t:reg.email"]);
    expect(inner.map.get("telegram:42")).toMatchObject({ step: "ask_email", data: { name: "Anh" } });
  });

  it("runs different users concurrently (a stuck user does not block another)", async () => {
    let release!: () => void;
    const gate = new Promise<void>((r) => (release = r));
    const inner = memoryStore();
    const store: SessionStore = {
      read: async (key) => {
        if (key === "telegram:slow") await gate;
        return inner.read(key);
      },
      write: (key, s, rev) => inner.write(key, s, rev),
      holdCurrent: (key, rev) => inner.holdCurrent(key, rev),
    };
    const { bot } = setup({ store });
    const slow = bot.handle({ user: { channel: "telegram", userId: "slow" }, kind: "text", text: "/start" });
    const fast = await bot.handle(text("/start"));
    expect(texts(fast)).toEqual(["common:welcome", "t:menu.text"]);
    release();
    await slow;
  });

  it("runs actions with the session's data and passes isStaff", async () => {
    const seen: unknown[] = [];
    const { bot } = setup({ isStaff: async () => true }, { save_reg: async (ctx) => { seen.push({ data: ctx.data, isStaff: ctx.isStaff, locale: ctx.locale, user: ctx.user }); return { outcome: "duplicate" }; } });
    await toForm(bot);
    await bot.handle(text("Anh"));
    await bot.handle(text("bo qua"));
    await bot.handle(text("1"));
    await bot.handle(text("xong"));
    expect(texts(await bot.handle(text("co")))).toEqual(["t:reg.dup\n\nt:menu.text"]); // the closing line leads the menu's bubble
    expect(seen).toEqual([{ data: { name: "Anh", support: ["training"] }, isStaff: true, locale: "vi", user }]);
  });

  async function atConfirm(actions: ActionRegistry, over: Partial<RunnerDeps> = {}) {
    const s = setup(over, actions);
    await toForm(s.bot);
    await s.bot.handle(text("Anh"));
    await s.bot.handle(text("bo qua"));
    await s.bot.handle(text("1"));
    await s.bot.handle(text("xong"));
    return s;
  }

  it("a throwing action leaves the user at the step before, replies unexpected and logs no personal data", async () => {
    const secret = "Nguyễn Văn Anh 0901234567";
    const s = await atConfirm({ save_reg: async () => { throw new TypeError(`cannot save ${secret}`); } });
    const before = s.store.map.get("telegram:42");
    const out = await s.bot.handle(text("co"));
    expect(texts(out)).toEqual(["common:errors.unexpected", "t:reg.summary{name=Anh,email=(chưa có),support=t:reg.group.training}"]);
    expect(out[1]!.choices!.map((c) => c.label)).toEqual(["Có", "Không"]);
    expect(s.store.map.get("telegram:42")).toEqual(before);
    const logged = JSON.stringify(s.logger.lines);
    expect(logged).not.toContain("Anh");
    expect(logged).not.toContain("42");
    expect(s.logger.lines).toEqual([{ level: "error", obj: { err: "TypeError", channel: "telegram", user: hashUserKey("telegram:42") }, msg: "update failed" }]);
  });

  it("a flow bug is logged with its safe context (ids only)", async () => {
    const s = await atConfirm({ save_reg: async () => ({ outcome: "weird" }) });
    expect(texts(await s.bot.handle(text("co")))[0]).toBe("common:errors.unexpected");
    expect(s.logger.lines[0]!.obj).toEqual({
      err: "FlowError", detail: "action returned unmapped outcome weird", context: { step: "save", action: "save_reg", outcome: "weird" },
      channel: "telegram", user: hashUserKey("telegram:42"),
    });
  });

  it("the user can retry after the failure", async () => {
    let calls = 0;
    const s = await atConfirm({ save_reg: async () => { calls += 1; if (calls === 1) throw new Error("flaky"); return {}; } });
    await s.bot.handle(text("co"));
    expect(texts(await s.bot.handle(text("co")))).toEqual(["t:reg.saved\n\nt:menu.text"]); // the closing line leads the menu's bubble
  });

  it("a database outage (by error name, or in the cause chain) replies unavailable", async () => {
    for (const make of [
      () => Object.assign(new Error("x"), { name: "MongoServerSelectionError" }),
      () => Object.assign(new Error("x"), { name: "MongoNetworkError", code: "ECONNRESET" }),
      () => Object.assign(new Error("x"), { name: "DatabaseUnavailableError" }),
      () => new Error("wrapped", { cause: Object.assign(new Error("x"), { name: "MongoNetworkTimeoutError" }) }),
      () => Object.assign(new Error("x"), { name: "MongoServerError", code: 1 }),
    ]) {
      const s = await atConfirm({ save_reg: async () => { throw make(); } });
      expect(texts(await s.bot.handle(text("co")))[0]).toBe("common:errors.unavailable");
      expect(s.logger.lines[0]!.msg).toBe("database unavailable");
    }
  });

  it("other server errors are bugs, not outages", async () => {
    const s = await atConfirm({ save_reg: async () => { throw Object.assign(new Error("x"), { name: "MongoServerError", code: 2 }); } });
    expect(texts(await s.bot.handle(text("co")))[0]).toBe("common:errors.unexpected");
  });

  it("a store that cannot be read or written replies unavailable and does not crash", async () => {
    const down = Object.assign(new Error("down"), { name: "MongoServerSelectionError" });
    const { bot, logger } = setup({ store: { read: async () => { throw down; }, write: async () => "saved", holdCurrent: async (_k, r) => r } });
    expect(texts(await bot.handle({ ...text("hi"), localeHint: "en" }))).toEqual(["common:errors.unavailable"]);
    expect(logger.lines[0]!.obj).toMatchObject({ err: "MongoServerSelectionError" });
    const inner = memoryStore();
    const w = setup({ store: { read: (k) => inner.read(k), write: async () => { throw down; }, holdCurrent: async (_k, r) => r } });
    expect(texts(await w.bot.handle(text("/start")))).toEqual(["common:errors.unavailable"]);
  });

  it("an action missing from the registry is stopped by the boundary", async () => {
    const s = await atConfirm({});
    expect(texts(await s.bot.handle(text("co")))[0]).toBe("common:errors.unexpected");
  });

  it("an unreadable stored session restarts politely at the main menu", async () => {
    const { bot, store, logger } = setup();
    store.map.set("telegram:42", { version: 99, locale: "en", flow: "reg" });
    expect(texts(await bot.handle(text("hello")))).toEqual(["common:errors.session_reset", "common:fallback", "t:menu.text"]);
    expect(store.map.get("telegram:42")).toMatchObject({ version: 1, locale: "en", flow: "main" });
    expect(logger.lines[0]).toMatchObject({ level: "warn" });
  });

  it("logs a refused staff command with the command word and a hashed user, and runs nothing", async () => {
    const { bot, logger } = setup();
    const out = await bot.handle(text("/admin telegram:999 secret-arg"));
    expect(texts(out)[0]).toBe("common:errors.not_allowed");
    const line = logger.lines.find((l) => l.msg === "staff-only command refused");
    expect(line?.obj).toEqual({ channel: "telegram", user: hashUserKey("telegram:42"), command: "admin" });
    expect(JSON.stringify(logger.lines)).not.toContain("secret-arg");
  });

  it("does not log staff using their own commands", async () => {
    const { bot, logger } = setup({ isStaff: async () => true });
    expect(texts(await bot.handle(text("/admin")))[0]).toBe("t:admin.hello");
    expect(logger.lines.filter((l) => l.msg === "staff-only command refused")).toEqual([]);
  });

  it("a new user's language comes from the platform hint", async () => {
    const { store, bot } = setup();
    await bot.handle({ ...text("/start"), localeHint: "en" });
    expect(store.map.get("telegram:42")).toMatchObject({ locale: "en" });
  });

  it("stops an endless chain of actions", async () => {
    const flows = flowsFrom(
      MAIN, HELP, LANGUAGE,
      "id: info\nstart: a\nsteps:\n  - { id: a, type: action, action: again, next: b }\n  - { id: b, type: action, action: again, next: a }\n",
    );
    let calls = 0;
    const { bot, store } = setup({ flows, maxActionHops: 5 }, { again: async () => { calls += 1; return {}; } });
    store.map.set("telegram:42", { ...newSession("vi", new Date("2026-11-25T07:00:00Z")), flow: "main", step: "menu" });
    expect(texts(await bot.handle(text("3")))).toEqual(["common:errors.unexpected", "t:menu.text"]);
    expect(calls).toBe(5);
  });

  describe("sessions shared with other processes", () => {
    it("a save that lost to another process re-runs the update on the latest session; only that answer is sent", async () => {
      const inner = memoryStore();
      const other = setup({ store: inner });
      let raced = false;
      const store: SessionStore = {
        read: (k, o) => inner.read(k, o),
        holdCurrent: (k, r) => inner.holdCurrent(k, r),
        async write(k, session, rev) {
          if (!raced) {
            raced = true;
            // Between this process's read and its save, the user's previous message was handled elsewhere.
            await other.bot.handle(text("Anh"));
          }
          return inner.write(k, session, rev);
        },
      };
      const { bot } = setup({ store });
      await toForm(other.bot);
      const out = await bot.handle(text("a@b.vn"));
      // Answered as the e-mail (the latest step), not as a name (the step this process first read).
      expect(texts(out)).toEqual(["t:reg.support\n\ncommon:menu.multi_hint"]);
      expect(inner.map.get("telegram:42")).toMatchObject({ step: "support", data: { name: "Anh", email: "a@b.vn" } });
    });

    it("checks a remembered session before an action; a stale one is read again and the action runs once", async () => {
      const inner = memoryStore();
      let checks = 0;
      const store: SessionStore = {
        read: async (k, o) => ({ ...(await inner.read(k, o)), verified: o?.fresh === true }),
        holdCurrent: async (_k, r) => ((checks += 1) > 1 ? r : null),
        write: (k, session, rev) => inner.write(k, session, rev),
      };
      let saves = 0;
      const s = await atConfirm({ save_reg: async () => ((saves += 1), { say: [{ key: k("t:saved_ok") }] }) }, { store });
      expect(texts(await s.bot.handle(text("co")))[0]).toBe("t:saved_ok");
      expect({ checks, saves }).toEqual({ checks: 1, saves: 1 });
    });

    it("runs a read-only action on a remembered session without asking (the save still catches a stale one)", async () => {
      const inner = memoryStore();
      let checks = 0;
      const store: SessionStore = {
        read: async (k, o) => ({ ...(await inner.read(k, o)), verified: false }),
        holdCurrent: async (_k, r) => ((checks += 1), r),
        write: (k, session, rev) => inner.write(k, session, rev),
      };
      const s = await atConfirm({ save_reg: readOnly(async () => ({ say: [{ key: k("t:saved_ok") }] })) }, { store });
      expect(texts(await s.bot.handle(text("co")))[0]).toBe("t:saved_ok");
      expect(checks).toBe(0);
    });

    it("gives up after three lost saves with a polite 'try again', saving nothing", async () => {
      const inner = memoryStore();
      const store: SessionStore = { read: (k, o) => inner.read(k, o), holdCurrent: async (_k, r) => r, write: async () => "conflict" };
      const { bot, logger } = setup({ store });
      expect(texts(await bot.handle(text("/start")))).toEqual(["common:errors.unavailable"]);
      expect(inner.writes).toBe(0);
      expect(logger.lines.map((l) => l.msg)).toContain("session kept changing elsewhere; update given up");
    });
  });
});
