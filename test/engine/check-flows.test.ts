import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { checkFlows, formatProblem, parseFlowText, type CheckOptions, type FlowProblem, type ParsedFlow } from "../../src/engine/check-flows.js";
import { ENGINE_KEYS } from "../../src/engine/engine.js";
import { FlowLoadError, loadFlowSet, loadFlows } from "../../src/runtime/load-flows.js";
import { HELP, LANGUAGE, MAIN } from "./helpers.js";

const known = new Set<string>([...ENGINE_KEYS]);
const opts = (over: Partial<CheckOptions> = {}): CheckOptions => ({
  validatorNames: ["name"],
  actionNames: ["save"],
  // Every key exists except those containing "missing"; "t:only_vi.*" exists in vi only.
  hasKey: (key, locale) => known.has(key) || (!key.includes("missing") && !(key.startsWith("t:only_vi") && locale === "en")),
  ...over,
});

const INFO_OK = `
id: info
start: menu
steps:
  - id: menu
    type: menu
    text: t:menu
    choices: [{ id: a, label: t:a, next: a }]
  - { id: a, type: say, text: t:a, next: menu }
`;

function parseAll(...texts: [string, string][]): { parsed: ParsedFlow[]; problems: FlowProblem[] } {
  const parsed: ParsedFlow[] = [];
  const problems: FlowProblem[] = [];
  for (const [file, text] of texts) {
    const r = parseFlowText(file, text);
    if (r.flow) parsed.push(r.flow);
    problems.push(...r.problems);
  }
  return { parsed, problems };
}

/** Every problem for the base flows plus `extra` files. */
function check(extra: [string, string][], o = opts()): FlowProblem[] {
  const { parsed, problems } = parseAll(["flows/main.yaml", MAIN], ["flows/help.yaml", HELP], ["flows/language.yaml", LANGUAGE], ...extra);
  return [...problems, ...checkFlows(parsed, o)].filter((p) => !(p.flow === "main" && /unknown flow "(reg|info)"/.test(p.message)));
}

const lines = (problems: FlowProblem[]) => problems.map(formatProblem);

