/** Test helpers for the engine: flows from YAML text, a dictionary renderer, an in-memory session store. */
import { parseFlowText } from "../../src/engine/check-flows.js";
import { advance } from "../../src/engine/engine.js";
import type { ActionResult } from "../../src/engine/actions.js";
import type { EngineDeps, Reply } from "../../src/engine/engine-types.js";
import { buildFlowSet, type Flow, type FlowSet } from "../../src/engine/flow-schema.js";
import type { Incoming, Locale, Msg } from "../../src/engine/messages.js";
import type { Session } from "../../src/engine/session.js";
import type { SessionStore } from "../../src/engine/session-store.js";
import { dataKey as k } from "../../src/engine/msg-ref.js";

/** Parses flow YAML texts; throws on any schema problem. */
export function flowsFrom(...texts: string[]): FlowSet {
  const flows: Flow[] = texts.map((text, i) => {
    const r = parseFlowText(`test${i}.yaml`, text);
    if (!r.flow) throw new Error(r.problems.map((p) => `${p.step ?? ""}: ${p.message}`).join("\n"));
    return r.flow.flow;
  });
  return buildFlowSet(flows);
}

/** Labels for matching typed words (other keys render as the key itself). */
export const LABELS: Record<Locale, Record<string, string>> = {
  vi: {
    "common:yes": "Có", "common:no": "Không", "common:back": "Quay lại", "common:skip": "Bỏ qua", "common:menu.done": "Xong",
    "common:empty_value": "(chưa có)", "t:menu.register": "Đăng ký doanh nghiệp", "t:menu.courses": "Khóa đào tạo", "t:menu.info": "Thông tin chương trình",
    "t:lang.vi": "Tiếng Việt", "t:lang.en": "English",
  },
  en: {
    "common:yes": "Yes", "common:no": "No", "common:back": "Back", "common:skip": "Skip", "common:menu.done": "Done",
    "common:empty_value": "(not given)", "t:menu.register": "Register an enterprise", "t:menu.courses": "Training courses", "t:menu.info": "About the programme",
    "t:lang.vi": "Tiếng Việt", "t:lang.en": "English",
  },
};

/** Renders a Msg as its label, else `key` or `key{params}`. */
export function label(msg: Msg, locale: Locale): string {
  const text = LABELS[locale][msg.key];
  if (text) return text;
  if (!msg.params) return msg.key;
  const params = Object.entries(msg.params).map(([k, v]) => `${k}=${v instanceof Date ? v.toISOString() : String(v)}`).join(",");
  return `${msg.key}{${params}}`;
}

/** The main, language and help flows most tests need. */
export const MAIN = `
id: main
start: menu
steps:
  - id: menu
    type: menu
    text: t:menu.text
    back: false
    choices:
      - { id: register, label: t:menu.register, flow: reg }
      - { id: courses, label: t:menu.courses, next: courses_info }
      - { id: info, label: t:menu.info, flow: info }
      - { id: language, label: t:menu.language, flow: language }
  - id: courses_info
    type: say
    text: t:courses.none
    next: menu
`;

export const LANGUAGE = `
id: language
start: choose
steps:
  - id: choose
    type: menu
    text: t:lang.prompt
    store: locale
    choices:
      - { id: vi, label: t:lang.vi, next: apply }
      - { id: en, label: t:lang.en, next: apply }
  - id: apply
    type: action
    action: set_locale
    next: done
  - id: done
    type: end
    text: t:lang.changed
`;

export const HELP = `
id: help
start: intro
steps:
  - { id: intro, type: say, text: t:help.intro, next: done }
  - { id: done, type: end }
`;

/** A nested non-form flow (info) with a sub-menu, for Back and FAQ tests. */
export const INFO = `
id: info
command: info
start: menu
steps:
  - id: menu
    type: menu
    text: t:info.menu
    choices:
      - { id: goals, label: t:info.goals, next: goals_menu }
  - id: goals_menu
    type: menu
    text: t:info.goals_menu
    choices:
      - { id: targets, label: t:info.targets, next: targets }
  - { id: targets, type: say, text: [t:info.t1, t:info.t2], next: goals_menu }
`;

/** A form using every waiting kind and an action. */
export const REG = `
id: reg
command: register
form: true
help: t:reg.help
start: ask_name
steps:
  - id: ask_name
    type: ask
    text: t:reg.name
    validator: name
    store: name
    next: ask_email
  - id: ask_email
    type: ask
    text: t:reg.email
    validator: name
    store: email
    optional: true
    help: t:reg.email_help
    next: support
  - id: support
    type: menu
    text: t:reg.support
    multi: true
    store: support
    next: confirm
    choices:
      - { id: training, label: t:reg.training }
      - { id: tools, label: t:reg.tools }
      - { id: advice, label: t:reg.advice }
  - id: confirm
    type: confirm
    text: { key: t:reg.summary, params: { name: data.name, email: data.email, support: { ref: data.support, label: t:reg.group } } }
    yes: save
    no: ask_name
  - id: save
    type: action
    action: save_reg
    next: saved
    on: { duplicate: dup }
  - { id: saved, type: end, text: t:reg.saved }
  - { id: dup, type: end, text: t:reg.dup }
`;

