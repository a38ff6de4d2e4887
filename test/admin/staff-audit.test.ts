/** Staff effects in chat are recorded after they run (who, action, outcome); reads and others' actions are not. */
import { describe, expect, it } from "vitest";
import { withStaffAudit } from "../../src/admin/staff-audit.js";
import type { StaffAuditEntry } from "../../src/db/console-repo.js";
import type { ActionContext } from "../../src/engine/actions.js";

const ctx = (data: Record<string, unknown> = {}): ActionContext => ({ user: { channel: "telegram", userId: "777" }, locale: "vi", data, vars: {}, now: new Date(), isStaff: true });

describe("withStaffAudit", () => {
  const defs = { close: { staff: "effect" as const }, list: { staff: "read" as const }, hello: {} };

  it("records each staff effect once, after it ran, with its outcome and course", async () => {
    const records: StaffAuditEntry[] = [];
    const order: string[] = [];
    const actions = withStaffAudit(
      { close: async () => (order.push("ran"), { outcome: "closed" }), list: async () => ({}), hello: async () => ({}) },
      { defs, record: async (e) => void (order.push("recorded"), records.push(e)), onError: () => undefined },
    );
    await actions.close!(ctx({ course_id: "c1" }));
    await actions.list!(ctx());
    await actions.hello!(ctx());
    expect(order).toEqual(["ran", "recorded"]);
    expect(records).toEqual([{ by: "telegram:777", via: "chat", action: "close", target: "c1", result: "closed" }]);
  });

  it("records nothing when the action fails, and a failed record does not undo the answer", async () => {
    const records: StaffAuditEntry[] = [];
    const errors: unknown[] = [];
    const failing = withStaffAudit({ close: async () => Promise.reject(new Error("db down")) }, { defs, record: async (e) => void records.push(e), onError: (e) => errors.push(e) });
    await expect(failing.close!(ctx())).rejects.toThrow("db down");
    expect(records).toEqual([]);
    const unrecorded = withStaffAudit({ close: async () => ({ outcome: "closed" }) }, { defs, record: () => Promise.reject(new Error("audit down")), onError: (e) => errors.push(e) });
    expect(await unrecorded.close!(ctx())).toEqual({ outcome: "closed" });
    expect(errors).toHaveLength(1);
  });
});
