import { bindActions, defineActions, type ActionResult, type ActionsOf, type AuthoriseStaff } from "../../engine/actions.js";
import { userKey, type Locale, type Msg } from "../../engine/messages.js";
import { audienceSchema, type Audience } from "../../jobs/audience.js";
import { worthResending, type BroadcastService } from "../../jobs/broadcasts.js";
import type { BroadcastRecord } from "../../db/broadcasts-repo.js";
import { parseWhen } from "../when.js";
import { str } from "./staff-only.js";

/** The broadcast actions: composing is a staff read; creating, cancelling and resending ask the stored staff list. */
export const BROADCAST_ACTIONS = defineActions({
  staff_broadcast_check_time: { staff: "read" },
  staff_broadcast_clear_time: { staff: "read" },
  staff_broadcast_preview: { staff: "read" },
  staff_broadcast_create: { staff: "effect" },
  staff_broadcast_list: { staff: "read" },
  staff_broadcast_cancel: { staff: "effect" },
  staff_broadcast_resend: { staff: "effect" },
});

/** The audience the flow's answers describe, or null. */
export function audienceFromAnswers(data: Readonly<Record<string, unknown>>): Audience | null {
  const kind = str(data.audience_kind);
  const candidate =
    kind === "all" ? { kind: "all" }
    : kind === "enterprises" ? { kind: "enterprises" }
    : kind === "sector" ? { kind: "enterprises", sector: str(data.sector) }
    : kind === "course" ? { kind: "course", courseId: str(data.course_id) }
    : kind === "lang_vi" ? { kind: "language", locale: "vi" }
    : kind === "lang_en" ? { kind: "language", locale: "en" }
    : null;
  const parsed = audienceSchema.safeParse(candidate);
  return parsed.success ? parsed.data : null;
}

/** Course titles by id, in the staff member's language (audiences name courses by title). */
export type CourseTitles = (ids: readonly string[], locale: Locale) => Promise<ReadonlyMap<string, string>>;

/** A description of an audience: the sector by its label, a course by its title. */
export function audienceMsgs(a: Audience, titles: ReadonlyMap<string, string> = new Map()): Msg[] {
  return [audienceMsg(a, titles)];
}

/** A one-line description of an audience. */
export function audienceMsg(a: Audience, titles: ReadonlyMap<string, string> = new Map()): Msg {
  switch (a.kind) {
    case "enterprises":
      return a.sector ? { key: "staff:broadcast.audience.sector_named", params: { sector: a.sector } } : { key: "staff:broadcast.audience.enterprises" };
    case "course":
      return { key: "staff:broadcast.audience.course_named", params: { title: titles.get(a.courseId) ?? a.courseId } };
    case "language":
      return { key: `staff:broadcast.audience.lang_${a.locale}` };
    case "contacts":
      return { key: "staff:broadcast.audience.contacts", params: { count: a.contacts.length } };
    default:
      return { key: "staff:broadcast.audience.all" };
  }
}

/** The first words of an announcement, on one line. */
export function textStart(text: string, max = 60): string {
  const line = text.replace(/\s+/g, " ").trim();
  return [...line].length <= max ? line : `${[...line].slice(0, max - 1).join("").trimEnd()}…`;
}

/** One line of `/broadcasts`. */
export function broadcastLine(b: BroadcastRecord): Msg {
  const c = b.counts;
  return {
    key: `staff:broadcast.line.${b.status}`,
    params: { id: b._id, at: new Date(b.sendAt), recipients: b.recipients ?? 0, delivered: c?.delivered ?? 0, failed: c?.failed ?? 0, unreachable: c?.unreachable ?? 0, inDoubt: c?.inDoubt ?? 0 },
  };
}

/** One entry of `/broadcasts`: status and counts, the text's start, the audience by name, resend only when worth it. */
export function broadcastEntry(b: BroadcastRecord, titles: ReadonlyMap<string, string>): Msg[] {
  return [
    broadcastLine(b),
    { key: "staff:broadcast.list_text", params: { text: textStart(b.text.vi) } },
    audienceMsg(b.audience, titles),
    ...(b.status === "done" && worthResending(b.counts) ? [{ key: "staff:broadcast.resend_hint", params: { id: b._id } } satisfies Msg] : []),
  ];
}

const courseIdsOf = (audiences: readonly Audience[]) => audiences.flatMap((a) => (a.kind === "course" ? [a.courseId] : []));