describe("checkFlows", () => {
  it("accepts good flows", () => {
    expect(check([["flows/info.yaml", INFO_OK], ["flows/reg.yaml", "id: reg\nstart: e\nsteps:\n  - { id: e, type: end }\n"]])).toEqual([]);
  });

  it("reports invalid YAML with the file", () => {
    expect(lines(check([["flows/x.yaml", "id: x\nsteps: [\n  - {"]]))).toEqual([expect.stringMatching(/^flows\/x\.yaml: not valid YAML/)]);
  });

  it("reports schema errors with the step id and the field", () => {
    const problems = check([["flows/info.yaml", `
id: info
start: a
steps:
  - { id: a, type: say, text: t:a }
  - { id: b, type: ask, text: t:b, validator: name, store: Bad-Field, next: a }
  - { id: c, type: shout, text: t:c }
  - { id: d, type: say, text: not a key, next: a, colour: red }
`]]);
    const text = lines(problems).join("\n");
    expect(text).toMatch(/flows\/info\.yaml \[flow info, step a\]: next: /);
    expect(text).toMatch(/\[flow info, step b\]: store: must be snake_case/);
    expect(text).toMatch(/\[flow info, step c\]: .*type/);
    expect(text).toMatch(/\[flow info, step d\]: text: /);
    expect(text).toMatch(/\[flow info, step d\]: .*colour/);
  });

  it("reports a missing top-level field", () => {
    expect(lines(check([["flows/x.yaml", "id: x\nsteps:\n  - { id: e, type: end }\n"]]))).toEqual([expect.stringMatching(/flows\/x\.yaml \[flow x\]: start: /)]);
  });

  it("reports unknown step references (next, yes/no, on, back, choices, start)", () => {
    const problems = check([["flows/info.yaml", `
id: info
start: nowhere
steps:
  - { id: a, type: say, text: t:a, next: gone1 }
  - { id: b, type: confirm, text: t:b, yes: a, no: gone2 }
  - { id: c, type: action, action: save, next: a, on: { full: gone3 } }
  - { id: d, type: menu, text: t:d, back: gone4, choices: [{ id: x, label: t:x, next: gone5 }] }
`]]).filter((p) => !p.message.startsWith("unreachable"));
    expect(lines(problems)).toEqual([
      "flows/info.yaml [flow info]: start: unknown step \"nowhere\"",
      "flows/info.yaml [flow info, step a]: unknown step \"gone1\"",
      "flows/info.yaml [flow info, step b]: unknown step \"gone2\"",
      "flows/info.yaml [flow info, step c]: unknown step \"gone3\"",
      "flows/info.yaml [flow info, step d]: unknown step \"gone4\"",
      "flows/info.yaml [flow info, step d]: unknown step \"gone5\"",
    ]);
  });

  it("reports unknown flow references (goto, menu choice) and unknown steps in other flows", () => {
    const problems = check([["flows/info.yaml", `
id: info
start: m
steps:
  - { id: m, type: menu, text: t:m, choices: [{ id: x, label: t:x, flow: nope }, { id: y, label: t:y, flow: help, step: gone }, { id: z, label: t:z, next: g }] }
  - { id: g, type: goto, flow: nope2 }
`]]);
    expect(lines(problems)).toEqual([
      "flows/info.yaml [flow info, step m]: unknown flow \"nope\"",
      "flows/info.yaml [flow info, step m]: unknown step \"gone\" in flow \"help\"",
      "flows/info.yaml [flow info, step g]: unknown flow \"nope2\"",
    ]);
  });

  it("reports unreachable steps (but not steps other flows enter directly)", () => {
    const problems = check([["flows/info.yaml", `
id: info
start: a
steps:
  - { id: a, type: end }
  - { id: orphan, type: say, text: t:o, next: a }
  - { id: entered, type: end }
`], ["flows/reg.yaml", "id: reg\nstart: g\nsteps:\n  - { id: g, type: goto, flow: info, step: entered }\n"]]);
    expect(lines(problems)).toEqual(["flows/info.yaml [flow info, step orphan]: unreachable step (nothing leads here from `start`)"]);
  });

  it("reports unknown validators and actions (built-in set_locale is known)", () => {
    const problems = check([["flows/info.yaml", `
id: info
start: q
steps:
  - { id: q, type: ask, text: t:q, validator: nope, store: x, next: s }
  - { id: s, type: action, action: save_nothing, next: l }
  - { id: l, type: action, action: set_locale, next: e }
  - { id: e, type: end }
`]]);
    expect(lines(problems)).toEqual([
      "flows/info.yaml [flow info, step q]: unknown validator \"nope\"",
      "flows/info.yaml [flow info, step s]: unknown action \"save_nothing\"",
    ]);
  });

  it("reports a public flow linking to a staff-only flow (staff flows may link to each other)", () => {
    const problems = check([
      ["flows/info.yaml", "id: info\nstart: m\nsteps:\n  - { id: m, type: menu, text: t:m, choices: [{ id: x, label: t:x, flow: admin }] }\n"],
      ["flows/reg.yaml", "id: reg\nstart: e\nsteps:\n  - { id: e, type: end }\n"],
      ["flows/admin.yaml", "id: admin\nstaff: true\nstart: g\nsteps:\n  - { id: g, type: goto, flow: other }\n"],
      ["flows/other.yaml", "id: other\nstaff: true\nstart: e\nsteps:\n  - { id: e, type: end }\n"],
    ]);
    expect(lines(problems)).toEqual(["flows/info.yaml [flow info, step m]: links to staff-only flow \"admin\" from a flow everyone can use"]);
  });

  it("reports a public flow calling an action defined as staff-only (a staff flow may)", () => {
    const problems = check([
      ["flows/info.yaml", "id: info\nstart: s\nsteps:\n  - { id: s, type: action, action: staff_save, next: e }\n  - { id: e, type: end }\n"],
      ["flows/admin.yaml", "id: admin\nstaff: true\nstart: s\nsteps:\n  - { id: s, type: action, action: staff_save, next: e }\n  - { id: e, type: end }\n"],
      ["flows/reg.yaml", "id: reg\nstart: e\nsteps:\n  - { id: e, type: end }\n"],
    ], opts({ actionNames: ["save", "staff_save"], staffActionNames: ["staff_save"] }));
    expect(lines(problems)).toEqual(["flows/info.yaml [flow info, step s]: calls staff-only action \"staff_save\" from a flow everyone can use"]);
  });

  it("reports a menu command that is neither built in nor a public flow's command", () => {
    const problems = check([
      ["flows/info.yaml", "id: info\ncommand: info\nstart: e\nsteps:\n  - { id: e, type: end }\n"],
      ["flows/admin.yaml", "id: admin\ncommand: admin\nstaff: true\nstart: e\nsteps:\n  - { id: e, type: end }\n"],
      ["flows/reg.yaml", "id: reg\nstart: e\nsteps:\n  - { id: e, type: end }\n"],
    ], opts({ menuCommands: ["start", "info", "admin", "gone"] }));
    expect(lines(problems)).toEqual([
      "locales/: menu command \"/admin\" (channels:commands.admin) is neither built in nor a public flow's command",
      "locales/: menu command \"/gone\" (channels:commands.gone) is neither built in nor a public flow's command",
    ]);
  });

  it("reports an action step that leads nowhere", () => {
    const problems = check([["flows/info.yaml", "id: info\nstart: s\nsteps:\n  - { id: s, type: action, action: save }\n"]]);
    expect(lines(problems)).toEqual(["flows/info.yaml [flow info, step s]: an action needs `next` or `on:` (outcome → step)"]);
  });

  it("reports i18n keys missing in vi or en, for texts, labels, params keys and help", () => {
    const problems = check([["flows/info.yaml", `
id: info
help: t:missing_help
start: m
steps:
  - id: m
    type: menu
    text: { key: t:missing_text, params: { a: data.x } }
    help: t:only_vi.help
    choices: [{ id: x, label: t:missing_label, next: e }]
  - { id: e, type: end, text: [t:ok, t:only_vi.bye] }
`]]);
    expect(lines(problems).sort()).toEqual([
      "flows/info.yaml [flow info, step e]: i18n key \"t:only_vi.bye\" missing in en",
      "flows/info.yaml [flow info, step m]: i18n key \"t:missing_label\" missing in en",
      "flows/info.yaml [flow info, step m]: i18n key \"t:missing_label\" missing in vi",
      "flows/info.yaml [flow info, step m]: i18n key \"t:missing_text\" missing in en",
      "flows/info.yaml [flow info, step m]: i18n key \"t:missing_text\" missing in vi",
      "flows/info.yaml [flow info, step m]: i18n key \"t:only_vi.help\" missing in en",
      "flows/info.yaml [flow info]: i18n key \"t:missing_help\" missing in en",
      "flows/info.yaml [flow info]: i18n key \"t:missing_help\" missing in vi",
    ]);
  });

  it("reports labels missing for ids a labelled param can show", () => {
    const problems = check([["flows/info.yaml", `
id: info
start: m
steps:
  - id: m
    type: menu
    text: t:m
    store: size
    choices: [{ id: small, label: t:small, next: c }, { id: missing_big, label: t:big, next: c }]
  - { id: c, type: confirm, text: { key: t:sum, params: { size: { ref: data.size, label: t:sizes } } }, yes: e, no: m }
  - { id: e, type: end }
`]]);
    expect(lines(problems)).toEqual([
      "flows/info.yaml [flow info, step c]: i18n key \"t:sizes.missing_big\" missing in vi",
      "flows/info.yaml [flow info, step c]: i18n key \"t:sizes.missing_big\" missing in en",
    ]);
  });

  it("reports engine keys missing from the locales", () => {
    const problems = check([], opts({ hasKey: (key, locale) => !(key === "common:fallback" && locale === "en") }));
    expect(lines(problems)).toEqual(["locales/en/common.json: i18n key \"common:fallback\" (used by the engine) missing in en"]);
  });

  it("reports duplicate flow ids, step ids, choice ids and commands (also built-in ones)", () => {
    const problems = check([
      ["flows/info.yaml", "id: info\ncommand: go\nstart: a\nsteps:\n  - { id: a, type: end }\n  - { id: a, type: end }\n"],
      ["flows/info2.yaml", "id: info\nstart: a\nsteps:\n  - { id: a, type: end }\n"],
      ["flows/reg.yaml", "id: reg\ncommand: go\nstart: m\nsteps:\n  - { id: m, type: menu, text: t:m, choices: [{ id: x, label: t:x, next: m }, { id: x, label: t:y, next: m }] }\n"],
      ["flows/other.yaml", "id: other\ncommand: cancel\nstart: e\nsteps:\n  - { id: e, type: end }\n"],
    ]);
    expect(lines(problems)).toEqual([
      "flows/reg.yaml [flow reg, step m]: choices.1.id: duplicate choice id \"x\"",
      "flows/info2.yaml [flow info]: duplicate flow id \"info\" (also in flows/info.yaml)",
      "flows/other.yaml [flow other]: command \"/cancel\" is built in",
      "flows/info.yaml [flow info, step a]: duplicate step id \"a\"",
    ]);
    const dupCommand = check([
      ["flows/info.yaml", "id: info\ncommand: go\nstart: a\nsteps:\n  - { id: a, type: end }\n"],
      ["flows/reg.yaml", "id: reg\ncommand: go\nstart: a\nsteps:\n  - { id: a, type: end }\n"],
    ]);
    expect(lines(dupCommand)).toEqual(["flows/reg.yaml [flow reg]: duplicate command \"/go\" (also flow \"info\")"]);
  });

  it("reports missing required flows and a main flow not starting with a menu", () => {
    const { parsed } = parseAll(["flows/main.yaml", "id: main\nstart: e\nsteps:\n  - { id: e, type: end }\n"]);
    expect(lines(checkFlows(parsed, opts()))).toEqual([
      "flows/: required flow \"help\" is missing",
      "flows/: required flow \"language\" is missing",
      "flows/main.yaml [flow main]: the main flow must start with a menu",
    ]);
  });

  it("reports every problem at once across files", () => {
    const problems = check([
      ["flows/a.yaml", "id: a\nstart: s\nsteps:\n  - { id: s, type: say, text: t:s, next: zz }\n"],
      ["flows/b.yaml", "id: b\nstart: q\nsteps:\n  - { id: q, type: ask, text: t:missing, validator: v, store: x, next: q }\n"],
    ]);
    expect(problems.length).toBe(4);
    expect(new Set(problems.map((p) => p.file))).toEqual(new Set(["flows/a.yaml", "flows/b.yaml"]));
  });
});

