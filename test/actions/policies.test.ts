import { describe, expect, it } from "vitest";
import type { ActionContext } from "../../src/engine/actions.js";
import { createPolicyActions } from "../../src/actions/policies.js";

const ctx = (data: Record<string, unknown> = {}): ActionContext => ({
  user: { channel: "terminal", userId: "u1" },
  locale: "vi",
  data,
  vars: {},
  now: new Date("2026-01-01T00:00:00Z"),
  isStaff: false,
});

describe("policy_contact", () => {
  it("shows only the contact details that are set", async () => {
    const { policy_contact } = createPolicyActions({
      contact: { office: "Sở KHCN", phone: " ", email: undefined, website: "https://example.invalid" },
    });
    const result = await policy_contact(ctx());
    expect(result.outcome).toBeUndefined();
    expect(result.say).toEqual([
      { key: "policies:contact.office", params: { office: "Sở KHCN" } },
      { key: "policies:contact.website", params: { website: "https://example.invalid" } },
    ]);
  });

  it("shows all four in a fixed order", async () => {
    const { policy_contact } = createPolicyActions({ contact: { website: "w", email: "e", phone: "p", office: "o" } });
    expect((await policy_contact(ctx())).say?.map((m) => m.key)).toEqual([
      "policies:contact.office",
      "policies:contact.phone",
      "policies:contact.email",
      "policies:contact.website",
    ]);
  });

  it("points to registration in the bot when nothing is configured", async () => {
    const { policy_contact } = createPolicyActions({ contact: {} });
    expect((await policy_contact(ctx())).say).toEqual([{ key: "policies:contact.none" }]);
  });
});

describe("eligibility_result", () => {
  const { eligibility_result } = createPolicyActions({ contact: {} });

  it("answers in scope with priority and remembers sector and size for the enterprise form", async () => {
    const result = await eligibility_result(ctx({ in_province: "inside", sector: "services_tourism", size: "small" }));
    expect(result.outcome).toBe("in_scope");
    expect(result.say?.map((m) => m.key)).toContain("policies:eligibility.result.priority");
    expect(result.vars).toEqual({ eligibility_sector: "services_tourism", eligibility_size: "small" });
  });

  it("answers out of scope outside the province", async () => {
    const result = await eligibility_result(ctx({ in_province: "outside" }));
    expect(result).toEqual({ outcome: "out_of_scope", say: [{ key: "policies:eligibility.result.out_of_scope" }] });
  });

  it("asks again, clearing the answers, when they are incomplete", async () => {
    const result = await eligibility_result(ctx({ in_province: "inside", sector: "other" }));
    expect(result.outcome).toBe("incomplete");
    expect(result.say).toEqual([{ key: "policies:eligibility.result.incomplete" }]);
    expect(result.data).toEqual({ in_province: null, sector: null, size: null });
  });
});
