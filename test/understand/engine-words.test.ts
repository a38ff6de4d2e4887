/** The engine with the real understanding: global words, numbers, "A or B?", the honest fallback, the first message's language. */
import { describe, expect, it } from "vitest";
import { checkIntents } from "../../src/domain/understand/check-intents.js";
import { intentsFileSchema } from "../../src/domain/understand/intents-schema.js";
import { buildFlowSet } from "../../src/engine/flow-schema.js";
import { Driver, deps, flowsFrom, HELP, keys, LANGUAGE, lastChoices, MAIN, press, standardFlows } from "../engine/helpers.js";
import { realUnderstanding } from "./build.js";
import { dataKey as k } from "../../src/engine/msg-ref.js";

const u = realUnderstanding([{ key: k("t:contact.phone") }]);
const saveOk = { save_reg: () => ({ say: [{ key: k("t:saved_ok") }] }) };
const driver = () => new Driver(standardFlows(), deps({ understanding: u }), saveOk);
const atForm = () => {
  const d = driver();
  d.text("/start");
  d.press("register");
  return d;
};

describe("words that work at every question", () => {
  it.each(["hủy", "huy", "thoát", "Thôi ạ", "cancel", "STOP"])("%s cancels a form at a text step, nothing kept", (word) => {
    const d = atForm();
    d.text("Anh");
    expect(keys(d.text(word))).toEqual(["common:cancel.done", "t:menu.text"]);
    expect(d.session).toMatchObject({ flow: "main", data: {} });
  });

  it("quay lại at a text step is Back, never saved as the answer", () => {
    const d = atForm();
    d.text("Anh");
    expect(keys(d.text("quay lai"))).toEqual(["t:reg.name"]);
    expect(d.session?.data).toEqual({ name: "Anh" });
  });

  it("back from a multi-select keeps what was picked, and Back on the first question keeps the form", () => {
    const d = atForm();
    d.text("Anh");
    d.text("an@example.vn");
    d.text("1, 3");
    expect(d.session?.data.support).toEqual(["training", "advice"]);
    expect(keys(d.text("trở lại"))).toEqual(["t:reg.email"]);
    expect(d.session?.data).toMatchObject({ name: "Anh", email: "an@example.vn", support: ["training", "advice"] });
  });

  it("menu and help work inside a form", () => {
    const d = atForm();
    d.text("Anh");
    expect(keys(d.text("help"))).toEqual(["t:reg.email_help", "common:help.commands", "t:reg.email"]);
    expect(keys(d.text("Menu"))).toEqual(["common:cancel.form_dropped", "t:menu.text"]);
  });

  it("a step whose own option has the word wins for that word", () => {
    const flows = flowsFrom(MAIN, HELP, LANGUAGE, `
id: info
form: true
start: a
steps:
  - { id: a, type: ask, text: t:a, validator: name, store: x, next: b }
  - { id: b, type: menu, text: t:b, choices: [{ id: halt, label: t:stop_here, next: c }, { id: go, label: t:go, next: c }] }
  - { id: c, type: end, text: t:c }
`);
    const d = new Driver(flows, deps({ understanding: u, label: (m) => (m.key === k("t:stop_here") ? "Dừng lại" : m.key) }));
    d.text("/start");
    d.press("info");
    d.text("Anh");
    expect(keys(d.text("dừng"))).toEqual(["t:c", "t:menu.text"]);
  });

  it("at a text question the word wins even over its own Skip option's words (ask is free text)", () => {
    const flows = flowsFrom(MAIN, HELP, LANGUAGE, `
id: info
form: true
start: a
steps:
  - { id: a, type: ask, text: t:a, validator: name, store: x, optional: true, next: c }
  - { id: c, type: end, text: t:c }
`);
    const d = new Driver(flows, deps({ understanding: u, label: (m) => (m.key === "common:skip" ? "Dừng lại" : m.key) }));
    d.text("/start");
    d.press("info");
    expect(keys(d.text("dừng"))).toEqual(["common:cancel.done", "t:menu.text"]);
    expect(d.session?.data).toEqual({});
  });
});

