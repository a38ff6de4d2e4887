import { bindActions, defineActions, type ActionsOf } from "../../engine/actions.js";
import { userKey } from "../../engine/messages.js";
import type { SubscriptionRepo } from "../../db/subscription-repo.js";
import type { StaffAccess } from "../staff-access.js";
import { staffEffect, str } from "./staff-only.js";

/** The staff-management and subscription actions. */
export const STAFF_ACTIONS = defineActions({
  staff_manage: { staff: "read" },
  subscribe: {},
  unsubscribe: {},
});

/** `/staff [add|remove] channel:id` and `/subscribe`, `/unsubscribe`. */
export function createStaffActions(deps: { access: StaffAccess; subscriptions: SubscriptionRepo }): ActionsOf<typeof STAFF_ACTIONS> {
  // Adding or removing staff is authorised against the stored list at this moment.
  const change = staffEffect((user) => deps.access.isStaffNow(user), async (ctx) => {
    const [verb, target] = (str(ctx.data.args) ?? "").split(/\s+/);
    if (!target) return { say: [{ key: "staff:staff.usage" }] };
    const me = userKey(ctx.user);
    const result = verb === "add" ? await deps.access.add(target, me) : await deps.access.remove(target, me);
    return { say: [{ key: `staff:staff.result.${result}`, params: { id: target } }] };
  });
  return bindActions(STAFF_ACTIONS, {
    staff_manage: async (ctx) => {
      const [verb] = (str(ctx.data.args) ?? "").split(/\s+/);
      if (verb === "add" || verb === "remove") return change(ctx);
      if (verb && verb !== "list") return { say: [{ key: "staff:staff.usage" }] };
      const list = await deps.access.list();
      return {
        say: [
          { key: "staff:staff.list", params: { configured: list.configured.join(", ") || "-", stored: list.stored.join(", ") || "-" } },
          { key: "staff:staff.usage" },
        ],
      };
    },
    subscribe: async (ctx) => {
      await deps.subscriptions.set(userKey(ctx.user), true);
      return { say: [{ key: "staff:subscription.subscribed" }] };
    },
    unsubscribe: async (ctx) => {
      await deps.subscriptions.set(userKey(ctx.user), false);
      return { say: [{ key: "staff:subscription.unsubscribed" }] };
    },
  });
}
