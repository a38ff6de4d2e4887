/**
 * Keeps the programme content honest: every figure of the seed's 2025 targets, the two national
 * decisions and their dates are present in both languages, key sets match, messages stay
 * phone-sized, and nothing looks like an invented contact.
 */
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { ENTERPRISE_SIZE_IDS, SECTOR_IDS, TASK_GROUP_IDS } from "../../src/domain/sectors.js";
import { assessEligibility } from "../../src/domain/eligibility.js";
import { contactMessages } from "../../src/domain/faq/contact-messages.js";

type Tree = { [key: string]: string | Tree };
const load = (locale: string): Tree =>
  JSON.parse(readFileSync(new URL(`../../locales/${locale}/policies.json`, import.meta.url), "utf8")) as Tree;
const resources = { vi: load("vi"), en: load("en") } as const;

function flatten(tree: Tree, prefix = ""): Map<string, string> {
  const out = new Map<string, string>();
  for (const [k, v] of Object.entries(tree)) {
    if (typeof v === "string") out.set(prefix + k, v);
    else for (const [kk, vv] of flatten(v, `${prefix}${k}.`)) out.set(kk, vv);
  }
  return out;
}
const flat = { vi: flatten(resources.vi), en: flatten(resources.en) };
/** All messages of one section joined, as a reader sees them one after another. */
const section = (locale: "vi" | "en", id: string): string =>
  [...flat[locale]].filter(([k]) => k.startsWith(`sections.${id}.`)).map(([, v]) => v).join("\n");

// Every figure of the seed's "mục tiêu cụ thể đặt ra đến năm 2025", with the words around it.
const TARGETS: { what: string; vi: RegExp; en: RegExp }[] = [
  { what: "10–15 NSCL experts", vi: /10\s*[–-]\s*15 chuyên gia NSCL/, en: /10\s*[–-]\s*15 NSCL experts/ },
  { what: "at least 300 officials", vi: /ít nhất 300 cán bộ, công chức, viên chức/, en: /at least 300 officials, civil servants/ },
  { what: "500 leaders and workers", vi: /500 lượt lãnh đạo và người lao động/, en: /leaders and workers of enterprises in the province: 500 attendances/ },
  { what: "at least 50 enterprises", vi: /Tối thiểu 50 doanh nghiệp/, en: /At least 50 enterprises/ },
  { what: "at least 3 with synchronised solutions", vi: /ít nhất 03 doanh nghiệp để hỗ trợ đồng bộ/, en: /at least 3 selected for support with a synchronised set/ },
  { what: "5–10 research tasks", vi: /5\s*[–-]\s*10 nhiệm vụ nghiên cứu/, en: /5\s*[–-]\s*10 research and application tasks/ },
  { what: "2 conformity-assessment bodies", vi: /02 tổ chức đánh giá sự phù hợp/, en: /2 conformity-assessment bodies/ },
  { what: "standards centre", vi: /Trung tâm Kỹ thuật tiêu chuẩn đo lường chất lượng tỉnh Khánh Hòa/, en: /Khánh Hòa Provincial Centre for Standards, Metrology and Quality Technology/ },
  { what: "disease control centre", vi: /Trung tâm Kiểm soát bệnh tật tỉnh Khánh Hòa/, en: /Khánh Hòa Provincial Centre for Disease Control/ },
  { what: "S&T application centre", vi: /Trung tâm Ứng dụng tiến bộ khoa học, công nghệ tỉnh Khánh Hòa/, en: /Centre for Application of Scientific and Technological Progress/ },
  { what: "APO", vi: /Tổ chức Năng suất Châu Á \(APO\)/, en: /Asian Productivity Organization \(APO\)/ },
  { what: "1 innovation start-up centre", vi: /01 Trung tâm hỗ trợ khởi nghiệp đổi mới sáng tạo/, en: /1 innovation start-up support centre/ },
  { what: "the year", vi: /năm 2025/, en: /for 2025/ },
];

// The plan's identity: issue date, period, and the two decisions with their dates.
const ABOUT: { what: string; vi: RegExp; en: RegExp }[] = [
  { what: "issued 23/6/2021", vi: /Ngày 23\/6\/2021/, en: /On 23 June 2021/ },
  { what: "period 2021–2025", vi: /2021\s*[–-]\s*2025/, en: /2021\s*[–-]\s*2025/ },
  { what: "decision 1322", vi: /1322\/QĐ-TTg ngày 31\/8\/2020/, en: /1322\/QĐ-TTg of 31 August 2020/ },
  { what: "decision 36", vi: /36\/QĐ-TTg ngày 11\/01\/2021/, en: /36\/QĐ-TTg of 11 January 2021/ },
  { what: "national programme 2021–2030", vi: /Chương trình quốc gia hỗ trợ doanh nghiệp/, en: /National Programme supporting enterprises/ },
];