describe("loadFlows / loadFlowSet (from disk)", () => {
  function dir(files: Record<string, string>): string {
    const d = mkdtempSync(join(tmpdir(), "flows-"));
    for (const [name, text] of Object.entries(files)) writeFileSync(join(d, name), text);
    return d;
  }

  it("loads *.yaml and *.yml, ignores other files", () => {
    const d = dir({ "main.yaml": MAIN.replace(/flow: (reg|info)/g, "flow: help"), "help.yml": HELP, "language.yaml": LANGUAGE, "README.md": "# no" });
    const { flows, problems, files } = loadFlows(d, opts());
    expect(problems).toEqual([]);
    expect(files).toBe(3);
    expect([...flows.flows.keys()].sort()).toEqual(["help", "language", "main"]);
  });

  it("loadFlowSet throws FlowLoadError listing every problem", () => {
    const d = dir({ "main.yaml": MAIN, "help.yaml": HELP });
    try {
      loadFlowSet(d, opts());
      expect.unreachable();
    } catch (err) {
      expect(err).toBeInstanceOf(FlowLoadError);
      const e = err as FlowLoadError;
      expect(e.problems.map((p) => p.message)).toEqual(['unknown flow "reg"', 'unknown flow "info"', 'unknown flow "language"', 'required flow "language" is missing']);
      expect(e.message).toContain("flows/main.yaml [flow main, step menu]: unknown flow \"reg\"");
    }
  });
});
