import { describe, expect, it } from "vitest";
import { advance, choiceTag } from "../../src/engine/engine.js";
import type { Incoming } from "../../src/engine/messages.js";
import { bubbles, Driver, deps, flowsFrom, HELP, keys, LANGUAGE, lastChoices, MAIN, press, standardFlows, text } from "./helpers.js";
import { dataKey as k } from "../../src/engine/msg-ref.js";

describe("new sessions and locale", () => {
  it("a new user gets the welcome and the main menu, in the hinted language", () => {
    const d = new Driver(standardFlows());
    expect(keys(d.send(text("hello", { localeHint: "en-US" })))).toEqual(["common:welcome", "t:menu.text"]);
    expect(d.session?.locale).toBe("en");
  });

  it("an unknown or missing hint gives the default locale", () => {
    for (const hint of [undefined, "fr", ""]) {
      const d = new Driver(standardFlows(), deps({ defaultLocale: "en" }));
      d.send(text("hi", hint === undefined ? {} : { localeHint: hint }));
      expect(d.session?.locale).toBe("en");
    }
    const v = new Driver(standardFlows());
    v.send(text("hi", { localeHint: "vi" }));
    expect(v.session?.locale).toBe("vi");
  });

  it("a new user's first question is answered from the FAQ before the menu", () => {
    const d = new Driver(standardFlows(), deps({ answerFreeText: (t) => (t.includes("ho tro") ? [{ key: k("faq:targeted") }] : null) }));
    expect(keys(d.text("doanh nghiep nao duoc ho tro"))).toEqual(["common:welcome", "faq:targeted", "t:menu.text"]);
  });

  it("a new user's first command is run as a command", () => {
    const d = new Driver(standardFlows());
    expect(keys(d.text("/info"))).toEqual(["t:info.menu"]);
  });

  it("does not modify the session it was given", () => {
    const d = new Driver(standardFlows());
    d.text("/start");
    const before = JSON.stringify(d.session);
    advance(d.flows, d.session, { type: "incoming", incoming: press(`${choiceTag("main", "menu")}.register`), isStaff: false }, deps());
    expect(JSON.stringify(d.session)).toBe(before);
  });
});

describe("free text", () => {
  const faq = deps({ answerFreeText: (t) => (t === "ho tro gi" ? [{ key: k("faq:a1") }, { key: k("faq:a2") }] : null) });

  it("at a menu: a FAQ answer, then the same menu", () => {
    const d = new Driver(standardFlows(), faq);
    d.text("/start");
    d.press("info");
    expect(d.text("ho tro gi").map((r) => r.text.map((m) => m.key))).toEqual([["faq:a1"], ["faq:a2"], ["t:info.menu"]]);
    expect(d.session?.step).toBe("menu");
  });

  it("at a menu with no FAQ answer: fallback and the main menu", () => {
    const d = new Driver(standardFlows(), faq);
    d.text("/start");
    d.press("info");
    expect(keys(d.text("xyz"))).toEqual(["common:fallback", "t:menu.text"]);
    expect(d.session).toMatchObject({ flow: "main", step: "menu" });
  });

  it("in a form's menu: choose an option, same menu, counted as a failure", () => {
    const d = new Driver(standardFlows(), faq);
    d.text("/start");
    d.press("register");
    d.text("Anh");
    d.press("skip");
    expect(bubbles(d.text("ho tro gi"))).toEqual([["common:errors.choose_option", "t:reg.support", "common:menu.multi_hint"]]);
    d.text("x");
    expect(bubbles(d.text("y"))).toEqual([["common:errors.choose_option", "common:errors.too_many_failures", "t:reg.support", "common:menu.multi_hint"]]);
  });

  it("when idle: FAQ answer or fallback, always with the main menu", () => {
    const flows = flowsFrom(MAIN, HELP, LANGUAGE, "id: info\nstart: e\nsteps:\n  - { id: e, type: end, to: idle }\n");
    const d = new Driver(flows, faq);
    d.text("/start");
    d.press("info");
    expect(keys(d.text("ho tro gi"))).toEqual(["faq:a1", "faq:a2", "t:menu.text"]);
    d.press("info");
    expect(keys(d.text("???"))).toEqual(["common:fallback", "t:menu.text"]);
  });

  it("empty text repeats the question", () => {
    const d = new Driver(standardFlows());
    d.text("/start");
    expect(keys(d.text("   "))).toEqual(["t:menu.text"]);
  });
});

