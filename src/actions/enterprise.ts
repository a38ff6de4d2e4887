/**
 * Actions of the enterprise form (`flows/enterprise.yaml`): record consent, spot a known tax
 * code, save the enterprise, or add/update the user as contact person of a known one.
 */
import { ENTERPRISE_ACTION_NAMES } from "./registration-names.js";
import { readOnly, type ActionHandler, type ActionRegistry, type ActionResult } from "../engine/actions.js";
import { userKey } from "../engine/messages.js";
import type { Database } from "../db/database.js";
import { createEnterprisesRepo } from "../db/enterprises-repo.js";
import { contactPersonSchema, enterpriseInputSchema } from "../domain/enterprise.js";
import { enterpriseSizeSchema, sectorIdSchema } from "../domain/sectors.js";


export { ENTERPRISE_ACTION_NAMES };

/** The registry `createEnterpriseActions` returns. */
export type EnterpriseActions = ActionRegistry & Readonly<Record<(typeof ENTERPRISE_ACTION_NAMES)[number], ActionHandler>>;

/** What the enterprise actions need. */
export interface EnterpriseActionDeps {
  db: Database;
}

const str = (v: unknown): string | null => (typeof v === "string" && v !== "" ? v : null);

/**
 * `record_consent` → `data.consent_at` = now (ISO). Flows call it right after an explicit yes.
 * `check_tax_code` → `known` (with `vars.known_enterprise_name`) when `data.tax_code` is registered, else `ok`.
 * `prefill_enterprise` → `prefilled` when the eligibility check just gave a sector and size
 *   (`vars.eligibility_*`, set by H2's `eligibility_result`): copies them into the form (shown
 *   in the summary, editable) and clears them; else `ok`.
 * `save_enterprise` → `ok`, `duplicate` (someone registered the code meanwhile) or `incomplete` (no consent/answers).
 * `update_enterprise_contact` → `ok`, `not_found` or `incomplete`: the user becomes (or is updated as) a contact person.
 */
export function createEnterpriseActions(deps: EnterpriseActionDeps): EnterpriseActions {
  const enterprises = createEnterprisesRepo(deps.db);

  const contactFrom = (ctx: Parameters<ActionHandler>[0]) =>
    contactPersonSchema.safeParse({
      contactId: userKey(ctx.user),
      name: str(ctx.data.contact_name),
      phone: str(ctx.data.phone),
      email: str(ctx.data.email),
      consentAt: str(ctx.data.consent_at),
    });

  return {
    record_consent: readOnly(async (ctx): Promise<ActionResult> => ({ data: { consent_at: ctx.now.toISOString() } })),

    check_tax_code: readOnly(async (ctx): Promise<ActionResult> => {
      const taxCode = str(ctx.data.tax_code);
      const known = taxCode ? await enterprises.findByTaxCode(taxCode) : null;
      return known ? { outcome: "known", vars: { known_enterprise_name: known.name } } : { outcome: "ok", vars: { known_enterprise_name: null } };
    }),

    prefill_enterprise: readOnly(async (ctx): Promise<ActionResult> => {
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
    }),

    save_enterprise: async (ctx): Promise<ActionResult> => {
      const contact = contactFrom(ctx);
      const input = enterpriseInputSchema.safeParse({
        name: str(ctx.data.enterprise_name),
        taxCode: str(ctx.data.tax_code),
        sector: str(ctx.data.sector),
        size: str(ctx.data.size),
        address: str(ctx.data.address),
        supportInterests: Array.isArray(ctx.data.support) ? ctx.data.support : [],
        contact: contact.success ? contact.data : null,
      });
      if (!input.success) return { outcome: "incomplete", say: [{ key: "enterprise:errors.incomplete" }] };
      const saved = await enterprises.create(input.data);
      if (!saved.ok) {
        const known = await enterprises.findByTaxCode(input.data.taxCode);
        return { outcome: "duplicate", vars: { known_enterprise_name: known?.name ?? input.data.name } };
      }
      return { outcome: "ok" };
    },

    update_enterprise_contact: async (ctx): Promise<ActionResult> => {
      const taxCode = str(ctx.data.tax_code);
      const contact = contactFrom(ctx);
      if (!taxCode || !contact.success) return { outcome: "incomplete", say: [{ key: "enterprise:errors.incomplete" }] };
      return (await enterprises.upsertContact(taxCode, contact.data)) ? { outcome: "ok" } : { outcome: "not_found" };
    },
  };
}
