/**
 * Action handlers for the policy flows: the configured contact lines ("how to get support")
 * and the eligibility result. Pure apart from reading the flow's answers; contact details
 * come from configuration through the factory.
 */
import { bindActions, defineActions, type ActionResult, type ActionsOf } from "../engine/actions.js";
import { assessEligibility, parseEligibilityData } from "../domain/eligibility.js";
import { contactMessages, type ContactInfo } from "../domain/faq/contact-messages.js";

/** The policy actions (both only compute). */
export const POLICY_ACTIONS = defineActions({
  policy_contact: { readOnly: true },
  eligibility_result: { readOnly: true },
});

/** The registry `createPolicyActions` returns. */
export type PolicyActions = ActionsOf<typeof POLICY_ACTIONS>;

/** What the policy actions need: the department's contact details (config `CONTACT_*`, all optional). */
export interface PolicyActionDeps {
  contact: ContactInfo;
}

/**
 * `policy_contact` → says the configured contact lines (outcome `ok`).
 * `eligibility_result` → reads `data.in_province` / `data.sector` / `data.size`, says the result,
 * outcome `in_scope`, `out_of_scope` or `incomplete`; sets `vars.eligibility_sector`/`eligibility_size`
 * so the enterprise form can offer them.
 */
export function createPolicyActions(deps: PolicyActionDeps): PolicyActions {
  const contact = contactMessages(deps.contact);
  return bindActions(POLICY_ACTIONS, {
    policy_contact: async (): Promise<ActionResult> => ({ say: contact.map((m) => ({ ...m })) }),
    eligibility_result: async (ctx): Promise<ActionResult> => {
      const answers = parseEligibilityData(ctx.data);
      if (!answers.ok) {
        return { outcome: "incomplete", say: [{ key: answers.reason }], data: { in_province: null, sector: null, size: null } };
      }
      const result = assessEligibility(answers.value);
      if (!result.inScope) return { outcome: "out_of_scope", say: result.messages };
      const { sector, size } = answers.value.inProvince ? answers.value : { sector: null, size: null };
      return {
        outcome: "in_scope",
        say: result.messages,
        vars: { eligibility_sector: sector, eligibility_size: size },
      };
    },
  });
}