describe("policies content", () => {
  it("has identical key sets in vi and en", () => {
    expect([...flat.en.keys()].sort()).toEqual([...flat.vi.keys()].sort());
  });

  it.each(TARGETS)("keeps the 2025 target '$what' in both languages", ({ vi, en }) => {
    expect(section("vi", "targets")).toMatch(vi);
    expect(section("en", "targets")).toMatch(en);
  });

  it.each(ABOUT)("states '$what' in both languages", ({ vi, en }) => {
    expect(section("vi", "about")).toMatch(vi);
    expect(section("en", "about")).toMatch(en);
  });

  it.each(["vi", "en"] as const)("lists the five task groups in order (%s)", (locale) => {
    const text = section(locale, "tasks");
    for (const n of [1, 2, 3, 4, 5]) expect(text).toMatch(new RegExp(`^${n}\\. `, "m"));
    expect(text).not.toMatch(/^6\. /m);
  });

  it.each(["vi", "en"] as const)("lists the six priority sectors and names the lead agency (%s)", (locale) => {
    expect(section(locale, "targeted").match(/^• /gm)).toHaveLength(7); // six sectors + the plan's "…"
    expect(section(locale, "lead")).toMatch(locale === "vi" ? /Sở Khoa học và Công nghệ/ : /Department of Science and Technology/);
  });

  it.each(["vi", "en"] as const)("keeps every message phone-sized (%s)", (locale) => {
    for (const [key, text] of flat[locale]) expect(text.length, key).toBeLessThan(600);
  });

  it.each(["vi", "en"] as const)("contains no URL, phone number or e-mail of its own (%s)", (locale) => {
    for (const [key, text] of flat[locale]) {
      if (key.startsWith("faq.keywords.")) continue;
      expect(text, key).not.toMatch(/https?:|www\.|@|\d{2,4}[ .]?\d{3}[ .]?\d{3,4}/);
    }
  });

  it("fixes the seed's typos in the province name", () => {
    for (const locale of ["vi", "en"] as const) {
      for (const [key, text] of flat[locale]) expect(text, key).not.toMatch(/KHánh|(^|[^K])hánh Hòa/);
    }
  });

  it.each(["vi", "en"] as const)("stores text in NFC so it renders and matches consistently (%s)", (locale) => {
    for (const [key, text] of flat[locale]) expect(text === text.normalize("NFC"), key).toBe(true);
  });

  it("has labels for every sector, task group and size in both languages", () => {
    const needed = [
      ...SECTOR_IDS.map((id) => `sectors.${id}`),
      ...TASK_GROUP_IDS.map((id) => `groups.${id}`),
      ...ENTERPRISE_SIZE_IDS.map((id) => `sizes.${id}`),
    ];
    for (const key of needed) {
      expect(flat.vi.has(key), key).toBe(true);
      expect(flat.en.has(key), key).toBe(true);
      expect(flat.vi.get(key)!.length, key).toBeLessThanOrEqual(40); // button labels
    }
  });

  it("has every key the eligibility rules and contact lines produce", () => {
    const produced = [
      ...SECTOR_IDS.flatMap((sector) =>
        ENTERPRISE_SIZE_IDS.flatMap((size) => assessEligibility({ inProvince: true, sector, size }).messages),
      ),
      ...assessEligibility({ inProvince: false }).messages,
      ...contactMessages({}),
      ...contactMessages({ office: "o", phone: "p", email: "e", website: "w" }),
      { key: "policies:eligibility.result.incomplete" },
    ];
    for (const { key } of produced) {
      const path = key.replace(/^policies:/, "");
      expect(flat.vi.has(path), key).toBe(true);
      expect(flat.en.has(path), key).toBe(true);
    }
  });

  it("has FAQ keywords only for sections that exist", () => {
    for (const key of flat.vi.keys()) {
      const id = /^faq\.keywords\.(.+)$/.exec(key)?.[1];
      if (id) expect(flat.vi.has(`sections.${id}.p1`), id).toBe(true);
    }
  });
});

describe("menu names quoted in the content", () => {
  const readJson = (path: string): Tree =>
    JSON.parse(readFileSync(new URL(`../../${path}`, import.meta.url), "utf8")) as Tree;

  it.each(["vi", "en"] as const)("match real menu labels, so the text points at what users see (%s)", (locale) => {
    const common = flatten(readJson(`locales/${locale}/common.json`));
    const labels = new Set([
      ...[...common].filter(([k]) => k.startsWith("menu.")).map(([, v]) => v),
      ...[...flat[locale]].filter(([k]) => k.startsWith("menu.")).map(([, v]) => v),
    ]);
    for (const [key, text] of flat[locale]) {
      if (!key.startsWith("sections.")) continue;
      for (const [, quoted] of text.matchAll(/“([^”]+)”/g)) expect(labels.has(quoted!), `${key}: “${quoted}”`).toBe(true);
    }
  });
});
