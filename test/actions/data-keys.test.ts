/**
 * The keys the compiler cannot see because they are built from data at run time (see `dataKey`
 * in src/engine/msg-ref.ts): every combination of course audiences, and the labels of stored
 * sector, size and support-group ids. Every other key in code is checked by the compiler.
 */
import { join, resolve } from "node:path";
import { describe, expect, it } from "vitest";
import { COURSE_AUDIENCES } from "../../src/domain/course.js";
import { ENTERPRISE_SIZE_IDS, SECTOR_IDS, TASK_GROUP_IDS } from "../../src/domain/sectors.js";
import { createRenderer } from "../../src/i18n/renderer.js";

const root = resolve(import.meta.dirname, "..", "..");
const renderer = createRenderer({ localesDir: join(root, "locales"), timeZone: "Asia/Ho_Chi_Minh" });

function subsets<T>(items: readonly T[]): T[][] {
  return items.reduce<T[][]>((acc, item) => [...acc, ...acc.map((s) => [...s, item])], [[]]).filter((s) => s.length > 0);
}

const keys = [
  ...subsets(COURSE_AUDIENCES).map((s) => `courses:audiences.${s.join("_")}`),
  ...SECTOR_IDS.map((id) => `policies:sectors.${id}`),
  ...ENTERPRISE_SIZE_IDS.map((id) => `policies:sizes.${id}`),
  ...TASK_GROUP_IDS.map((id) => `policies:groups.${id}`),
];

describe("keys built from data", () => {
  it.each(["vi", "en"] as const)("all exist in %s", (locale) => {
    expect(keys.filter((k) => !renderer.hasKey(k, locale))).toEqual([]);
  });
});
