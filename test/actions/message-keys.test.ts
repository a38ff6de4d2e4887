/** Every message key the enterprise, course and privacy actions can produce exists in vi and en. */
import { readFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { describe, expect, it } from "vitest";
import { COURSE_AUDIENCES, COURSE_STATUSES } from "../../src/domain/course.js";
import { CONSENT_PURPOSES } from "../../src/domain/consent.js";
import { REGISTRATION_STATUSES } from "../../src/domain/registration.js";
import { createRenderer } from "../../src/i18n/renderer.js";

const root = resolve(import.meta.dirname, "..", "..");
const renderer = createRenderer({ localesDir: join(root, "locales"), timeZone: "Asia/Ho_Chi_Minh" });

function subsets<T>(items: readonly T[]): T[][] {
  return items.reduce<T[][]>((acc, item) => [...acc, ...acc.map((s) => [...s, item])], [[]]).filter((s) => s.length > 0);
}

describe("action message keys", () => {
  const files = ["src/actions/courses.ts", "src/actions/enterprise.ts", "src/actions/privacy.ts", "src/actions/registration-service.ts", "src/actions/representation-service.ts", "src/actions/consent.ts"];
  const literal = files.flatMap((f) => [...readFileSync(join(root, f), "utf8").matchAll(/"((?:courses|enterprise|privacy|common):[a-z_.]+[a-z_])"/g)].map((m) => m[1]!));
  const dynamic = [
    ...["confirmed", "waitlisted", "already_registered", "not_found", "incomplete", ...COURSE_STATUSES.filter((s) => s !== "open"), "deadline_passed"].map((o) => `courses:register.${o}`),
    ...REGISTRATION_STATUSES.filter((s) => s !== "waitlisted").map((s) => `courses:my.item_${s}`),
    ...REGISTRATION_STATUSES.map((s) => `privacy:statuses.${s}`),
    ...subsets(COURSE_AUDIENCES).map((s) => `courses:audiences.${s.join("_")}`),
    "privacy:languages.vi", "privacy:languages.en", "privacy:delete.done",
    ...CONSENT_PURPOSES.flatMap((p) => [`privacy:purposes.${p}`, `privacy:withdraw.done_${p}`]),
    ...["approved", "declined", "gone", "not_found", "not_allowed"].map((o) => `enterprise:requests.result.${o}`),
    "enterprise:request.decided_approved", "enterprise:request.decided_declined",
  ];

  it("finds the literal keys in the sources", () => {
    expect(literal).toContain("courses:promoted.notice");
    expect(literal).toContain("privacy:show.registration");
  });

  it.each(["vi", "en"] as const)("all exist in %s", (locale) => {
    const missing = [...new Set([...literal, ...dynamic])].filter((k) => !renderer.hasKey(k, locale));
    expect(missing).toEqual([]);
  });
});
