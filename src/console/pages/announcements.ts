/**
 * Announcements (issue #17): the recent ones with status and counts; compose in Vietnamese and
 * English with a live preview of what readers get on each channel; the audience the chat's
 * `/broadcast` offers with its live count; send now or schedule; progress while it sends; the
 * report; resend to failed and in-doubt recipients; cancel a scheduled one. Everything goes
 * through the broadcast service the chat and the CLI use.
 */
import { fieldsOf } from "../../shared/guards.js";
import { randomBytes } from "node:crypto";
import { DateTime } from "luxon";
import type { FastifyReply, FastifyRequest } from "fastify";
import { audienceMsg, textStart } from "../../admin/actions/broadcast-actions.js";
import { channelDefinitions } from "../../channels/registry.js";
import type { BroadcastRecord } from "../../db/broadcasts-repo.js";
import { SECTOR_IDS } from "../../domain/sectors.js";
import { LOCALES, type Locale, type Msg } from "../../engine/messages.js";
import type { BroadcastText } from "../../jobs/audience.js";
import { channelPreview } from "../../jobs/broadcast-preview.js";
import { worthResending } from "../../jobs/broadcasts.js";
import { defineConsolePage } from "../define-page.js";
import { composeAudience, composeText, composeValues, readCompose, type ComposeErrors, type ComposeValues } from "./announcement-form.js";

/** The channels announcements reach, and so are previewed for (a capability of each channel's definition). */
const PREVIEW_CHANNELS = channelDefinitions.filter((d) => d.capabilities.announcements);
const ID = /^[a-z0-9]{1,16}$/;
/** A compose form's one-time id: a second submission of the same form (double click, back and resend) creates nothing. */
const FORM_ID = /^[\w-]{16,64}$/;

type Req = FastifyRequest<{ Params: { id: string } }>;

