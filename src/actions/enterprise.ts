/**
 * Actions of the enterprise form (`flows/enterprise.yaml`) and of representation requests
 * (`flows/requests.yaml`). Knowing a tax code reveals nothing: whether it is registered, and what
 * is stored, is shown only to its confirmed contacts (and staff); anyone else fills the form as
 * for a new enterprise and, if the code is taken, their details become a pending request.
 */
import { Types } from "mongoose";
import { consentActions } from "./consent.js";
import { userRefOfKey } from "../shared/user-key.js";
import { createRepresentationService } from "./representation-service.js";
import { bindActions, defineActions, type ActionChoice, type ActionContext, type ActionFn, type ActionResult, type ActionsOf } from "../engine/actions.js";
import { userKey, type Msg, type Notifier } from "../engine/messages.js";
import type { Database } from "../db/database.js";
import { createEnterprisesRepo } from "../db/enterprises-repo.js";
import { contactPersonSchema, enterpriseDetailsSchema, enterpriseInputSchema } from "../domain/enterprise.js";
import { maskTaxId, NO_TAX_ID_PREFIX } from "../domain/personal-id.js";
import { formatVnMobile } from "../domain/phone.js";
import type { RetentionPolicy } from "../domain/retention.js";
import { enterpriseSizeSchema, sectorIdSchema } from "../domain/sectors.js";
import type { Logger } from "../shared/logger.js";

/** The enterprise-form and representation-request actions. */
export const ENTERPRISE_ACTIONS = defineActions({
  record_consent: { readOnly: true },
  consent_enterprise_check: { readOnly: true },
  record_consent_enterprise: {},
  check_tax_code: { readOnly: true },
  no_tax_id: { readOnly: true },
  prefill_enterprise: { readOnly: true },
  save_enterprise: {},
  list_representation_requests: { readOnly: true },
  show_representation_request: { readOnly: true },
  approve_representation: {},
  decline_representation: {},
});

/** The registry `createEnterpriseActions` returns. */
export type EnterpriseActions = ActionsOf<typeof ENTERPRISE_ACTIONS>;

/** What the enterprise actions need; `notifier` tells contacts and requesters (optional in tests). */
export interface EnterpriseActionDeps {
  db: Database;
  notifier?: Notifier | undefined;
  log?: Logger | undefined;
  retention?: RetentionPolicy | undefined;
}

const str = (v: unknown): string | null => (typeof v === "string" && v !== "" ? v : null);

/**
 * `consent_enterprise_check` / `record_consent_enterprise` → see `consent.ts` (purpose enterprise_registration).
 * `record_consent` → `data.consent_at` = now (kept for flows not yet moved to a purpose).
 * `check_tax_code` → `mine` when the user is a confirmed contact of `data.tax_code` (the stored
 *   details are loaded into the form to review and change), else `ok` — also for a code someone
 *   else registered, so the answer tells nothing. Sets `vars.tax_id_display` (a personal ID masked).
 * `no_tax_id` → the enterprise has no tax code yet: clears `data.tax_code`.
 * `prefill_enterprise` → `prefilled` when the eligibility check just gave a sector and size, else `ok`.
 * `save_enterprise` → `ok` (registered), `updated` (a confirmed contact changed its details; the
 *   other contacts are told), `pending` (the code is someone else's: a request now waits for a
 *   contact or staff) or `incomplete`.
 * `list_representation_requests` → the requests the user may decide as choices; `none`.
 * `show_representation_request` → says who asks for which enterprise; `not_found`.
 * `approve_representation` / `decline_representation` → says the result.
 */
