import { describe, expect, it } from "vitest";
import {
  ENTERPRISE_TASK_GROUPS,
  assessEligibility,
  parseEligibilityData,
} from "../../src/domain/eligibility.js";
import {
  ENTERPRISE_SIZE_IDS,
  PRIORITY_SECTOR_IDS,
  SECTOR_IDS,
  TASK_GROUP_IDS,
  isPrioritySector,
} from "../../src/domain/sectors.js";

const keys = (r: { messages: { key: string }[] }): string[] => r.messages.map((m) => m.key);

describe("sector and task-group ids", () => {
  it("are short ASCII snake_case and unique", () => {
    for (const id of [...SECTOR_IDS, ...TASK_GROUP_IDS]) expect(id).toMatch(/^[a-z][a-z_]{1,31}$/);
    expect(new Set(SECTOR_IDS).size).toBe(SECTOR_IDS.length);
    expect(TASK_GROUP_IDS).toHaveLength(5);
  });

  it("lists the six sectors the plan names, plus other", () => {
    expect(PRIORITY_SECTOR_IDS).toHaveLength(6);
    expect(SECTOR_IDS.at(-1)).toBe("other");
    expect(isPrioritySector("other")).toBe(false);
    expect(PRIORITY_SECTOR_IDS.every(isPrioritySector)).toBe(true);
  });
});

describe("assessEligibility", () => {
  it("puts every priority sector and size in the province in scope, with priority", () => {
    for (const sector of PRIORITY_SECTOR_IDS) {
      for (const size of ENTERPRISE_SIZE_IDS) {
        const result = assessEligibility({ inProvince: true, sector, size });
        expect(result).toMatchObject({ inScope: true, priority: true });
        expect(result.groups).toEqual([...ENTERPRISE_TASK_GROUPS]);
        expect(keys(result)).toEqual([
          "policies:eligibility.result.in_scope",
          "policies:eligibility.result.priority",
          `policies:eligibility.result.size.${size}`,
          "policies:eligibility.result.groups",
        ]);
      }
    }
  });

  it("keeps other sectors in scope without claiming priority", () => {
    const result = assessEligibility({ inProvince: true, sector: "other", size: "micro" });
    expect(result).toMatchObject({ inScope: true, priority: false });
    expect(keys(result)).toContain("policies:eligibility.result.not_listed");
    expect(keys(result)).not.toContain("policies:eligibility.result.priority");
  });

  it("does not let size change scope or groups (the plan sets no size criteria)", () => {
    const bySize = ENTERPRISE_SIZE_IDS.map((size) =>
      assessEligibility({ inProvince: true, sector: "handicrafts", size }),
    );
    for (const r of bySize) expect({ inScope: r.inScope, priority: r.priority, groups: r.groups }).toEqual({
      inScope: true,
      priority: true,
      groups: [...ENTERPRISE_TASK_GROUPS],
    });
  });

  it("leaves the plan's own mechanisms-and-policies group out of what an enterprise gets", () => {
    expect(ENTERPRISE_TASK_GROUPS).not.toContain("policy");
  });

  it("puts enterprises outside Khánh Hòa out of scope", () => {
    const result = assessEligibility({ inProvince: false });
    expect(result).toEqual({
      inScope: false,
      priority: false,
      groups: [],
      messages: [{ key: "policies:eligibility.result.out_of_scope" }],
    });
  });
});

describe("parseEligibilityData", () => {
  it("reads menu choice ids", () => {
    expect(parseEligibilityData({ in_province: "inside", sector: "agri_chemicals", size: "large" })).toEqual({
      ok: true,
      value: { inProvince: true, sector: "agri_chemicals", size: "large" },
    });
    expect(parseEligibilityData({ in_province: true, sector: "other", size: "small" }).ok).toBe(true);
  });

  it("needs only the province answer when outside the province", () => {
    expect(parseEligibilityData({ in_province: "outside" })).toEqual({ ok: true, value: { inProvince: false } });
    expect(parseEligibilityData({ in_province: false, sector: "nonsense" })).toEqual({
      ok: true,
      value: { inProvince: false },
    });
  });

  it.each([
    [{}],
    [{ in_province: "maybe", sector: "other", size: "small" }],
    [{ in_province: "inside" }],
    [{ in_province: "inside", sector: "mining", size: "small" }],
    [{ in_province: "inside", sector: "other", size: "huge" }],
    [{ in_province: "inside", sector: "other" }],
  ])("returns a reason for incomplete or unknown answers: %o", (data) => {
    expect(parseEligibilityData(data)).toEqual({ ok: false, reason: "policies:eligibility.result.incomplete" });
  });
});