/** The announcements page. */
export const announcementsPage = defineConsolePage({
  id: "announcements",
  path: "/console/announcements",
  nav: "console-announcements:nav",
  routes(scope, ctx) {
    const service = ctx.services.staff.broadcasts;
    const frame = (title = "console-announcements:title") => ({ nav: "announcements", title });
    const localeOf = (request: FastifyRequest): Locale => ctx.user(request).locale;
    const say = (msg: Msg, locale: Locale) => ctx.render(msg, locale);

    /** Audience descriptions for a list of broadcasts, courses named by their title in the staff member's language. */
    async function audienceLabels(list: readonly BroadcastRecord[], locale: Locale): Promise<Map<string, string>> {
      const ids = list.flatMap((b) => (b.audience.kind === "course" ? [b.audience.courseId] : []));
      const found = await ctx.services.repos.courses.findMany([...new Set(ids)]);
      const titles = new Map([...found].map(([id, c]) => [id, locale === "en" ? (c.title.en ?? c.title.vi) : c.title.vi]));
      return new Map(list.map((b) => [b._id, say(audienceMsg(b.audience, titles), locale)]));
    }

    /** What each reader gets on each channel, or null before there is a Vietnamese text. */
    const previews = (text: BroadcastText | null) =>
      text ? LOCALES.map((locale) => ({ locale, channels: PREVIEW_CHANNELS.map((d) => channelPreview(d.name, service.preview(text, locale), d.capabilities)) })) : null;

    /** The live count, or the message saying what is missing from the audience. */
    async function countOf(values: ComposeValues): Promise<{ count: number | null; error: Msg | null }> {
      const audience = composeAudience(values);
      return audience.ok ? { count: await service.count(audience.audience), error: null } : { count: null, error: audience.error };
    }

    async function composePage(request: FastifyRequest, reply: FastifyReply, values: ComposeValues, errors: ComposeErrors, status = 200, formId?: string) {
      const courses = (await ctx.services.staff.courses.list(20)).filter((c) => c.status !== "cancelled");
      return ctx.page(request, reply, "announcements/compose", frame("console-announcements:compose.title"), {
        values,
        formId: FORM_ID.test(formId ?? "") ? formId : randomBytes(16).toString("base64url"),
        errors,
        sectors: SECTOR_IDS,
        courses,
        // The picker's floor, as its own wall-time format; the server checks the time again.
        minSendAt: DateTime.fromJSDate(ctx.now(), { zone: ctx.timeZone }).toFormat("yyyy-MM-dd'T'HH:mm"),
      }, { status });
    }

    async function detailData(b: BroadcastRecord, locale: Locale) {
      const progress = await service.progress(b._id);
      const counts = progress?.counts;
      const answered = counts ? counts.sent + counts.failed + counts.unreachable : 0;
      const atNow = ctx.now().getTime();
      // Poll while it runs, and while a "now" one waits for the queue to pick it up.
      const polling = b.status === "sending" || (b.status === "scheduled" && b.sendAt.getTime() <= atNow + 2_000);
      return { b: progress?.broadcast ?? b, counts, answered, polling, resendable: b.status === "done" && worthResending(b.counts), audienceLabel: (await audienceLabels([b], locale)).get(b._id) ?? "" };
    }

    const notFound = (request: Req, reply: FastifyReply) =>
      ctx.page(request, reply, "announcements/message", frame(), { message: "console-announcements:errors.not_found", params: { id: request.params.id } }, { status: 404 });

    scope.get("/console/announcements", async (request, reply) => {
      const locale = localeOf(request);
      const recent = await service.recent(30);
      const labels = await audienceLabels(recent, locale);
      const rows = recent.map((b) => ({ b, audience: labels.get(b._id) ?? "", text: textStart(b.text.vi, 80) }));
      return ctx.page(request, reply, "announcements/list", frame(), { rows });
    });

    scope.get("/console/announcements/new", async (request, reply) => composePage(request, reply, composeValues({}), {}));

    // Live parts of the compose form: reads only.
    scope.get("/console/announcements/preview", async (request, reply) => {
      const values = composeValues(fieldsOf(request.query));
      return ctx.page(request, reply, "announcements/preview", frame(), { previews: previews(composeText(values)) }, { fragment: true });
    });
    scope.get("/console/announcements/count", async (request, reply) => {
      const values = composeValues(fieldsOf(request.query));
      return ctx.page(request, reply, "announcements/count", frame(), { counted: await countOf(values) }, { fragment: true });
    });

    scope.post("/console/announcements", { config: { audit: "announcement.create" } }, async (request, reply) => {
      const body = fieldsOf(request.body);
      const values = composeValues(body);
      const formId = typeof body.form_id === "string" && FORM_ID.test(body.form_id) ? body.form_id : undefined;
      const read = readCompose(values, ctx.now(), ctx.timeZone);
      if (!read.ok) return composePage(request, reply, values, read.errors, 422, formId);
      // Claimed under the claims' unique index: of two submissions of one form, only one creates.
      if (formId && !(await ctx.services.repos.claims.claimOnce(`console-announcement/${formId}`, ctx.now()))) return reply.redirect("/console/announcements", 303);
      const created = await service.create({ ...read.value, createdBy: ctx.user(request).staffKey });
      if (!created.ok) return composePage(request, reply, values, { audience: { key: created.reason } }, 422);
      return reply.redirect(`/console/announcements/${created.broadcast._id}`, 303);
    });

    scope.get<{ Params: { id: string } }>("/console/announcements/:id", async (request, reply) => {
      const b = ID.test(request.params.id) ? await service.get(request.params.id) : null;
      if (!b) return notFound(request, reply);
      return ctx.page(request, reply, "announcements/detail", frame(), await detailData(b, localeOf(request)));
    });
    scope.get<{ Params: { id: string } }>("/console/announcements/:id/status", async (request, reply) => {
      const b = ID.test(request.params.id) ? await service.get(request.params.id) : null;
      if (!b) return notFound(request, reply);
      return ctx.page(request, reply, "announcements/detail", frame(), { ...(await detailData(b, localeOf(request))), only: request.headers["hx-request"] === "true" }, { fragment: true });
    });

    scope.post<{ Params: { id: string } }>("/console/announcements/:id/cancel", { config: { audit: "announcement.cancel" } }, async (request, reply) => {
      const id = request.params.id;
      if (!ID.test(id) || !(await service.get(id))) return notFound(request, reply);
      if (!(await service.cancel(id))) return ctx.page(request, reply, "announcements/message", frame(), { message: "staff:broadcast.errors.not_cancellable", params: { id }, back: `/console/announcements/${id}` }, { status: 409 });
      return reply.redirect(`/console/announcements/${id}`, 303);
    });
    scope.post<{ Params: { id: string } }>("/console/announcements/:id/resend", { config: { audit: "announcement.resend" } }, async (request, reply) => {
      const id = request.params.id;
      if (!ID.test(id) || !(await service.get(id))) return notFound(request, reply);
      const result = await service.resend(id, ctx.user(request).staffKey);
      if (!result.ok) return ctx.page(request, reply, "announcements/message", frame(), { message: result.reason, params: { id }, back: `/console/announcements/${id}` }, { status: 409 });
      return reply.redirect(`/console/announcements/${result.broadcast._id}`, 303);
    });
  },
});
