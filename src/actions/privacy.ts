/**
 * Actions of `flows/privacy.yaml` (Law 91/2025/QH15, Decree 356/2025/NĐ-CP): show everything
 * stored about the user, erase it, or withdraw consent for one purpose (which stops what it
 * covered at once). The same erasure serves staff answering a request by phone or letter
 * (`src/admin/privacy-requests.ts`).
 */
import { bindActions, defineActions, type ActionChoice, type ActionContext, type ActionResult, type ActionsOf } from "../engine/actions.js";
import { userKey, type I18nKey, type Locale, type Msg } from "../engine/messages.js";
import { parseUserKey } from "../shared/user-key.js";
import { createConsentRepo } from "../db/consent-repo.js";
import { createCoursesRepo } from "../db/courses-repo.js";
import { createEnterprisesRepo } from "../db/enterprises-repo.js";
import { createRepresentationRepo } from "../db/representation-repo.js";
import { consentPurposeSchema, type ConsentPurpose } from "../domain/consent.js";
import { maskTaxId } from "../domain/personal-id.js";
import { formatVnMobile } from "../domain/phone.js";
import { courseTitle } from "./courses.js";
import { createRegistrationService, type RegistrationServiceDeps } from "./registration-service.js";
import { dataKey } from "../engine/msg-ref.js";


/** The privacy actions (show, erase, consents). */
export const PRIVACY_ACTIONS = defineActions({
  show_my_data: {},
  delete_my_data: {},
  list_consents: {},
  withdraw_consent: {},
});

/** The registry `createPrivacyActions` returns. */
export type PrivacyActions = ActionsOf<typeof PRIVACY_ACTIONS>;

/** What the privacy actions need; `label` renders an id's label (the i18n renderer) so the data reads well. */
export interface PrivacyActionDeps extends RegistrationServiceDeps {
  label: (msg: Msg, locale: Locale) => string;
  /** Forgets a user's stored conversation (the session store's `erase`). */
  sessions: { erase(key: string): Promise<void> };
}

/** What an erasure removed (counts only). */
export interface ErasureCounts {
  registrations: number;
  enterprises: number;
  requests: number;
}

/**
 * Everything stored about one person, and erasing it; used by the chat actions and the staff CLI.
 * `show` returns the messages of "show my data" (ids, no rendering); `erase` cancels and deletes
 * registrations (seats freed, waitlist promoted), removes the person as contact person (an
 * enterprise with no contact left is deleted), deletes their pending requests and consents, and
 * unsubscribes them from every announcement audience.
 */