describe("stale and forged buttons", () => {
  it("a button from an earlier step is refused politely and nothing changes", () => {
    const d = new Driver(standardFlows());
    d.text("/start");
    const oldRegister = d.replies[1]!.choices![0]!.id;
    d.press("info");
    const before = d.session;
    expect(bubbles(d.send(press(oldRegister)))).toEqual([["common:errors.stale_choice", "t:info.menu"]]);
    expect({ ...d.session, updatedAt: "" }).toEqual({ ...before, updatedAt: "" });
  });

  it("an id the step does not offer is refused (forged or tag-less)", () => {
    const d = new Driver(standardFlows());
    d.text("/start");
    const tag = choiceTag("main", "menu");
    expect(bubbles(d.send(press(`${tag}.admin`)))).toEqual([["common:errors.stale_choice", "t:menu.text"]]);
    expect(bubbles(d.send(press("nonsense")))).toEqual([["common:errors.stale_choice", "t:menu.text"]]);
    expect(bubbles(d.send({ user: { channel: "terminal", userId: "u1" }, kind: "choice" }))).toEqual([["common:errors.stale_choice", "t:menu.text"]]);
    // A bare id that the step offers is accepted (tests and simple channels may send it).
    expect(keys(d.send(press("info")))).toEqual(["t:info.menu"]);
  });

  it("a press while idle is stale and shows the main menu, unless it is a main-menu button (read at the menu)", () => {
    const flows = flowsFrom(MAIN, HELP, LANGUAGE, "id: info\nstart: e\nsteps:\n  - { id: e, type: end, to: idle }\n");
    const d = new Driver(flows);
    d.text("/start");
    const [mainTag] = d.replies[1]!.choices![0]!.id.split(".");
    d.press("info");
    expect(d.session).toMatchObject({ flow: null });
    expect(bubbles(d.send(press("zzzzzz.register")))).toEqual([["common:errors.stale_choice"], ["t:menu.text"]]);
    d.press("info");
    // A main-menu button (the hint's shortcuts, or an older menu) works while idle: the menu is always valid.
    expect(bubbles(d.send(press(`${mainTag}.nosuch`)))).toEqual([["common:errors.stale_choice", "t:menu.text"]]);
    d.press("info");
    expect(keys(d.send(press(`${mainTag}.courses`)))).toEqual(["t:courses.none", "t:menu.text"]);
    expect(d.session).toMatchObject({ flow: "main", step: "menu" });
  });

  it("issued ids are short ASCII with the step's tag", () => {
    const d = new Driver(standardFlows());
    d.text("/start");
    for (const c of d.replies[1]!.choices!) {
      expect(c.id).toMatch(/^[a-z0-9]{6}\.[A-Za-z0-9_-]{1,24}$/);
      expect(Buffer.byteLength(c.id)).toBeLessThanOrEqual(32);
    }
  });
});

describe("unsupported input", () => {
  it("gets a polite note and the current prompt again", () => {
    const d = new Driver(standardFlows());
    d.text("/start");
    d.press("register");
    const sticker: Incoming = { user: { channel: "zalo", userId: "u1" }, kind: "unsupported" };
    expect(bubbles(d.send(sticker))).toEqual([["common:errors.unsupported_input", "t:reg.name"]]);
    expect(d.session?.step).toBe("ask_name");
  });
});

describe("idle expiry", () => {
  const at = (iso: string) => deps({ now: new Date(iso), formIdleMs: 60 * 60 * 1000 });

  it("a form idle longer than formIdleMs is dropped politely when the user next writes", () => {
    const d = new Driver(standardFlows(), at("2026-11-25T07:00:00Z"));
    d.text("/start");
    d.press("register");
    d.text("Anh");
    d.d = at("2026-11-25T08:00:01Z");
    expect(keys(d.text("a@b.vn"))).toEqual(["common:errors.form_expired", "t:menu.text"]);
    expect(d.session).toMatchObject({ flow: "main", data: {} });
  });

  it("within the limit the form continues; non-form flows never expire", () => {
    const d = new Driver(standardFlows(), at("2026-11-25T07:00:00Z"));
    d.text("/start");
    d.press("register");
    d.d = at("2026-11-25T07:59:59Z");
    expect(keys(d.text("Anh"))).toEqual(["t:reg.email"]);
    const e = new Driver(standardFlows(), at("2026-11-25T07:00:00Z"));
    e.text("/start");
    e.press("info");
    e.d = at("2026-12-25T07:00:00Z");
    expect(keys(e.press("goals"))).toEqual(["t:info.goals_menu"]);
  });

  it("defaults to 24 hours, and a command after expiry still runs", () => {
    const d = new Driver(standardFlows(), deps({ now: new Date("2026-11-25T07:00:00Z") }));
    d.text("/start");
    d.press("register");
    d.d = deps({ now: new Date("2026-11-26T06:59:00Z") });
    expect(keys(d.text("Anh"))).toEqual(["t:reg.email"]);
    d.d = deps({ now: new Date("2026-11-27T07:00:00Z") });
    expect(keys(d.text("/info"))).toEqual(["common:errors.form_expired", "t:info.menu"]);
  });
});

