/**
 * The compose form of the announcements page, read into a broadcast draft with the chat's own
 * rules: the texts through the `/broadcast` flow's validator, the audience through the same
 * answers-to-audience mapping, the time as a `datetime-local` wall time in the office's zone.
 */
import { audienceFromAnswers } from "../../admin/actions/broadcast-actions.js";
import { parseWhen } from "../../admin/when.js";
import { parseAnnouncement } from "../../domain/course-answers.js";
import type { Msg } from "../../engine/messages.js";
import type { Audience, BroadcastText } from "../../jobs/audience.js";

/** The form's fields as typed (kept to re-render the form in place). */
export interface ComposeValues {
  text_vi: string;
  text_en: string;
  audience_kind: string;
  sector: string;
  course_id: string;
  when: "now" | "later";
  send_at: string;
}

/** One localized message per field that is wrong. */
export type ComposeErrors = Partial<Record<"text_vi" | "text_en" | "audience" | "send_at", Msg>>;

/** What a valid form asks for. */
export interface ComposedBroadcast {
  text: BroadcastText;
  audience: Audience;
  sendAt?: Date;
}

const field = (body: Record<string, unknown>, name: string) => (typeof body[name] === "string" ? body[name] : "");

/** The typed values of a submitted (or queried) form, with defaults. */
export function composeValues(body: Record<string, unknown> | undefined): ComposeValues {
  const b = body ?? {};
  return {
    text_vi: field(b, "text_vi"),
    text_en: field(b, "text_en"),
    audience_kind: field(b, "audience_kind") || "all",
    sector: field(b, "sector"),
    course_id: field(b, "course_id"),
    when: field(b, "when") === "later" ? "later" : "now",
    send_at: field(b, "send_at"),
  };
}

/** The audience the values describe, or the message saying what is missing. */
export function composeAudience(v: ComposeValues): { ok: true; audience: Audience } | { ok: false; error: Msg } {
  if (v.audience_kind === "sector" && !v.sector) return { ok: false, error: { key: "console-announcements:errors.sector_missing" } };
  if (v.audience_kind === "course" && !v.course_id) return { ok: false, error: { key: "console-announcements:errors.course_missing" } };
  const audience = audienceFromAnswers({ ...v });
  return audience ? { ok: true, audience } : { ok: false, error: { key: "staff:broadcast.errors.audience" } };
}

/** The text the values carry, cleaned as the chat cleans it, or nothing while the Vietnamese text is empty (previews). */
export function composeText(v: Pick<ComposeValues, "text_vi" | "text_en">): BroadcastText | null {
  const vi = parseAnnouncement(v.text_vi);
  if (!vi.ok) return null;
  const en = parseAnnouncement(v.text_en);
  return { vi: vi.value, ...(en.ok ? { en: en.value } : {}) };
}

/** Reads the form: the broadcast it asks for, or the errors to show in place. `now` decides what is "in the future". */
export function readCompose(v: ComposeValues, now: Date, timeZone: string): { ok: true; value: ComposedBroadcast } | { ok: false; errors: ComposeErrors } {
  const errors: ComposeErrors = {};
  const vi = parseAnnouncement(v.text_vi);
  if (!vi.ok) errors.text_vi = { key: vi.reason, ...(vi.params ? { params: vi.params } : {}) };
  const en = v.text_en.trim() === "" ? null : parseAnnouncement(v.text_en);
  if (en && !en.ok) errors.text_en = { key: en.reason, ...(en.params ? { params: en.params } : {}) };
  const audience = composeAudience(v);
  if (!audience.ok) errors.audience = audience.error;
  let sendAt: Date | undefined;
  if (v.when === "later") {
    const when = v.send_at.trim() === "" ? undefined : parseWhen(v.send_at, timeZone);
    if (when === undefined) errors.send_at = { key: "console-announcements:errors.send_at_missing" };
    else if (!when) errors.send_at = { key: "console-announcements:errors.send_at_invalid" };
    else if (when.getTime() <= now.getTime()) errors.send_at = { key: "console-announcements:errors.send_at_past" };
    else sendAt = when;
  }
  if (!vi.ok || (en && !en.ok) || !audience.ok || Object.keys(errors).length > 0) return { ok: false, errors };
  return { ok: true, value: { text: { vi: vi.value, ...(en?.ok ? { en: en.value } : {}) }, audience: audience.audience, ...(sendAt ? { sendAt } : {}) } };
}
