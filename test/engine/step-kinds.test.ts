/** The step-kind definitions are the one source of the flow schema, the kind names and dispatch. */
import { describe, expect, it } from "vitest";
import { isWaiting, kindOf, receivesResults } from "../../src/engine/dispatch.js";
import { stepSchema } from "../../src/engine/flow-schema.js";
import { STEP_KINDS } from "../../src/engine/steps/kinds.js";
import { flowsFrom } from "./helpers.js";

const FLOW = `
id: all_kinds
start: s
steps:
  - { id: s, type: say, text: t:s, next: m }
  - { id: m, type: menu, text: t:m, store: pick, choices: [{ id: a, label: t:a, next: q }, { id: b, label: t:b, flow: all_kinds, step: e }] }
  - { id: q, type: ask, text: t:q, validator: name, store: name, next: c }
  - { id: c, type: confirm, text: t:c, yes: x, no: g }
  - { id: x, type: action, action: save_it, next: e }
  - { id: g, type: goto, flow: all_kinds }
  - { id: e, type: end }
`;

describe("step kinds", () => {
  it("each definition's type is its schema's literal, and no two kinds share one", () => {
    const types = STEP_KINDS.map((k) => k.type);
    expect(new Set(types).size).toBe(types.length);
    for (const kind of STEP_KINDS) expect(kind.schema.shape.type.value).toBe(kind.type);
  });

  it("the flow schema admits exactly the defined kinds", () => {
    for (const kind of STEP_KINDS) expect(stepSchema.options.map((o) => o.shape.type.value)).toContain(kind.type);
    expect(stepSchema.options).toHaveLength(STEP_KINDS.length);
    const bad = stepSchema.safeParse({ id: "x", type: "dance", next: "y" });
    expect(bad.success).toBe(false);
  });

  it("dispatch finds every parsed step's own definition, and its metadata", () => {
    const flow = flowsFrom(FLOW).flows.get("all_kinds");
    const steps = flow?.steps ?? [];
    expect(steps.map((s) => s.type).sort()).toEqual(STEP_KINDS.map((k) => k.type).sort());
    for (const step of steps) {
      const kind = kindOf(step);
      expect(kind.type).toBe(step.type);
      expect(isWaiting(step)).toBe(kind.waits);
    }
    expect(steps.filter(isWaiting).map((s) => s.type).sort()).toEqual(["ask", "confirm", "menu"]);
    expect(steps.filter(receivesResults).map((s) => s.type)).toEqual(["action"]);
  });

  it("the checker's references come from the definitions", () => {
    const steps = flowsFrom(FLOW).flows.get("all_kinds")?.steps ?? [];
    const byId = new Map(steps.map((s) => [s.id, s]));
    const at = (id: string) => { const s = byId.get(id); if (!s) throw new Error(id); return kindOf(s); };
    const step = (id: string) => byId.get(id) ?? steps[0]!;
    expect(at("c").targets(step("c"))).toEqual(["x", "g"]);
    expect(at("m").flows?.(step("m"))).toEqual([["all_kinds", "e"]]);
    expect(at("m").storedChoices?.(step("m"))).toEqual({ field: "pick", ids: ["a", "b"] });
    expect(at("x").check?.(step("x"), { validatorNames: [], actionNames: [], staffFlow: false })).toEqual(['unknown action "save_it"']);
    expect(at("q").check?.(step("q"), { validatorNames: ["name"], actionNames: [], staffFlow: false })).toEqual([]);
  });
});
