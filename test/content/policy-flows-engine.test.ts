/**
 * Walks the policy and eligibility flows through the real (pure) engine with the real policy
 * actions and FAQ: a stub main flow and a stub enterprise flow stand in for the other flows.
 */
import { readFileSync } from "node:fs";
import { parse } from "yaml";
import { describe, expect, it } from "vitest";
import { advance } from "../../src/engine/engine.js";
import { buildFlowSet, flowSchema, type Flow } from "../../src/engine/flow-schema.js";
import type { EngineDeps, Reply } from "../../src/engine/engine-types.js";
import type { Incoming, Locale, Msg } from "../../src/engine/messages.js";
import type { Session } from "../../src/engine/session.js";
import { createPolicyActions } from "../../src/actions/policies.js";
import { createPolicyFaq } from "../../src/domain/faq/policy-faq.js";

const read = (path: string): string => readFileSync(new URL(`../../${path}`, import.meta.url), "utf8");
const resources = { vi: JSON.parse(read("locales/vi/policies.json")), en: JSON.parse(read("locales/en/policies.json")) };

const stub = (id: string, steps: unknown[]): Flow => flowSchema.parse({ id, start: "s", steps });
const flows = buildFlowSet([
  flowSchema.parse(parse(read("flows/policies.yaml"))),
  flowSchema.parse(parse(read("flows/eligibility.yaml"))),
  stub("main", [{ id: "s", type: "menu", text: "policies:menu.prompt", back: false, choices: [{ id: "policies", label: "policies:menu.about", flow: "policies" }] }]),
  stub("enterprise", [{ id: "s", type: "end", text: "policies:eligibility.register", to: "idle" }]),
]);

// Renders policies keys from the real files (other namespaces render as their key) so typed words match labels.
function label(msg: Msg, locale: Locale): string {
  const [ns, path] = msg.key.split(":");
  if (ns !== "policies") return msg.key;
  let node: unknown = resources[locale];
  for (const part of path!.split(".")) node = (node as Record<string, unknown> | undefined)?.[part];
  return typeof node === "string" ? node : msg.key;
}

const contact = { phone: "configured-phone" };
const actions = createPolicyActions({ contact });
const deps: EngineDeps = {
  validators: {},
  now: new Date("2026-11-25T10:00:00Z"),
  timeZone: "Asia/Ho_Chi_Minh",
  label,
  answerFreeText: createPolicyFaq({ resources, contact }),
  defaultLocale: "vi",
};

/** One user's conversation: sends an update, runs any action the engine asks for, keeps the session. */
function chat(locale: Locale = "vi") {
  let session: Session | null = null;
  const user = { channel: "terminal" as const, userId: "t1" };
  return async (input: { text: string } | { choice: string }): Promise<Reply[]> => {
    const incoming: Incoming = "text" in input
      ? { user, kind: "text", text: input.text, localeHint: locale }
      : { user, kind: "choice", choiceId: input.choice, localeHint: locale };
    let result = advance(flows, session, { type: "incoming", incoming, isStaff: false }, deps);
    const replies = [...result.replies];
    while (result.effect) {
      const handler = actions[result.effect.action];
      if (!handler) throw new Error(`no action ${result.effect.action}`);
      const s = result.session;
      const outcome = await handler({ user, locale: s.locale, data: s.data, vars: s.vars, now: deps.now, isStaff: false });
      result = advance(flows, s, { type: "action_result", result: outcome, isStaff: false }, deps);
      replies.push(...result.replies);
    }
    session = result.session;
    return replies;
  };
}

const keys = (replies: Reply[]): string[] => replies.flatMap((r) => r.text.map((m) => m.key));
const choiceIds = (replies: Reply[]): string[] => (replies.at(-1)?.choices ?? []).map((c) => c.id.split(".").pop()!);

