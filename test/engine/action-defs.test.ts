import { describe, expect, it } from "vitest";
import { bindActions, collectActions, defineActions, NotStaffError, type ActionContext } from "../../src/engine/actions.js";

const ctx = (isStaff: boolean): ActionContext => ({ user: { channel: "telegram", userId: "1" }, locale: "vi", data: {}, vars: {}, now: new Date(0), isStaff });
const DEFS = defineActions({ look: { readOnly: true }, peek: { staff: "read" }, change: { staff: "effect" }, plain: {} });

describe("action definitions", () => {
  const ran: string[] = [];
  const handlers = {
    look: async () => (ran.push("look"), {}),
    peek: async () => (ran.push("peek"), {}),
    change: async () => (ran.push("change"), {}),
    plain: async () => (ran.push("plain"), {}),
  };

  it("marks read-only handlers from the definition and nothing else", () => {
    const bound = bindActions(DEFS, handlers, { authorise: async () => true });
    expect(bound.look.readOnly).toBe(true);
    expect(bound.plain.readOnly).toBeUndefined();
    expect(bound.change.readOnly).toBeUndefined();
  });

  it("refuses staff actions to non-staff, and a staff effect to someone the stored list no longer has", async () => {
    let stillStaff = true;
    const bound = bindActions(DEFS, handlers, { authorise: async () => stillStaff });
    ran.length = 0;
    await expect(bound.peek(ctx(false))).rejects.toBeInstanceOf(NotStaffError);
    await expect(bound.change(ctx(false))).rejects.toBeInstanceOf(NotStaffError);
    await bound.peek(ctx(true));
    await bound.change(ctx(true));
    stillStaff = false;
    await expect(bound.change(ctx(true))).rejects.toBeInstanceOf(NotStaffError);
    await bound.plain(ctx(false));
    expect(ran).toEqual(["peek", "change", "plain"]);
  });

  it("refuses to bind a staff effect without a way to authorise it", () => {
    expect(() => bindActions(DEFS, handlers)).toThrow(/authorise/);
  });

  it("refuses a name defined by two modules", () => {
    expect(() => collectActions({ a: {} }, { b: {} }, { a: { readOnly: true } })).toThrow(/a is defined twice/);
    expect(Object.keys(collectActions({ a: {} }, { b: {} }))).toEqual(["a", "b"]);
  });
});