describe("numbered choices mean what they show", () => {
  it("1 on an optional text step is Skip (not saved as the answer)", () => {
    const d = atForm();
    d.text("Anh");
    expect(lastChoices(d.replies)).toEqual(["skip"]);
    expect(keys(d.text("1"))).toEqual(["t:reg.support", "common:menu.multi_hint"]);
    expect(d.session?.data.email).toBeUndefined();
  });

  it("1 skips even where \"1\" would be a valid answer (an optional course title: never a course called \"1\")", () => {
    const flows = flowsFrom(MAIN, HELP, LANGUAGE, `
id: info
form: true
start: title_en
steps:
  - { id: title_en, type: ask, text: t:title_en, validator: anything, store: title_en, optional: true, next: save }
  - { id: save, type: action, action: save_course, next: done }
  - { id: done, type: end, text: t:done }
`);
    const saved: Record<string, unknown>[] = [];
    const d = new Driver(flows, deps({ understanding: u, validators: { anything: (input) => ({ ok: true, value: input }) } }), { save_course: (s) => (saved.push({ ...s.data }), {}) });
    d.text("/start");
    d.press("info");
    d.text("1");
    d.press("info");
    d.text("2");
    expect(saved).toEqual([{}, { title_en: "2" }]);
  });

  it("out of range, negatives and decimals get 'choose from 1 to N'", () => {
    const d = driver();
    d.text("/start");
    for (const typed of ["15", "-1", "2.5", "0"]) {
      const r = d.text(typed);
      expect(r[0]?.text[0]).toEqual({ key: "common:errors.choose_range", params: { max: 4 } });
      expect(d.session).toMatchObject({ flow: "main", step: "menu" });
    }
  });

  it("multi-select accepts 1, 3 / 1 3 / 1 và 3; an out-of-range list picks nothing", () => {
    for (const typed of ["1, 3", "1 3", "1 và 3", "1 and 3"]) {
      const d = atForm();
      d.text("Anh");
      d.text("1");
      d.text(typed);
      expect(d.session?.data.support).toEqual(["training", "advice"]);
    }
    const d = atForm();
    d.text("Anh");
    d.text("1");
    expect(keys(d.text("1, 9"))[0]).toBe("common:errors.choose_range");
    expect(d.session?.data.support).toBeUndefined();
  });
});

describe("free text outside a form", () => {
  it("small talk gets a short reply and the one-line hint, not the menu", () => {
    const d = driver();
    d.text("/start");
    expect(keys(d.text("chào sở ạ"))).toEqual(["common:smalltalk.greeting", "common:understand.hint"]);
    expect(keys(d.text("cám ơn"))).toEqual(["common:smalltalk.thanks", "common:understand.hint"]);
  });

  it("the hint carries the main menu as shortcuts, and pressing one works like choosing it at the menu", () => {
    const d = driver();
    d.text("/start");
    const menuIds = (d.replies.at(-1)?.choices ?? []).map((c) => c.id);
    const r = d.text("cám ơn");
    const hint = r.at(-1);
    expect(hint?.text.map((m) => m.key)).toEqual(["common:understand.hint"]);
    expect(hint?.choices).toBeUndefined();
    // The same ids as the main menu's own buttons, so a press is read by the main menu step.
    expect(hint?.shortcuts?.map((s) => s.id)).toEqual(menuIds);
    expect(d.session).toMatchObject({ flow: null, step: null });
    const register = hint!.shortcuts!.find((s) => s.id.endsWith(".register"))!;
    expect(keys(d.send(press(register.id)))).toEqual(["t:reg.name"]);
    expect(d.session).toMatchObject({ flow: "reg" });
  });

  it("a shortcut pressed inside a form is stale: the form is kept and its question asked again", () => {
    const d = driver();
    d.text("/start");
    const info = d.text("cám ơn").at(-1)!.shortcuts!.find((s) => s.id.endsWith(".info"))!;
    d.text("/menu");
    d.press("register");
    d.text("Anh");
    expect(keys(d.send(press(info.id)))).toEqual(["common:errors.stale_choice", "t:reg.email"]);
    expect(d.session?.data).toEqual({ name: "Anh" });
  });

  it("a question the plan does not answer: said plainly, contacts, and a person offered as a numbered choice", () => {
    const d = driver();
    d.text("/start");
    const r = d.text("được hỗ trợ mấy triệu");
    expect(keys(r)).toEqual(["common:understand.not_covered", "t:contact.phone", "common:understand.offer_prompt"]);
    expect(keys(r)).not.toContain("policies:sections.targets.p1");
    expect(r[1]?.choices?.map((c) => c.id)).toEqual(["intent.human"]);
    expect(d.session?.pending).toEqual({ options: ["human"], question: "được hỗ trợ mấy triệu" });
  });

  it("two close intents are asked as 'A or B?' and a typed number follows the one chosen", () => {
    const d = driver();
    d.text("/start");
    // Force a close call through a matcher that always hesitates between two sections.
    d.d = deps({ understanding: { ...u, understand: () => ({ kind: "choose", options: [{ intent: "targets", label: { key: "policies:menu.targets" } }, { intent: "tasks", label: { key: "policies:menu.tasks" } }] }) } });
    const r = d.text("ho tro bao nhieu");
    expect(r[0]?.text[0]).toMatchObject({ key: "common:understand.choose", params: { a: "policies:menu.targets", b: "policies:menu.tasks" } });
    expect(keys(d.text("2"))).toEqual(["policies:sections.tasks.p1", "common:understand.hint"]);
    expect(d.session?.pending).toBeUndefined();
  });

  it("a clearly English first message switches to English and says how to switch back", () => {
    const d = driver();
    const r = d.text("I want to register my company");
    expect(d.session?.locale).toBe("en");
    expect(keys(r).slice(0, 2)).toEqual(["common:welcome", "common:understand.lang_detected"]);
    // This test's flows have no enterprise flow: the intent is not followed, honestly.
    expect(keys(r)).toContain("common:understand.fallback");
  });

  it("a Vietnamese first message stays Vietnamese; an explicit choice is never overridden later", () => {
    const d = driver();
    d.text("xin chào");
    expect(d.session?.locale).toBe("vi");
    d.text("/start");
    d.text("hello, I want to see the courses");
    expect(d.session?.locale).toBe("vi");
  });
});

