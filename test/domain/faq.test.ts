import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { createFaq, type FaqEntry } from "../../src/domain/faq.js";
import { normalizeText, tokenize } from "../../src/domain/faq/normalize.js";
import {
  createPolicyFaq,
  faqEntriesFromResources,
  sectionMessages,
  splitKeywords,
} from "../../src/domain/faq/policy-faq.js";
import { dataKey as k } from "../../src/engine/msg-ref.js";

const load = (locale: string): unknown =>
  JSON.parse(readFileSync(new URL(`../../locales/${locale}/policies.json`, import.meta.url), "utf8"));
const resources = { vi: load("vi"), en: load("en") };

/** The section an answer comes from, read off its first message key. */
function sectionOf(messages: { key: string }[] | null): string | null {
  if (messages === null) return null;
  return /^policies:sections\.([a-z_]+)\./.exec(messages[0]!.key)?.[1] ?? null;
}

describe("normalizeText / tokenize", () => {
  it("strips Vietnamese diacritics, đ and case", () => {
    expect(normalizeText("Hỗ TRỢ Doanh Nghiệp")).toBe("ho tro doanh nghiep");
    expect(normalizeText("Đối tượng được hỗ trợ?")).toBe("doi tuong duoc ho tro");
    expect(normalizeText("ĐMST")).toBe("dmst");
  });

  it("collapses punctuation and whitespace", () => {
    expect(normalizeText("  chỉ   tiêu,\n2021–2025!! ")).toBe("chi tieu 2021 2025");
    expect(normalizeText("?!…")).toBe("");
  });

  it("handles decomposed input the same as precomposed", () => {
    expect(normalizeText("nghiệp".normalize("NFD"))).toBe(normalizeText("nghiệp".normalize("NFC")));
  });

  it("folds English plurals but leaves Vietnamese syllables alone", () => {
    expect(tokenize("Which enterprises? leads, companies")).toEqual(["which", "enterprise", "lead", "company"]);
    expect(tokenize("business is")).toEqual(["business", "is"]);
    expect(tokenize("")).toEqual([]);
  });
});

describe("createFaq", () => {
  const entries: FaqEntry[] = [
    { id: "a", keywords: { vi: ["hỗ trợ"], en: ["support"] }, messages: [{ key: k("t:a") }] },
    { id: "b", keywords: { vi: ["được hỗ trợ", "doanh nghiệp nào"] }, messages: [{ key: k("t:b") }] },
  ];
  const faq = createFaq(entries);

  it("prefers the section whose phrases cover more of the text", () => {
    expect(faq("doanh nghiep nao duoc ho tro", "vi")).toEqual([{ key: "t:b" }]);
    expect(faq("ho tro", "vi")).toEqual([{ key: "t:a" }]);
  });

  it("returns null for empty text, punctuation and no match", () => {
    expect(faq("", "vi")).toBeNull();
    expect(faq("   ?? ", "en")).toBeNull();
    expect(faq("xyzzy plugh", "en")).toBeNull();
  });

  it("matches whole words only", () => {
    expect(faq("supportive", "en")).toBeNull();
  });

  it("honours a higher threshold", () => {
    const strict = createFaq(entries, { minCoveredTokens: 3 });
    expect(strict("ho tro", "vi")).toBeNull();
    expect(strict("duoc ho tro", "vi")).toEqual([{ key: "t:b" }]);
  });

  it("returns copies, so callers cannot alter the entries", () => {
    const first = faq("support", "en")!;
    first[0]!.key = k("changed");
    expect(faq("support", "en")).toEqual([{ key: "t:a" }]);
  });

  it("breaks ties in favour of the user's language", () => {
    const tie = createFaq([
      { id: "x", keywords: { en: ["nscl"] }, messages: [{ key: k("t:x") }] },
      { id: "y", keywords: { vi: ["nscl"] }, messages: [{ key: k("t:y") }] },
    ]);
    expect(tie("NSCL", "vi")).toEqual([{ key: "t:y" }]);
    expect(tie("NSCL", "en")).toEqual([{ key: "t:x" }]);
  });
});

