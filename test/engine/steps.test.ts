import { describe, expect, it } from "vitest";
import type { ActionResult } from "../../src/engine/actions.js";
import { realUnderstanding } from "../understand/build.js";
import { bubbles, Driver, deps, flowsFrom, HELP, keys, LANGUAGE, lastChoices, MAIN, standardFlows } from "./helpers.js";
import { dataKey as k } from "../../src/engine/msg-ref.js";

const saveOk: Record<string, () => ActionResult> = { save_reg: () => ({ say: [{ key: k("t:saved_ok") }] }) };

function atForm(actions = saveOk) {
  const d = new Driver(standardFlows(), deps(), actions);
  d.text("/start");
  d.press("register");
  return d;
}

describe("say", () => {
  it("shows each message as its own bubble, then goes to next", () => {
    const d = new Driver(standardFlows());
    d.text("/start");
    d.press("info");
    d.press("goals");
    const replies = d.press("targets");
    expect(replies.map((r) => r.text.map((m) => m.key))).toEqual([["t:info.t1"], ["t:info.t2"], ["t:info.goals_menu"]]);
    expect(d.session?.step).toBe("goals_menu");
  });
});

describe("menu", () => {
  it("a static choice goes to its step; a flow choice enters the flow", () => {
    const d = new Driver(standardFlows());
    d.text("/start");
    expect(keys(d.press("courses"))).toEqual(["t:courses.none", "t:menu.text"]);
    expect(keys(d.press("info"))).toEqual(["t:info.menu"]);
    expect(d.session).toMatchObject({ flow: "info", step: "menu" });
  });

  it("adds Back automatically (not when back: false) and Back returns to the previous menu", () => {
    const d = new Driver(standardFlows());
    d.text("/start");
    expect(lastChoices(d.replies)).not.toContain("back");
    d.press("info");
    expect(lastChoices(d.replies)).toEqual(["goals", "back"]);
    d.press("goals");
    expect(keys(d.press("back"))).toEqual(["t:info.menu"]);
    expect(keys(d.press("back"))).toEqual(["t:menu.text"]);
    expect(d.session).toMatchObject({ flow: "main", step: "menu" });
  });

  it("Back in a form goes to the previous question and keeps every answer", () => {
    const d = new Driver(standardFlows(), deps({ understanding: realUnderstanding() }), saveOk);
    d.text("/start");
    d.press("register");
    d.text("Anh");
    d.press("skip");
    expect(keys(d.press("back"))).toEqual(["t:reg.email"]);
    expect(d.session).toMatchObject({ flow: "reg", step: "ask_email", data: { name: "Anh" } });
    expect(keys(d.text("quay lại"))).toEqual(["t:reg.name"]);
    // At the first question Back stays: the form is not thrown away.
    expect(keys(d.text("back"))).toEqual(["common:nav.first_question", "t:reg.name"]);
    expect(d.session).toMatchObject({ flow: "reg", step: "ask_name", data: { name: "Anh" } });
  });

  it("Back to an explicit step", () => {
    const flows = flowsFrom(MAIN, HELP, LANGUAGE, `
id: info
start: a
steps:
  - { id: a, type: menu, text: t:a, choices: [{ id: x, label: t:x, next: b }] }
  - { id: b, type: menu, text: t:b, back: c, choices: [{ id: y, label: t:y, next: a }] }
  - { id: c, type: say, text: t:c, next: a }
`);
    const d = new Driver(flows);
    d.text("/start");
    d.press("info");
    d.press("x");
    expect(keys(d.press("back"))).toEqual(["t:c", "t:a"]);
  });

  it("store saves the picked id", () => {
    const d = new Driver(standardFlows());
    d.text("/lang");
    d.press("en");
    // language flow ends (data dropped) but the locale was applied from data.locale
    expect(d.session?.locale).toBe("en");
  });

  it("typed number and typed words pick a choice", () => {
    const d = new Driver(standardFlows());
    d.text("/start");
    expect(keys(d.text("2"))).toEqual(["t:courses.none", "t:menu.text"]);
    expect(keys(d.text("dang ky doanh nghiep"))).toEqual(["t:reg.name"]);
  });

  it("dynamic: shows the action's choices and stores the pick", () => {
    const flows = flowsFrom(MAIN, HELP, LANGUAGE, `
id: info
start: load
steps:
  - { id: load, type: action, action: list, next: pick, on: { none: nothing } }
  - id: pick
    type: menu
    text: t:pick
    dynamic: true
    store: course_id
    next: show
    choices: [{ id: more, label: t:more, next: load }]
  - { id: show, type: say, text: { key: t:picked, params: { id: data.course_id } }, next: pick }
  - { id: nothing, type: end, text: t:none }
`);
    const start = new Date("2026-12-01T02:00:00Z");
    const d = new Driver(flows, deps(), {
      list: () => ({ choices: [{ id: "65a1b2c3d4e5f60718293a4b", label: { key: k("t:course"), params: { start } } }, { id: "c2", label: { key: k("t:course2") } }] }),
    });
    d.text("/start");
    d.press("info");
    expect(lastChoices(d.replies)).toEqual(["65a1b2c3d4e5f60718293a4b", "c2", "more", "back"]);
    expect(d.replies[0]!.choices![0]!.label.params!.start).toEqual(start);
    const replies = d.press("c2");
    expect(replies[0]!.text[0]).toEqual({ key: "t:picked", params: { id: "c2" } });
    expect(d.session?.data.course_id).toBe("c2");
    // Dynamic choices survive a JSON round trip of the session (the Date comes back as an ISO string).
    d.session = JSON.parse(JSON.stringify(d.session));
    expect(keys(d.press("65a1b2c3d4e5f60718293a4b"))[0]).toBe("t:picked");
  });

  it("multi: toggles picks in menu order, Done needs min picks, then goes on", () => {
    const d = atForm();
    d.text("Anh");
    d.press("skip");
    expect(bubbles(d.press("done"))).toEqual([["common:errors.pick_at_least", "t:reg.support", "common:menu.multi_hint"]]);
    expect(d.replies[0]!.text[0]!.params).toEqual({ count: 1 });
    d.press("advice");
    d.press("training");
    d.press("tools");
    d.press("tools");
    expect(d.session?.data.support).toEqual(["training", "advice"]);
    const picked = d.replies[0]!.choices!.map((c) => c.label.key);
    expect(picked).toEqual(["common:menu.selected", "t:reg.tools", "common:menu.selected", "common:menu.done", "common:back"]);
    expect(keys(d.press("done"))).toEqual(["t:reg.summary"]);
  });

  it("rejects invalid menu definitions", () => {
    const bad = (steps: string) => () => flowsFrom(`id: x\nstart: m\nsteps:\n${steps}`);
    expect(bad("  - { id: m, type: menu, text: t:a, choices: [] }")).toThrow(/at least one choice/);
    expect(bad("  - { id: m, type: menu, text: t:a, multi: true, choices: [{ id: a, label: t:a }] }")).toThrow(/needs `store` and `next`/);
    expect(bad("  - { id: m, type: menu, text: t:a, choices: [{ id: back, label: t:a, next: m }] }")).toThrow(/reserved/);
    expect(bad("  - { id: m, type: menu, text: t:a, choices: [{ id: a, label: t:a }] }")).toThrow(/exactly one of/);
    expect(bad("  - { id: m, type: menu, text: t:a, choices: [{ id: a, label: t:a, next: m }, { id: a, label: t:b, next: m }] }")).toThrow(/duplicate choice id/);
    expect(bad("  - { id: m, type: menu, text: t:a, choices: [{ id: Not_Ok, label: t:a, next: m }] }")).toThrow(/lower-case/);
  });
});