export function createEnterpriseActions(deps: EnterpriseActionDeps): EnterpriseActions {
  const enterprises = createEnterprisesRepo(deps.db);
  const representation = createRepresentationService(deps);
  const consent = consentActions(deps.db, "enterprise_registration", deps.retention);

  const contactFrom = (ctx: ActionContext) =>
    contactPersonSchema.safeParse({
      contactId: userKey(ctx.user),
      name: str(ctx.data.contact_name),
      phone: str(ctx.data.phone),
      email: str(ctx.data.email),
      consentAt: str(ctx.data.consent_at),
    });

  const display = (taxCode: string | null) => (taxCode ? maskTaxId(taxCode) : null);

  async function checkTaxCode(ctx: ActionContext): Promise<ActionResult> {
    const taxCode = str(ctx.data.tax_code);
    const vars = { tax_id_display: display(taxCode) };
    const me = userKey(ctx.user);
    if (!taxCode || !(await enterprises.isContact(taxCode, me))) return { outcome: "ok", vars };
    const e = (await enterprises.findByTaxCode(taxCode))!;
    const person = e.contacts.find((c) => c.contactId === me);
    return {
      outcome: "mine",
      vars,
      data: {
        enterprise_name: e.name, sector: e.sector, size: e.size, address: e.address, support: e.supportInterests,
        ...(person ? { contact_name: person.name, phone: person.phone, email: person.email } : {}),
      },
      say: [{ key: "enterprise:mine.loaded", params: { name: e.name } }],
    };
  }

  async function save(ctx: ActionContext): Promise<ActionResult> {
    const contact = contactFrom(ctx);
    const typed = str(ctx.data.tax_code);
    const input = enterpriseInputSchema.safeParse({
      name: str(ctx.data.enterprise_name),
      taxCode: typed ?? `${NO_TAX_ID_PREFIX}${new Types.ObjectId().toHexString()}`,
      sector: str(ctx.data.sector),
      size: str(ctx.data.size),
      address: str(ctx.data.address),
      supportInterests: Array.isArray(ctx.data.support) ? ctx.data.support : [],
      contact: contact.success ? contact.data : null,
    });
    if (!input.success) return { outcome: "incomplete", say: [{ key: "enterprise:errors.incomplete" }] };
    const { taxCode, contact: person } = input.data;
    const me = person.contactId;
    // Most saves register a new enterprise: try that first (the insert is the claim), and only
    // when the code is taken ask whether this person speaks for it.
    if ((await enterprises.create(input.data)).ok) return { outcome: "ok" };
    if (await enterprises.isContact(taxCode, me)) {
      const details = enterpriseDetailsSchema.parse(input.data);
      await enterprises.updateDetails(taxCode, details);
      await enterprises.upsertContact(taxCode, person);
      const others = (await enterprises.contactIdsOf(taxCode)).filter((c) => c !== me);
      const notice: Msg = { key: "enterprise:notices.details_updated", params: { name: details.name, tax_code: maskTaxId(taxCode), by: person.name } };
      for (const c of others) await deps.notifier?.notify(userRefOfKey(c), [notice]).catch(() => undefined);
      return { outcome: "updated", say: [{ key: "enterprise:mine.updated", params: { name: details.name } }] };
    }
    await representation.request(taxCode, person, ctx.now);
    return { outcome: "pending", say: [{ key: "enterprise:request.pending", params: { tax_code: maskTaxId(taxCode) } }] };
  }

  const decide = (decision: "approve" | "decline"): ActionFn => async (ctx) => {
    const id = str(ctx.data.request_id);
    const outcome = id ? await representation.decide(id, decision, { key: userKey(ctx.user), staff: ctx.isStaff }, ctx.now) : "not_found";
    return { say: [{ key: `enterprise:requests.result.${outcome}` }] };
  };

  return bindActions(ENTERPRISE_ACTIONS, {
    record_consent: async (ctx): Promise<ActionResult> => ({ data: { consent_at: ctx.now.toISOString() } }),
    consent_enterprise_check: consent.check,
    record_consent_enterprise: consent.record,
    check_tax_code: checkTaxCode,
    no_tax_id: async (): Promise<ActionResult> => ({ data: { tax_code: null }, vars: { tax_id_display: null } }),

    prefill_enterprise: async (ctx): Promise<ActionResult> => {
      const sector = sectorIdSchema.safeParse(ctx.vars.eligibility_sector);
      const size = enterpriseSizeSchema.safeParse(ctx.vars.eligibility_size);
      if (!sector.success || !size.success) return { outcome: "ok" };
      return {
        outcome: "prefilled",
        data: { sector: sector.data, size: size.data },
        // Used once: a later registration in the same session asks again.
        vars: { eligibility_sector: null, eligibility_size: null },
        say: [{ key: "enterprise:prefilled", params: { sector: sector.data, size: size.data } }],
      };
    },

    save_enterprise: save,

    list_representation_requests: async (ctx): Promise<ActionResult> => {
      const list = await representation.repo.decidableBy(userKey(ctx.user), ctx.isStaff);
      if (list.length === 0) return { outcome: "none" };
      const choices: ActionChoice[] = [];
      for (const r of list) choices.push({ id: r.id, label: { key: "enterprise:requests.item", params: await representation.describe(r) } });
      return { choices, say: [{ key: "enterprise:requests.header", params: { total: list.length } }] };
    },
    show_representation_request: async (ctx): Promise<ActionResult> => {
      const id = str(ctx.data.request_id);
      const r = id ? await representation.repo.byId(id) : null;
      const me = userKey(ctx.user);
      if (!r || !(ctx.isStaff || (await representation.repo.mayDecide(r, me)))) return { outcome: "not_found", say: [{ key: "enterprise:requests.result.not_found" }] };
      const params = await representation.describe(r);
      return { say: [{ key: "enterprise:requests.details", params: { ...params, phone: formatVnMobile(r.person.phone), email: r.person.email ?? "-" } }] };
    },
    approve_representation: decide("approve"),
    decline_representation: decide("decline"),
  });
}