describe("robustness", () => {
  it("a session at a step that no longer exists restarts politely", () => {
    const d = new Driver(standardFlows());
    d.text("/start");
    d.session = { ...d.session!, flow: "reg", step: "removed_step" };
    expect(keys(d.text("hello"))).toEqual(["common:errors.session_reset", "t:menu.text"]);
  });

  it("a user whose staff rights ended mid-flow is taken out of the staff flow", () => {
    const flows = flowsFrom(MAIN, HELP, LANGUAGE, "id: info\nstaff: true\nstart: m\nsteps:\n  - { id: m, type: menu, text: t:staff_menu, choices: [{ id: a, label: t:a, next: m }] }\n");
    const d = new Driver(flows, deps(), {}, true);
    d.text("/start");
    d.press("info");
    d.isStaff = false;
    expect(keys(d.press("a"))).toEqual(["common:errors.not_allowed", "t:menu.text"]);
  });

  it("Back skips menus that no longer exist", () => {
    const d = new Driver(standardFlows());
    d.text("/start");
    d.press("info");
    d.press("goals");
    d.session = { ...d.session!, history: [{ flow: "main", step: "menu" }, { flow: "info", step: "gone" }, { flow: "info", step: "goals_menu" }] };
    expect(keys(d.press("back"))).toEqual(["t:menu.text"]);
  });

  it("a loop of non-waiting steps is stopped with an error", () => {
    const flows = flowsFrom(MAIN, HELP, LANGUAGE, "id: info\nstart: a\nsteps:\n  - { id: a, type: say, text: t:a, next: b }\n  - { id: b, type: goto, flow: info, step: a }\n");
    const d = new Driver(flows);
    d.text("/start");
    expect(() => d.press("info")).toThrow(/flow loop/);
  });

  it("an action result at a non-action step is a bug", () => {
    const d = new Driver(standardFlows());
    d.text("/start");
    expect(() => advance(d.flows, d.session, { type: "action_result", result: {}, isStaff: false }, deps())).toThrow(/not at an action step/);
  });

  it("remembers at most 20 menus for Back", () => {
    const flows = flowsFrom(MAIN, HELP, LANGUAGE, `
id: info
start: a
steps:
  - { id: a, type: menu, text: t:a, choices: [{ id: x, label: t:x, next: b }] }
  - { id: b, type: menu, text: t:b, choices: [{ id: y, label: t:y, next: a }] }
`);
    const d = new Driver(flows);
    d.text("/start");
    d.press("info");
    for (let i = 0; i < 15; i++) {
      d.press("x");
      d.press("y");
    }
    expect(d.session!.history.length).toBe(20);
    d.press("back");
    expect(d.session?.step).toBe("b");
    expect(d.session!.history.length).toBeLessThanOrEqual(20);
    expect(lastChoices(d.replies)).toContain("back");
  });
});

describe("one bubble where two would say one thing", () => {
  const endFlow = (text: string, to = "menu") => flowsFrom(MAIN, HELP, LANGUAGE, `id: info\nstart: e\nsteps:\n  - { id: e, type: end, to: ${to}, text: ${text} }\n`);

  it("a short closing text leads the main menu's bubble, whose choices stay", () => {
    const d = new Driver(endFlow("t:bye"));
    d.text("/start");
    const out = d.press("info");
    expect(bubbles(out)).toEqual([["t:bye", "t:menu.text"]]);
    expect(lastChoices(out)).toEqual(["register", "courses", "info", "language"]);
  });

  it("a longer closing text stays its own bubble; ending idle adds no menu", () => {
    const d = new Driver(endFlow("[t:a, t:b, t:c]"));
    d.text("/start");
    expect(bubbles(d.press("info"))).toEqual([["t:a"], ["t:b"], ["t:c"], ["t:menu.text"]]);
    const idle = new Driver(endFlow("t:bye", "idle"));
    idle.text("/start");
    expect(bubbles(idle.press("info"))).toEqual([["t:bye"]]);
  });

  it("a refused yes/no answer is one bubble: the reason, then the question with its buttons", () => {
    const flows = flowsFrom(MAIN, HELP, LANGUAGE, "id: info\nstart: c\nsteps:\n  - { id: c, type: confirm, text: t:sure, yes: e, no: e }\n  - { id: e, type: end }\n");
    const d = new Driver(flows);
    d.text("/start");
    d.press("info");
    const out = d.text("maybe");
    expect(bubbles(out)).toEqual([["common:errors.choose_option", "t:sure"]]);
    expect(lastChoices(out)).toEqual(["yes", "no"]);
  });
});