describe("ask", () => {
  it("stores the validator's value and goes on", () => {
    const d = atForm();
    expect(keys(d.text("  Anh  "))).toEqual(["t:reg.email"]);
    expect(d.session?.data.name).toBe("Anh");
  });

  it("an invalid answer gets the reason (with params) and the same question; the 3rd adds help/cancel", () => {
    const d = atForm();
    const first = d.text("A");
    expect(bubbles(first)).toEqual([["t:errors.too_short", "t:reg.name"]]);
    expect(first[0]!.text[0]!.params).toEqual({ min: 2 });
    expect(bubbles(d.text("B"))).toEqual([["t:errors.too_short", "t:reg.name"]]);
    expect(bubbles(d.text("C"))).toEqual([["t:errors.too_short", "common:errors.too_many_failures", "t:reg.name"]]);
    expect(d.session?.failures).toBe(3);
    d.text("Anh");
    expect(d.session?.failures).toBe(0);
  });

  it("optional: Skip by button or exact words stores nothing; a typed number is an answer", () => {
    const d = atForm();
    d.text("Anh");
    expect(lastChoices(d.replies)).toEqual(["skip"]);
    expect(keys(d.text("bo qua"))).toEqual(["t:reg.support", "common:menu.multi_hint"]);
    expect(d.session?.data).not.toHaveProperty("email");
    const e = atForm();
    e.text("Anh");
    e.text("12");
    expect(e.session?.data.email).toBe("12");
  });

  it("optional: a typed '1' that the validator rejects picks Skip (numbered lists)", () => {
    const d = atForm();
    d.text("Anh");
    expect(keys(d.text("1"))).toEqual(["t:reg.support", "common:menu.multi_hint"]);
    expect(d.session?.data).not.toHaveProperty("email");
  });

  it("a non-optional ask offers no choices", () => {
    const d = atForm();
    expect(d.replies[0]!.choices).toBeUndefined();
  });
});