export function createPersonalData(deps: PrivacyActionDeps) {
  const enterprises = createEnterprisesRepo(deps.db);
  const courses = createCoursesRepo(deps.db);
  const requests = createRepresentationRepo(deps.db);
  const consents = createConsentRepo(deps.db);
  const service = deps.service ?? createRegistrationService(deps);
  const { contact } = deps.db.models;

  async function show(me: string, locale: Locale): Promise<{ say: Msg[]; stored: boolean }> {
    const l = (key: I18nKey) => deps.label({ key }, locale);
    const empty = l("common:empty_value");
    const stored = await contact.findById(me, { channel: 1, locale: 1, subscribed: 1, createdAt: 1 }).lean();
    const say: Msg[] = [{ key: "privacy:show.header" }];
    say.push({
      key: "privacy:show.contact",
      params: { channel: parseUserKey(me)?.channel ?? "", account: me, language: l(`privacy:languages.${stored?.locale === "en" ? "en" : "vi"}`), subscribed: l(stored?.subscribed === false ? "common:no" : "common:yes") },
    });
    for (const c of await consents.list(me)) {
      say.push(c.withdrawnAt
        ? { key: "privacy:show.consent_withdrawn", params: { purpose: l(`privacy:purposes.${c.purpose}`), given_at: c.givenAt, withdrawn_at: c.withdrawnAt } }
        : { key: "privacy:show.consent_given", params: { purpose: l(`privacy:purposes.${c.purpose}`), given_at: c.givenAt } });
    }
    const mine = await enterprises.listForContact(me);
    for (const e of mine) {
      const person = e.contacts.find((c) => c.contactId === me);
      say.push({
        key: "privacy:show.enterprise",
        params: {
          name: e.name, tax_code: e.taxIdKind === "none" ? l("enterprise:tax_id.none_yet") : maskTaxId(e.taxCode), sector: l(dataKey(`policies:sectors.${e.sector}`)), size: l(dataKey(`policies:sizes.${e.size}`)), address: e.address,
          support: e.supportInterests.length > 0 ? e.supportInterests.map((g) => l(dataKey(`policies:groups.${g}`))).join("; ") : empty,
          contact_name: person?.name ?? empty, phone: person ? formatVnMobile(person.phone) : empty,
          email: person?.email ?? empty, consent_at: person?.consentAt ?? e.createdAt,
        },
      });
    }
    const waiting = await requests.ownOf(me);
    for (const r of waiting) {
      say.push({ key: "privacy:show.request", params: { tax_code: maskTaxId(r.taxCode), name: r.person.name, phone: formatVnMobile(r.person.phone), email: r.person.email ?? empty, created_at: r.createdAt } });
    }
    const regs = await service.repo.listForContact(me);
    const byId = await courses.findMany([...new Set(regs.map((r) => r.courseId))]);
    for (const r of regs) {
      const course = byId.get(r.courseId);
      const enterprise = r.enterprise?.kind === "tax_code" ? r.enterprise.taxCode : r.enterprise?.kind === "name" ? r.enterprise.name : empty;
      say.push({
        key: "privacy:show.registration",
        params: {
          title: course ? courseTitle(course, locale) : empty, status: l(`privacy:statuses.${r.status}`),
          name: r.fullName ?? empty, phone: r.phone ? formatVnMobile(r.phone) : empty,
          enterprise, job_title: r.jobTitle ?? empty, consent_at: r.consentAt,
        },
      });
    }
    const any = mine.length + regs.length + waiting.length > 0;
    if (!any) say.push({ key: "privacy:show.nothing_else" });
    return { say, stored: any };
  }

  async function eraseEnterpriseData(me: string): Promise<{ enterprises: number; requests: number }> {
    const { updated, deleted } = await enterprises.removeContact(me);
    return { enterprises: updated + deleted, requests: await requests.eraseFor(me) };
  }

  async function erase(me: string, now: Date): Promise<ErasureCounts> {
    // Unsubscribed first: a broadcast running now checks this before each send.
    await consents.erase(me);
    const registrations = await service.eraseForContact(me, now);
    const e = await eraseEnterpriseData(me);
    await deps.sessions.erase(me);
    return { registrations, ...e };
  }

  /** Withdraws one purpose and stops what it covered; counts of what was removed. */
  async function withdraw(me: string, purpose: ConsentPurpose, now: Date): Promise<ErasureCounts> {
    await consents.withdraw(me, purpose, now);
    if (purpose === "course_registration") return { registrations: await service.eraseForContact(me, now), enterprises: 0, requests: 0 };
    if (purpose === "enterprise_registration") return { registrations: 0, ...(await eraseEnterpriseData(me)) };
    return { registrations: 0, enterprises: 0, requests: 0 };
  }

  return { show, erase, withdraw, consents };
}

/**
 * `show_my_data` → says the contact record, consents, each enterprise the user is contact person
 *   of (a personal ID masked), pending requests and registrations (outcome `ok`, or `none`).
 * `delete_my_data` → erases everything (see `createPersonalData`); says what was removed.
 * `list_consents` → the purposes consented to now, as choices; `none` when there is none.
 * `withdraw_consent` → withdraws `data.consent_purpose` and stops what it covered; says so.
 */
export function createPrivacyActions(deps: PrivacyActionDeps): PrivacyActions {
  const data = createPersonalData(deps);

  return bindActions(PRIVACY_ACTIONS, {
    show_my_data: async (ctx) => {
      const { say, stored } = await data.show(userKey(ctx.user), ctx.locale);
      return { outcome: stored ? "ok" : "none", say };
    },
    delete_my_data: async (ctx: ActionContext): Promise<ActionResult> => {
      const counts = await data.erase(userKey(ctx.user), ctx.now);
      return { say: [{ key: "privacy:delete.done", params: { registrations: counts.registrations, enterprises: counts.enterprises } }] };
    },
    list_consents: async (ctx) => {
      const given = (await data.consents.list(userKey(ctx.user))).filter((c) => !c.withdrawnAt);
      // Announcements run on the subscription even without a stored yes (older contacts): offer it while subscribed.
      const subscribed = (await deps.db.models.contact.findById(userKey(ctx.user), { subscribed: 1 }).lean())?.subscribed !== false;
      const purposes = new Set(given.map((c) => c.purpose));
      if (subscribed) purposes.add("announcements");
      if (purposes.size === 0) return { outcome: "none", say: [{ key: "privacy:withdraw.none" }] };
      const choices: ActionChoice[] = [...purposes].map((p) => ({ id: p, label: { key: `privacy:purposes.${p}` } }));
      return { choices };
    },
    withdraw_consent: async (ctx) => {
      const purpose = consentPurposeSchema.safeParse(ctx.data.consent_purpose);
      if (!purpose.success) return { outcome: "invalid" };
      const counts = await data.withdraw(userKey(ctx.user), purpose.data, ctx.now);
      return { say: [{ key: `privacy:withdraw.done_${purpose.data}`, params: { ...counts } }] };
    },
  });
}