/** A staff-only flow. */
export const STAFF = `
id: admin
command: admin
staff: true
start: hello
steps:
  - { id: hello, type: say, text: t:admin.hello, next: done }
  - { id: done, type: end }
`;

/** The usual flow set. */
export const standardFlows = (): FlowSet => flowsFrom(MAIN, LANGUAGE, HELP, INFO, REG, STAFF);

/** Engine deps with a `name` validator (at least 2 letters). */
export function deps(over: Partial<EngineDeps> = {}): EngineDeps {
  return {
    validators: {
      name: (input) => (input.length >= 2 ? { ok: true, value: input } : { ok: false, reason: k("t:errors.too_short"), params: { min: 2 } }),
    },
    now: new Date("2026-11-25T07:00:00Z"),
    timeZone: "Asia/Ho_Chi_Minh",
    label,
    defaultLocale: "vi",
    ...over,
  };
}

/** A text update from the default test user. */
export const text = (t: string, extra: Partial<Incoming> = {}): Incoming => ({ user: { channel: "terminal", userId: "u1" }, kind: "text", text: t, ...extra });
/** A button press from the default test user. */
export const press = (choiceId: string): Incoming => ({ user: { channel: "terminal", userId: "u1" }, kind: "choice", choiceId });

/** All Msg keys of the replies, in order. */
export const keys = (replies: Reply[]): string[] => replies.flatMap((r) => r.text.map((m) => m.key));

/** The Msg keys of each bubble: shows which paragraphs share one message. */
export const bubbles = (replies: Reply[]): string[][] => replies.map((r) => r.text.map((m) => m.key));

/** The bare ids (tag removed) of the last reply's choices. */
export const lastChoices = (replies: Reply[]): string[] => (replies[replies.length - 1]?.choices ?? []).map((c) => c.id.slice(c.id.indexOf(".") + 1));

/** The issued (tagged) id of a bare choice id in the last reply. */
export function issued(replies: Reply[], bare: string): string {
  const c = (replies[replies.length - 1]?.choices ?? []).find((x) => x.id.endsWith(`.${bare}`));
  if (!c) throw new Error(`choice ${bare} not offered: ${lastChoices(replies).join(",")}`);
  return c.id;
}

/** Drives the engine like the runner (actions answered by `actions`), keeping the session. */
export class Driver {
  session: Session | null = null;
  replies: Reply[] = [];
  actionsRun: string[] = [];
  constructor(
    readonly flows: FlowSet,
    public d: EngineDeps = deps(),
    readonly actions: Record<string, (s: Session) => ActionResult> = {},
    public isStaff = false,
  ) {}
  send(incoming: Incoming): Reply[] {
    let r = advance(this.flows, this.session, { type: "incoming", incoming, isStaff: this.isStaff }, this.d);
    const replies = [...r.replies];
    while (r.effect) {
      const handler = this.actions[r.effect.action];
      if (!handler) throw new Error(`no test action ${r.effect.action}`);
      this.actionsRun.push(r.effect.action);
      r = advance(this.flows, r.session, { type: "action_result", result: handler(r.session), isStaff: this.isStaff }, this.d);
      replies.push(...r.replies);
    }
    this.session = r.session;
    this.replies = replies;
    return replies;
  }
  text(t: string): Reply[] {
    return this.send(text(t));
  }
  press(bare: string): Reply[] {
    return this.send(press(issued(this.replies, bare)));
  }
}

/**
 * An in-memory SessionStore (runner unit tests only; the real one is MongoDB), with the same
 * revision rule: a save after revision n wins only if n is still the latest.
 */
export function memoryStore(): SessionStore & { map: Map<string, unknown>; revs: Map<string, number>; writes: number } {
  const map = new Map<string, unknown>();
  const revs = new Map<string, number>();
  const store = {
    map,
    revs,
    writes: 0,
    async read(key: string) {
      const v = map.get(key);
      return { value: v === undefined ? null : JSON.parse(JSON.stringify(v)), revision: revs.get(key) ?? 0, verified: true };
    },
    async holdCurrent(key: string, revision: number) {
      return (revs.get(key) ?? 0) === revision ? revision : null;
    },
    async write(key: string, session: Session, revision: number) {
      if ((revs.get(key) ?? 0) !== revision) return "conflict" as const;
      store.writes += 1;
      revs.set(key, revision + 1);
      map.set(key, JSON.parse(JSON.stringify(session)));
      return "saved" as const;
    },
  };
  return store;
}