describe("text lists in waiting steps", () => {
  it("menu, ask and confirm texts may be lists: paragraphs of the one message with the choices", () => {
    const flows = flowsFrom(MAIN, HELP, LANGUAGE, `
id: info
start: c
steps:
  - { id: c, type: confirm, text: [t:what, { key: t:why, params: { n: 2 } }, t:question], yes: q, no: e }
  - { id: q, type: ask, text: [t:q1, t:q2], validator: name, store: x, next: m }
  - { id: m, type: menu, text: [t:m1, t:m2], choices: [{ id: a, label: t:a, next: e }] }
  - { id: e, type: end }
`);
    const d = new Driver(flows);
    d.text("/start");
    const replies = d.press("info");
    expect(replies).toHaveLength(1);
    expect(replies[0]!.text).toEqual([{ key: "t:what" }, { key: "t:why", params: { n: 2 } }, { key: "t:question" }]);
    expect(keys(d.press("yes"))).toEqual(["t:q1", "t:q2"]);
    expect(keys(d.text("Lan"))).toEqual(["t:m1", "t:m2"]);
  });
});

describe("confirm", () => {
  function atConfirm() {
    const d = atForm();
    d.text("Anh");
    d.text("a@b.vn");
    d.press("tools");
    d.press("done");
    return d;
  }

  it("shows params from data, with labels for stored ids", () => {
    const d = atConfirm();
    expect(d.replies[0]!.text[0]).toEqual({ key: "t:reg.summary", params: { name: "Anh", email: "a@b.vn", support: "t:reg.group.tools" } });
    expect(lastChoices(d.replies)).toEqual(["yes", "no"]);
  });

  it("a list of picks shows its labels joined by semicolons", () => {
    const d = atForm();
    d.text("Anh");
    d.press("skip");
    d.press("training");
    d.press("advice");
    d.press("done");
    expect(d.replies[0]!.text[0]!.params!.support).toBe("t:reg.group.training; t:reg.group.advice");
  });

  it("yes goes to yes; no goes to no", () => {
    const d = atConfirm();
    d.press("no");
    expect(d.session?.step).toBe("ask_name");
    const e = atConfirm();
    e.text("co");
    expect(e.actionsRun).toEqual(["save_reg"]);
  });

  it("anything else asks again", () => {
    const d = atConfirm();
    expect(keys(d.text("maybe"))).toEqual(["common:errors.choose_option", "t:reg.summary"]);
    expect(d.session?.step).toBe("confirm");
  });
});