describe("policies flow in the engine", () => {
  it("shows the 2025 targets and the five task groups, then the section menu again", async () => {
    const send = chat();
    const menu = await send({ text: "/policies" });
    expect(keys(menu)).toContain("policies:menu.prompt");
    expect(choiceIds(menu)).toEqual(["about", "objective", "targets", "tasks", "targeted", "lead", "support", "eligibility", "back"]);

    const targets = await send({ choice: "targets" });
    expect(keys(targets)).toEqual([
      "policies:sections.targets.p1", "policies:sections.targets.p2", "policies:sections.targets.p3", "policies:sections.targets.p4",
      "policies:menu.prompt",
    ]);
    const tasks = await send({ text: "05 nhóm nhiệm vụ, giải pháp" }); // typed label
    expect(keys(tasks).slice(0, 3)).toEqual(["policies:sections.tasks.p1", "policies:sections.tasks.p2", "policies:sections.tasks.p3"]);
  });

  it("ends the support section with the configured contact only", async () => {
    const send = chat("en");
    await send({ text: "/policies" });
    const replies = await send({ choice: "support" });
    expect(keys(replies)).toEqual(["policies:sections.support.p1", "policies:contact.phone", "policies:menu.prompt"]);
    expect(replies[1]!.text[0]!.params).toEqual({ phone: "configured-phone" });
  });

  it("answers free text at the section menu from the FAQ, without diacritics", async () => {
    const send = chat();
    await send({ text: "/policies" });
    const replies = await send({ text: "doanh nghiep nao duoc ho tro" });
    expect(keys(replies)[0]).toBe("policies:sections.targeted.p1");
    expect(keys(replies).at(-1)).toBe("policies:menu.prompt");
  });

  it("goes back to the main menu", async () => {
    const send = chat();
    await send({ text: "/policies" });
    const replies = await send({ choice: "back" });
    expect(choiceIds(replies)).toEqual(["policies"]);
  });
});

describe("eligibility flow in the engine", () => {
  it("in the province, priority sector: explains, then offers to register the enterprise", async () => {
    const send = chat();
    await send({ text: "/policies" });
    const start = await send({ choice: "eligibility" });
    expect(keys(start)).toEqual(["policies:eligibility.intro", "policies:eligibility.ask_province"]);
    expect(choiceIds(await send({ choice: "inside" }))).toContain("handicrafts");
    expect(choiceIds(await send({ choice: "handicrafts" }))).toEqual(["micro", "small", "medium", "large", "back"]);
    const result = await send({ choice: "medium" });
    expect(keys(result)).toEqual([
      "policies:eligibility.result.in_scope",
      "policies:eligibility.result.priority",
      "policies:eligibility.result.size.medium",
      "policies:eligibility.result.groups",
      "policies:eligibility.offer_register",
    ]);
    expect(choiceIds(result)).toEqual(["register", "policies", "main_menu"]);
    const register = await send({ choice: "register" });
    expect(keys(register)).toEqual(["policies:eligibility.register"]); // the stub enterprise flow
  });

  it("other sector: in scope, without claiming priority", async () => {
    const send = chat("en");
    await send({ text: "/policies" });
    await send({ choice: "eligibility" });
    await send({ choice: "inside" });
    await send({ text: "Other sector" });
    const result = await send({ text: "Large" });
    expect(keys(result)).toContain("policies:eligibility.result.not_listed");
    expect(keys(result)).not.toContain("policies:eligibility.result.priority");
  });

  it("outside the province: explains the plan covers Khánh Hòa and offers the policy menu", async () => {
    const send = chat();
    await send({ text: "/policies" });
    await send({ choice: "eligibility" });
    const result = await send({ choice: "outside" });
    expect(keys(result)).toEqual(["policies:eligibility.result.out_of_scope", "policies:eligibility.what_next"]);
    expect(choiceIds(result)).toEqual(["policies", "main_menu"]);
    expect(keys(await send({ choice: "policies" }))).toContain("policies:menu.prompt");
  });

  it("is a form: free text that picks nothing asks again instead of answering from the FAQ", async () => {
    const send = chat();
    await send({ text: "/policies" });
    await send({ choice: "eligibility" });
    await send({ choice: "inside" });
    const replies = await send({ text: "chỉ tiêu 2025" });
    expect(keys(replies)).toEqual(["common:errors.choose_option", "policies:eligibility.ask_sector"]);
  });
});