/** Compose, preview, confirm, list, cancel and resend broadcasts in chat. */
export function createBroadcastActions(deps: { broadcasts: BroadcastService; timeZone: string; authorise: AuthoriseStaff; courseTitles?: CourseTitles; footer?: Msg }): ActionsOf<typeof BROADCAST_ACTIONS> {
  const titlesOf = (audiences: readonly Audience[], locale: Locale) => (deps.courseTitles ? deps.courseTitles(courseIdsOf(audiences), locale) : Promise.resolve(new Map<string, string>()));
  const sendAtOf = (data: Readonly<Record<string, unknown>>) => (typeof data.send_at_iso === "string" ? new Date(data.send_at_iso) : undefined);
  const idArg = (data: Readonly<Record<string, unknown>>) => str(data.args)?.split(/\s+/)[0];
  return bindActions(BROADCAST_ACTIONS, {
    staff_broadcast_check_time: async (ctx): Promise<ActionResult> => {
      const when = parseWhen(str(ctx.data.send_at) ?? "", deps.timeZone);
      if (!when) return { outcome: "invalid", say: [{ key: "staff:broadcast.errors.time" }] };
      if (when.getTime() <= ctx.now.getTime()) return { outcome: "invalid", say: [{ key: "staff:broadcast.errors.time_past" }] };
      return { data: { send_at_iso: when.toISOString() } };
    },
    // Choosing the time again starts from "now or later"; the old time must not linger.
    staff_broadcast_clear_time: async () => ({ data: { send_at: null, send_at_iso: null } }),
    staff_broadcast_preview: async (ctx): Promise<ActionResult> => {
      const audience = audienceFromAnswers(ctx.data);
      if (!audience) return { outcome: "invalid", say: [{ key: "staff:broadcast.errors.audience" }] };
      const count = await deps.broadcasts.count(audience);
      const at = sendAtOf(ctx.data);
      return {
        say: [
          { key: "staff:broadcast.preview.text_vi", params: { text: str(ctx.data.text_vi) ?? "" } },
          ...(str(ctx.data.text_en) ? [{ key: "staff:broadcast.preview.text_en", params: { text: str(ctx.data.text_en)! } } satisfies Msg] : []),
          ...(deps.footer ? [deps.footer] : []),
          ...audienceMsgs(audience, await titlesOf([audience], ctx.locale)),
          at ? { key: "staff:broadcast.preview.at", params: { count, at } } : { key: "staff:broadcast.preview.now", params: { count } },
        ],
      };
    },
    staff_broadcast_create: async (ctx): Promise<ActionResult> => {
      const audience = audienceFromAnswers(ctx.data);
      if (!audience) return { outcome: "invalid", say: [{ key: "staff:broadcast.errors.audience" }] };
      const en = str(ctx.data.text_en);
      const sendAt = sendAtOf(ctx.data);
      const created = await deps.broadcasts.create({
        text: { vi: str(ctx.data.text_vi) ?? "", ...(en ? { en } : {}) },
        audience,
        ...(sendAt ? { sendAt } : {}),
        createdBy: userKey(ctx.user),
      });
      if (!created.ok) return { outcome: "invalid", say: [{ key: created.reason }] };
      const b = created.broadcast;
      const msg: Msg = sendAt ? { key: "staff:broadcast.scheduled", params: { id: b._id, at: b.sendAt } } : { key: "staff:broadcast.started", params: { id: b._id } };
      return { say: [msg] };
    },
    staff_broadcast_list: async (ctx) => {
      const recent = await deps.broadcasts.recent(10);
      if (recent.length === 0) return { say: [{ key: "staff:broadcast.list_empty" }] };
      const titles = await titlesOf(recent.map((b) => b.audience), ctx.locale);
      return { say: [{ key: "staff:broadcast.list_title" }, ...recent.flatMap((b) => broadcastEntry(b, titles)), { key: "staff:broadcast.list_help" }] };
    },
    staff_broadcast_cancel: async (ctx) => {
      const id = idArg(ctx.data);
      if (!id) return { say: [{ key: "staff:broadcast.cancel_usage" }] };
      return { say: [{ key: (await deps.broadcasts.cancel(id)) ? "staff:broadcast.cancelled" : "staff:broadcast.errors.not_cancellable", params: { id } }] };
    },
    staff_broadcast_resend: async (ctx): Promise<ActionResult> => {
      const id = idArg(ctx.data);
      if (!id) return { say: [{ key: "staff:broadcast.resend_usage" }] };
      const result = await deps.broadcasts.resend(id, userKey(ctx.user));
      if (!result.ok) return { say: [{ key: result.reason, params: { id } }] };
      const a = result.broadcast.audience;
      return { say: [{ key: "staff:broadcast.resent", params: { id, newId: result.broadcast._id, count: a.kind === "contacts" ? a.contacts.length : 0 } }] };
    },
  }, { authorise: deps.authorise });
}
