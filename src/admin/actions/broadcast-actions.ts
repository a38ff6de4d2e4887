import type { ActionRegistry, ActionResult } from "../../engine/actions.js";
import { userKey, type Msg } from "../../engine/messages.js";
import { audienceSchema, type Audience } from "../../jobs/audience.js";
import type { BroadcastService } from "../../jobs/broadcasts.js";
import type { BroadcastRecord } from "../../db/broadcasts-repo.js";
import { parseWhen } from "../when.js";
import { staffEffect, staffOnly, str, type AuthoriseStaff } from "./staff-only.js";

/** Action names of the broadcast flows. */
export const BROADCAST_ACTION_NAMES = ["staff_broadcast_check_time", "staff_broadcast_preview", "staff_broadcast_create", "staff_broadcast_list", "staff_broadcast_cancel", "staff_broadcast_resend"] as const;

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

/** A description of an audience (the sector by its label). */
export function audienceMsgs(a: Audience): Msg[] {
  if (a.kind === "enterprises" && a.sector) return [{ key: "staff:broadcast.audience.sector" }, { key: `policies:sectors.${a.sector}` }];
  return [audienceMsg(a)];
}

/** A one-line description of an audience. */
export function audienceMsg(a: Audience): Msg {
  switch (a.kind) {
    case "enterprises":
      return { key: "staff:broadcast.audience.enterprises" };
    case "course":
      return { key: "staff:broadcast.audience.course", params: { id: a.courseId } };
    case "language":
      return { key: `staff:broadcast.audience.lang_${a.locale}` };
    case "contacts":
      return { key: "staff:broadcast.audience.contacts", params: { count: a.contacts.length } };
    default:
      return { key: "staff:broadcast.audience.all" };
  }
}

/** One line of `/broadcasts`. */
export function broadcastLine(b: BroadcastRecord): Msg {
  const c = b.counts;
  return {
    key: `staff:broadcast.line.${b.status}`,
    params: { id: b._id, at: new Date(b.sendAt), recipients: b.recipients ?? 0, delivered: c?.delivered ?? 0, failed: c?.failed ?? 0, unreachable: c?.unreachable ?? 0, inDoubt: c?.inDoubt ?? 0 },
  };
}

/** Compose, preview, confirm, list, cancel and resend broadcasts in chat. */
export function createBroadcastActions(deps: { broadcasts: BroadcastService; timeZone: string; authorise: AuthoriseStaff }): ActionRegistry {
  const sendAtOf = (data: Readonly<Record<string, unknown>>) => (typeof data.send_at_iso === "string" ? new Date(data.send_at_iso) : undefined);
  const idArg = (data: Readonly<Record<string, unknown>>) => str(data.args)?.split(/\s+/)[0];
  return {
    staff_broadcast_check_time: staffOnly(async (ctx): Promise<ActionResult> => {
      const when = parseWhen(str(ctx.data.send_at) ?? "", deps.timeZone);
      if (!when) return { outcome: "invalid", say: [{ key: "staff:broadcast.errors.time" }] };
      if (when.getTime() <= ctx.now.getTime()) return { outcome: "invalid", say: [{ key: "staff:broadcast.errors.time_past" }] };
      return { data: { send_at_iso: when.toISOString() } };
    }),
    staff_broadcast_preview: staffOnly(async (ctx) => {
      const audience = audienceFromAnswers(ctx.data);
      if (!audience) return { outcome: "invalid", say: [{ key: "staff:broadcast.errors.audience" }] };
      const count = await deps.broadcasts.count(audience);
      const at = sendAtOf(ctx.data);
      return {
        say: [
          { key: "staff:broadcast.preview.text_vi", params: { text: str(ctx.data.text_vi) ?? "" } },
          ...(str(ctx.data.text_en) ? [{ key: "staff:broadcast.preview.text_en", params: { text: str(ctx.data.text_en)! } }] : []),
          ...audienceMsgs(audience),
          at ? { key: "staff:broadcast.preview.at", params: { count, at } } : { key: "staff:broadcast.preview.now", params: { count } },
        ],
      };
    }),
    staff_broadcast_create: staffEffect(deps.authorise, async (ctx): Promise<ActionResult> => {
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
    }),
    staff_broadcast_list: staffOnly(async () => {
      const recent = await deps.broadcasts.recent(10);
      if (recent.length === 0) return { say: [{ key: "staff:broadcast.list_empty" }] };
      return { say: [{ key: "staff:broadcast.list_title" }, ...recent.map(broadcastLine), { key: "staff:broadcast.list_help" }] };
    }),
    staff_broadcast_cancel: staffEffect(deps.authorise, async (ctx) => {
      const id = idArg(ctx.data);
      if (!id) return { say: [{ key: "staff:broadcast.cancel_usage" }] };
      return { say: [{ key: (await deps.broadcasts.cancel(id)) ? "staff:broadcast.cancelled" : "staff:broadcast.errors.not_cancellable", params: { id } }] };
    }),
    staff_broadcast_resend: staffEffect(deps.authorise, async (ctx): Promise<ActionResult> => {
      const id = idArg(ctx.data);
      if (!id) return { say: [{ key: "staff:broadcast.resend_usage" }] };
      const result = await deps.broadcasts.resend(id, userKey(ctx.user));
      if (!result.ok) return { say: [{ key: result.reason, params: { id } }] };
      const a = result.broadcast.audience;
      return { say: [{ key: "staff:broadcast.resent", params: { id, newId: result.broadcast._id, count: a.kind === "contacts" ? a.contacts.length : 0 } }] };
    }),
  };
}
