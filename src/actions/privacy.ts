/**
 * Actions of `flows/privacy.yaml` (Decree 13/2023/NĐ-CP): show everything stored about the
 * user, and erase it (also when consent is withdrawn).
 */
import { PRIVACY_ACTION_NAMES } from "./registration-names.js";
import type { ActionContext, ActionHandler, ActionRegistry, ActionResult } from "../engine/actions.js";
import { userKey, type Locale, type Msg } from "../engine/messages.js";
import { createCoursesRepo } from "../db/courses-repo.js";
import { createEnterprisesRepo } from "../db/enterprises-repo.js";
import { formatVnMobile } from "../domain/phone.js";
import { courseTitle } from "./courses.js";
import { createRegistrationService, type RegistrationServiceDeps } from "./registration-service.js";


export { PRIVACY_ACTION_NAMES };

/** The registry `createPrivacyActions` returns. */
export type PrivacyActions = ActionRegistry & Readonly<Record<(typeof PRIVACY_ACTION_NAMES)[number], ActionHandler>>;

/** What the privacy actions need; `label` renders an id's label (the i18n renderer) so the data reads well. */
export interface PrivacyActionDeps extends RegistrationServiceDeps {
  label: (msg: Msg, locale: Locale) => string;
  /** Forgets a user's stored conversation (the session store's `erase`). */
  sessions: { erase(key: string): Promise<void> };
}

/**
 * `show_my_data` → says the contact record, each enterprise the user is contact person of and
 *   each registration (outcome `ok`, or `none` when nothing but the chat contact is stored).
 * `delete_my_data` / `withdraw_consent` → cancels the user's registrations (seats freed, waitlist
 *   promoted), deletes them, removes the user as contact person (an enterprise with no contact
 *   left is deleted) and clears the stored conversation; says what was removed (outcome `ok`).
 */
export function createPrivacyActions(deps: PrivacyActionDeps): PrivacyActions {
  const enterprises = createEnterprisesRepo(deps.db);
  const courses = createCoursesRepo(deps.db);
  const service = createRegistrationService(deps);
  const { contact } = deps.db.models;
  const empty = (locale: Locale) => deps.label({ key: "common:empty_value" }, locale);

  async function show(ctx: ActionContext): Promise<ActionResult> {
    const me = userKey(ctx.user);
    const l = (key: string) => deps.label({ key }, ctx.locale);
    const stored = await contact.findById(me, { channel: 1, locale: 1, subscribed: 1, createdAt: 1 }).lean();
    const say: Msg[] = [{ key: "privacy:show.header" }];
    say.push({
      key: "privacy:show.contact",
      params: { channel: ctx.user.channel, account: me, language: l(`privacy:languages.${stored?.locale === "en" ? "en" : "vi"}`), subscribed: l(stored?.subscribed === false ? "common:no" : "common:yes") },
    });
    const mine = await enterprises.listForContact(me);
    for (const e of mine) {
      const person = e.contacts.find((c) => c.contactId === me);
      say.push({
        key: "privacy:show.enterprise",
        params: {
          name: e.name, tax_code: e.taxCode, sector: l(`policies:sectors.${e.sector}`), size: l(`policies:sizes.${e.size}`), address: e.address,
          support: e.supportInterests.length > 0 ? e.supportInterests.map((g) => l(`policies:groups.${g}`)).join("; ") : empty(ctx.locale),
          contact_name: person?.name ?? empty(ctx.locale), phone: person ? formatVnMobile(person.phone) : empty(ctx.locale),
          email: person?.email ?? empty(ctx.locale), consent_at: person?.consentAt ?? e.createdAt,
        },
      });
    }
    const regs = await service.repo.listForContact(me);
    const byId = await courses.findMany([...new Set(regs.map((r) => r.courseId))]);
    for (const r of regs) {
      const course = byId.get(r.courseId);
      const enterprise = r.enterprise?.kind === "tax_code" ? r.enterprise.taxCode : r.enterprise?.kind === "name" ? r.enterprise.name : empty(ctx.locale);
      say.push({
        key: "privacy:show.registration",
        params: {
          title: course ? courseTitle(course, ctx.locale) : empty(ctx.locale), status: l(`privacy:statuses.${r.status}`),
          name: r.fullName ?? empty(ctx.locale), phone: r.phone ? formatVnMobile(r.phone) : empty(ctx.locale),
          enterprise, job_title: r.jobTitle ?? empty(ctx.locale), consent_at: r.consentAt,
        },
      });
    }
    if (mine.length === 0 && regs.length === 0) say.push({ key: "privacy:show.nothing_else" });
    return { outcome: mine.length === 0 && regs.length === 0 ? "none" : "ok", say };
  }

  async function erase(ctx: ActionContext, doneKey: string): Promise<ActionResult> {
    const me = userKey(ctx.user);
    const registrations = await service.eraseForContact(me, ctx.now);
    const { updated, deleted } = await enterprises.removeContact(me);
    // The half-filled answers of any earlier form; the runner writes this flow's (empty) session next.
    await deps.sessions.erase(me);
    return { say: [{ key: doneKey, params: { registrations, enterprises: updated + deleted } }] };
  }

  return {
    show_my_data: show,
    delete_my_data: (ctx) => erase(ctx, "privacy:delete.done"),
    withdraw_consent: (ctx) => erase(ctx, "privacy:withdraw.done"),
  };
}
