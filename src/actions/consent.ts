/**
 * Consent steps shared by the forms: `consent_<form>_check` skips the notice when this purpose
 * was consented to before (asked once, remembered), `record_consent_<form>` stores the yes with
 * its time. Both set `data.consent_at`, which every stored record carries.
 */
import { randomUUID } from "node:crypto";
import type { ActionFn, ActionResult } from "../engine/actions.js";
import { userKey } from "../engine/messages.js";
import { createConsentRepo } from "../db/consent-repo.js";
import type { Database } from "../db/database.js";
import type { ConsentPurpose } from "../domain/consent.js";
import { DEFAULT_RETENTION, type RetentionPolicy } from "../domain/retention.js";

/**
 * The two handlers of one form's purpose. The check's outcome is `given` (skip the notice) or
 * `ask`; it sets `vars.retention_months` and `vars.retention_days` for the notice text. The check
 * only reads (its definition says `readOnly`).
 */
export function consentActions(db: Database, purpose: ConsentPurpose, retention: RetentionPolicy = DEFAULT_RETENTION): { check: ActionFn; record: ActionFn } {
  const consents = createConsentRepo(db);
  const months = purpose === "course_registration" ? retention.courseMonths : retention.enterpriseMonths;
  return {
    check: async (ctx): Promise<ActionResult> => {
      const vars = { retention_months: months, retention_days: retention.requestDays };
      const given = await consents.givenAt(userKey(ctx.user), purpose);
      // form_id: this filling-in of the form, so a replayed submission is told from a new one.
      return given ? { outcome: "given", data: { consent_at: given.toISOString(), form_id: randomUUID() }, vars } : { outcome: "ask", vars };
    },
    record: async (ctx): Promise<ActionResult> => {
      await consents.give(userKey(ctx.user), purpose, ctx.now);
      return { data: { consent_at: ctx.now.toISOString(), form_id: randomUUID() } };
    },
  };
}