describe("programme FAQ from the locale files", () => {
  const faq = createPolicyFaq({ resources });

  it.each([
    ["doanh nghiep nao duoc ho tro", "vi", "targeted"],
    ["Doanh nghiệp nào được hỗ trợ?", "vi", "targeted"],
    ["ngành ưu tiên là gì", "vi", "targeted"],
    ["Which enterprises are supported?", "en", "targeted"],
    ["priority sectors", "en", "targeted"],
    ["hỗ trợ doanh nghiệp", "vi", "tasks"],
    ["ho tro doanh nghiep", "vi", "tasks"],
    ["support for enterprises", "en", "tasks"],
    ["chỉ tiêu 2025", "vi", "targets"],
    ["chi tieu 2025", "vi", "targets"],
    ["targets for 2025", "en", "targets"],
    ["who leads", "en", "lead"],
    ["Who leads the plan?", "en", "lead"],
    ["cơ quan nào chủ trì", "vi", "lead"],
    ["ai chu tri", "vi", "lead"],
    ["kế hoạch là gì", "vi", "about"],
    ["what is the plan", "en", "about"],
    ["mục tiêu chung", "vi", "objective"],
    ["general objective", "en", "objective"],
    ["5 nhóm nhiệm vụ", "vi", "tasks"],
    ["số điện thoại liên hệ", "vi", "support"],
    ["how to get support", "en", "support"],
    ["chương trình này là gì", "vi", "about"],
    ["bao nhiêu doanh nghiệp được hỗ trợ", "vi", "targets"],
    ["how many enterprises will be supported", "en", "targets"],
    ["tôi làm du lịch có được hỗ trợ không", "vi", "targeted"],
    ["is my company eligible", "en", "targeted"],
    ["who is in charge", "en", "lead"],
    ["how can I contact you", "en", "support"],
  ] as const)("%s (%s) → %s", (text, locale, section) => {
    expect(sectionOf(faq(text, locale))).toBe(section);
  });

  it("matches across languages: an English question from a Vietnamese user", () => {
    expect(sectionOf(faq("who leads", "vi"))).toBe("lead");
  });

  it.each([
    ["asdfgh qwerty zxcv", "vi"],
    ["asdfgh qwerty zxcv", "en"],
    ["ok", "vi"],
    ["hello", "en"],
    ["xin chào", "vi"],
    ["cảm ơn", "vi"],
    ["thanks", "en"],
    // Words that belong to other parts of the bot must not be answered with programme content.
    ["dữ liệu cá nhân", "vi"],
    ["xóa dữ liệu của tôi", "vi"],
    ["privacy policy", "en"],
    ["my registrations", "en"],
    ["đăng ký khóa học", "vi"],
    ["training courses", "en"],
  ] as const)("gibberish or small talk %s (%s) → null", (text, locale) => {
    expect(faq(text, locale)).toBeNull();
  });

  it("answers with every message of the section, in order", () => {
    expect(faq("chỉ tiêu 2025", "vi")).toEqual(sectionMessages(resources.vi as never, "targets"));
    expect(faq("chỉ tiêu 2025", "vi")!.map((m) => m.key)).toEqual([
      "policies:sections.targets.p1",
      "policies:sections.targets.p2",
      "policies:sections.targets.p3",
      "policies:sections.targets.p4",
    ]);
  });

  it("ends the contact answer with configured details only", () => {
    const withPhone = createPolicyFaq({ resources, contact: { phone: "0123", email: "  " } });
    const keys = withPhone("liên hệ", "vi")!.map((m) => m.key);
    expect(keys).toContain("policies:contact.phone");
    expect(keys).not.toContain("policies:contact.email");
    expect(keys).not.toContain("policies:contact.none");
    const none = createPolicyFaq({ resources })("contact", "en")!.map((m) => m.key);
    expect(none.at(-1)).toBe("policies:contact.none");
  });
});

describe("faqEntriesFromResources", () => {
  it("rejects a resource without sections or keywords", () => {
    expect(() => faqEntriesFromResources({ vi: { sections: {} } })).toThrow();
  });

  it("skips keyword sections that have no messages", () => {
    const entries = faqEntriesFromResources({
      vi: { sections: { a: { p2: "x", p10: "y", title: "z" } }, faq: { keywords: { a: "một, hai", ghost: "ma" } } },
    });
    expect(entries.map((e) => e.id)).toEqual(["a"]);
    expect(entries[0]!.messages.map((m) => m.key)).toEqual(["policies:sections.a.p2", "policies:sections.a.p10"]);
    expect(entries[0]!.keywords.vi).toEqual(["một", "hai"]);
  });

  it("returns nothing for no resources", () => {
    expect(faqEntriesFromResources({})).toEqual([]);
  });

  it("splits keyword lists on commas, semicolons and new lines", () => {
    expect(splitKeywords(" a, b ;c\n\n d ,")).toEqual(["a", "b", "c", "d"]);
  });
});