describe("action", () => {
  function saveWith(result: object) {
    const d = atForm({ save_reg: () => result });
    d.text("Anh");
    d.press("skip");
    d.press("tools");
    d.press("done");
    return d;
  }

  it("ok goes to next, showing the result's messages first; the form's data is dropped at the end", () => {
    const d = saveWith({ say: [{ key: "t:saved_ok", params: { n: 1 } }], vars: { enterprise_id: "e1" } });
    expect(keys(d.press("yes"))).toEqual(["t:saved_ok", "t:reg.saved", "t:menu.text"]);
    expect(d.session?.vars).toEqual({ enterprise_id: "e1" });
    expect(d.session?.data).toEqual({});
  });

  it("an outcome picks its step through on:", () => {
    const d = saveWith({ outcome: "duplicate" });
    expect(keys(d.press("yes"))).toEqual(["t:reg.dup", "t:menu.text"]);
  });

  it("an unmapped outcome is a bug (throws for the runner's boundary)", () => {
    const d = saveWith({ outcome: "weird" });
    expect(() => d.press("yes")).toThrow(/unmapped outcome weird/);
  });

  it("merges data (null clears) and attaches a document to the last message", () => {
    const flows = flowsFrom(MAIN, HELP, LANGUAGE, `
id: info
start: a
steps:
  - { id: a, type: action, action: act, next: b }
  - { id: b, type: say, text: { key: t:b, params: { x: data.x, y: data.y, z: vars.z } }, next: c }
  - { id: c, type: end, to: idle }
`);
    const document = { filename: "x.csv", mimeType: "text/csv", content: Buffer.from("a") };
    const d = new Driver(flows, deps(), { act: () => ({ data: { x: "1", y: null }, vars: { z: 2 }, say: [{ key: k("t:one") }, { key: k("t:two") }], document }) });
    d.text("/start");
    const replies = d.press("info");
    expect(replies[1]).toEqual({ text: [{ key: "t:two" }], document });
    expect(replies[2]!.text[0]).toEqual({ key: "t:b", params: { x: "1", y: "(chưa có)", z: 2 } });
    expect(d.session).toMatchObject({ flow: null, step: null });
  });

  it("dynamic choice ids that cannot travel in callback data are the action's bug", () => {
    const flows = flowsFrom(MAIN, HELP, LANGUAGE, "id: info\nstart: a\nsteps:\n  - { id: a, type: action, action: act, next: c }\n  - { id: c, type: end }\n");
    for (const id of ["has.dot", "x".repeat(25), "back", ""]) {
      const d = new Driver(flows, deps(), { act: () => ({ choices: [{ id, label: { key: k("t:x") } }] }) });
      d.text("/start");
      expect(() => d.press("info")).toThrow(/invalid choice id/);
    }
  });

  it("a document without messages is its own reply", () => {
    const flows = flowsFrom(MAIN, HELP, LANGUAGE, `
id: info
start: a
steps:
  - { id: a, type: action, action: act, next: c }
  - { id: c, type: end }
`);
    const document = { filename: "x.csv", mimeType: "text/csv", content: Buffer.from("a") };
    const d = new Driver(flows, deps(), { act: () => ({ document }) });
    d.text("/start");
    expect(d.press("info")[0]).toEqual({ text: [], document });
  });

  it("the advance stops at an action with an effect and the session points at it", async () => {
    const { advance } = await import("../../src/engine/engine.js");
    const d = new Driver(standardFlows());
    d.text("/start");
    const r = advance(d.flows, d.session, { type: "incoming", incoming: { user: { channel: "terminal", userId: "u1" }, kind: "text", text: "/lang" }, isStaff: false }, deps());
    expect(r.effect).toBeUndefined();
    const flows = flowsFrom(MAIN, HELP, LANGUAGE, "id: info\nstart: a\nsteps:\n  - { id: a, type: action, action: act, next: b }\n  - { id: b, type: end }\n");
    const e = new Driver(flows);
    e.text("/start");
    const r2 = advance(flows, e.session, { type: "incoming", incoming: { user: { channel: "terminal", userId: "u1" }, kind: "text", text: "4" }, isStaff: false }, deps());
    expect(r2.effect).toBeUndefined();
    const r3 = advance(flows, e.session, { type: "incoming", incoming: { user: { channel: "terminal", userId: "u1" }, kind: "text", text: "3" }, isStaff: false }, deps());
    expect(r3.effect).toEqual({ action: "act" });
    expect(r3.session).toMatchObject({ flow: "info", step: "a" });
  });
});

describe("goto", () => {
  it("continues in another flow, keeping data", () => {
    const flows = flowsFrom(MAIN, HELP, LANGUAGE, `
id: info
start: ask
steps:
  - { id: ask, type: ask, text: t:q, validator: name, store: name, next: jump }
  - { id: jump, type: goto, flow: reg, step: ask_email }
`, `
id: reg
start: ask_name
steps:
  - { id: ask_name, type: ask, text: t:n, validator: name, store: name, next: ask_email }
  - { id: ask_email, type: ask, text: { key: t:e, params: { name: data.name } }, validator: name, store: email, next: done }
  - { id: done, type: end }
`);
    const d = new Driver(flows);
    d.text("/start");
    d.press("info");
    const replies = d.text("Lan");
    expect(replies[0]!.text[0]).toEqual({ key: "t:e", params: { name: "Lan" } });
    expect(d.session).toMatchObject({ flow: "reg", step: "ask_email", data: { name: "Lan" } });
  });

  it("a menu choice entering a flow drops the previous flow's data", () => {
    const d = new Driver(standardFlows());
    d.text("/start");
    d.session!.data = { leftover: 1 };
    d.press("register");
    expect(d.session?.data).toEqual({});
  });
});

describe("end", () => {
  it("to: menu shows the main menu; to: idle shows nothing more", () => {
    const d = new Driver(standardFlows());
    d.text("/help");
    expect(keys(d.replies)).toEqual(["t:help.intro", "t:menu.text"]);
    const flows = flowsFrom(MAIN, HELP, LANGUAGE, "id: info\nstart: e\nsteps:\n  - { id: e, type: end, text: [t:bye, t:bye2], to: idle }\n");
    const e = new Driver(flows);
    e.text("/start");
    expect(keys(e.press("info"))).toEqual(["t:bye", "t:bye2"]);
    expect(e.session).toMatchObject({ flow: null, step: null, history: [] });
  });
});
