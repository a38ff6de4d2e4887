/**
 * The staff audit trail for chat: every staff action that changes something (`staff: "effect"`
 * in its definition) is recorded once it has run — who, which action, its outcome, when — in the
 * same `staff_audit` collection the console writes. Nothing a person typed is recorded.
 */
import type { ActionDefs, ActionHandler, ActionRegistry } from "../engine/actions.js";
import { userKey } from "../engine/messages.js";
import type { StaffAuditEntry } from "../db/console-repo.js";

/** What the wrapper needs. */
export interface StaffAuditDeps {
  defs: ActionDefs;
  record: (entry: StaffAuditEntry) => Promise<void>;
  /** A failed record is reported here; the action has already happened and its answer stands. */
  onError: (error: unknown) => void;
}

/** The registry with each staff effect recorded after it runs; the others unchanged. */
export function withStaffAudit(actions: ActionRegistry, deps: StaffAuditDeps): ActionRegistry {
  const out: Record<string, ActionHandler> = {};
  for (const [name, handler] of Object.entries(actions)) {
    if (deps.defs[name]?.staff !== "effect") {
      out[name] = handler;
      continue;
    }
    out[name] = async (ctx) => {
      const result = await handler(ctx);
      const target = typeof ctx.data.course_id === "string" ? ctx.data.course_id : null;
      await deps.record({ by: userKey(ctx.user), via: "chat", action: name, target, result: result.outcome ?? "ok" }).catch(deps.onError);
      return result;
    };
  }
  return out;
}