describe("flows:check on intents", () => {
  const flows = buildFlowSet([...standardFlows().flows.values()]);
  const base = { abbreviations: {}, fillers: [], globals: { cancel: { vi: ["hủy"], en: ["cancel"] }, back: { vi: ["quay lại"], en: ["back"] }, menu: { vi: ["menu chính"], en: ["menu"] }, help: { vi: ["trợ giúp"], en: ["help"] }, human: { vi: ["cán bộ"], en: ["human"] } }, answers: { yes: { vi: ["có"], en: ["yes"] }, no: { vi: ["không"], en: ["no"] } } };
  it("reports unknown targets, missing keys, duplicate examples; an example missing a language fails the schema", () => {
    const file = intentsFileSchema.parse({ ...base, intents: [
      { id: "a", label: "t:a", flow: "nope", examples: { vi: ["xin chào"], en: ["hello"] } },
      { id: "b", label: "t:missing", section: "nowhere", examples: { vi: ["Xin chao"], en: ["hi"] } },
    ] });
    const { problems } = checkIntents(file, { flows, hasKey: (k) => k !== "t:missing", sectionIds: ["about"], render: (k) => k });
    expect(problems).toEqual([
      'flows/intents.yaml [intent a]: unknown flow "nope"',
      'flows/intents.yaml [intent b]: i18n key "t:missing" missing in vi',
      'flows/intents.yaml [intent b]: i18n key "t:missing" missing in en',
      'flows/intents.yaml [intent b]: unknown content section "nowhere"',
      'flows/intents.yaml [intent b]: example "Xin chao" is also an example of intent a',
    ]);
    expect(intentsFileSchema.safeParse({ ...base, intents: [{ id: "a", label: "t:a", flow: "reg", examples: { vi: ["x"], en: [] } }] }).success).toBe(false);
  });

  it("lists options that take a global word", () => {
    const file = intentsFileSchema.parse({ ...base, intents: [{ id: "a", label: "t:a", flow: "reg", examples: { vi: ["x"], en: ["y"] } }] });
    const { collisions } = checkIntents(file, { flows, hasKey: () => true, sectionIds: [], render: (k) => (k === "t:menu.register" ? "Hủy bỏ" : k) });
    expect(collisions.some((c) => c.includes('option "register"') && c.includes('cancel word "hủy"'))).toBe(true);
  });
});
