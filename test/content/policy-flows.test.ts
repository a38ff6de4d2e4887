/**
 * The policy and eligibility flow files against the engine's flow schema and the locale files:
 * every key they use exists in vi and en, every content bubble is shown by its section step,
 * and the eligibility choices are exactly the stable ids of src/domain/sectors.ts.
 */
import { readFileSync } from "node:fs";
import { parse } from "yaml";
import { describe, expect, it } from "vitest";
import { flowSchema, type Flow } from "../../src/engine/flow-schema.js";
import { ENTERPRISE_SIZE_IDS, SECTOR_IDS } from "../../src/domain/sectors.js";
import { createPolicyActions } from "../../src/actions/policies.js";

const read = (path: string): string => readFileSync(new URL(`../../${path}`, import.meta.url), "utf8");
const loadFlow = (id: string): Flow => flowSchema.parse(parse(read(`flows/${id}.yaml`)));

type Tree = { [key: string]: string | Tree };
function keysOf(tree: Tree, prefix = ""): string[] {
  return Object.entries(tree).flatMap(([k, v]) => (typeof v === "string" ? [prefix + k] : keysOf(v, `${prefix}${k}.`)));
}
const localeKeys = {
  vi: new Set(keysOf(JSON.parse(read("locales/vi/policies.json")) as Tree)),
  en: new Set(keysOf(JSON.parse(read("locales/en/policies.json")) as Tree)),
};

/** Every `policies:` i18n key a flow file mentions, wherever it appears. */
function policyKeysIn(value: unknown): string[] {
  if (typeof value === "string") return /^policies:[A-Za-z0-9_.]+$/.test(value) ? [value] : [];
  if (Array.isArray(value)) return value.flatMap(policyKeysIn);
  if (value && typeof value === "object") return Object.values(value).flatMap(policyKeysIn);
  return [];
}

const flows = { policies: loadFlow("policies"), eligibility: loadFlow("eligibility") };

describe("policy flow files", () => {
  it.each(Object.keys(flows))("%s uses only policies keys present in vi and en", (id) => {
    const keys = policyKeysIn(flows[id as keyof typeof flows]);
    expect(keys.length).toBeGreaterThan(0);
    for (const key of keys) {
      const path = key.slice("policies:".length);
      expect(localeKeys.vi.has(path), `${key} (vi)`).toBe(true);
      expect(localeKeys.en.has(path), `${key} (en)`).toBe(true);
    }
  });

  it("shows every bubble of every section, in order, from a step named after the section", () => {
    const sections = new Map<string, string[]>();
    for (const key of localeKeys.vi) {
      const m = /^sections\.([a-z_]+)\.(p\d+)$/.exec(key);
      if (m) sections.set(m[1]!, [...(sections.get(m[1]!) ?? []), `policies:${key}`]);
    }
    const menu = flows.policies.steps.find((s) => s.id === flows.policies.start);
    expect(menu?.type).toBe("menu");
    for (const [id, keys] of sections) {
      const step = flows.policies.steps.find((s) => s.id === id);
      expect(step?.type, id).toBe("say");
      const text = step?.type === "say" ? step.text : [];
      const shown = (Array.isArray(text) ? text : [text]).map((t) => (typeof t === "string" ? t : t.key));
      const byNumber = (k: string) => Number(/p(\d+)$/.exec(k)![1]);
      expect(shown, id).toEqual([...keys].sort((a, b) => byNumber(a) - byNumber(b)));
      if (menu?.type === "menu") expect(menu.choices.some((c) => c.next === id), `menu entry for ${id}`).toBe(true);
    }
  });

  it("offers exactly the stable sector and size ids in the eligibility check", () => {
    const choiceIds = (stepId: string) => {
      const step = flows.eligibility.steps.find((s) => s.id === stepId);
      return step?.type === "menu" ? step.choices.map((c) => c.id) : [];
    };
    expect(choiceIds("ask_sector")).toEqual([...SECTOR_IDS]);
    expect(choiceIds("ask_size")).toEqual([...ENTERPRISE_SIZE_IDS]);
  });

  it("names only actions that createPolicyActions provides, and maps every outcome", () => {
    const registry = createPolicyActions({ contact: {} });
    for (const flow of Object.values(flows)) {
      for (const step of flow.steps) {
        if (step.type !== "action") continue;
        expect(Object.keys(registry), step.action).toContain(step.action);
      }
    }
    const result = flows.eligibility.steps.find((s) => s.id === "result");
    expect(result?.type === "action" ? Object.keys(result.on ?? {}).sort() : []).toEqual(["in_scope", "incomplete", "out_of_scope"]);
  });
});
