/** Renders the programme content through the real i18n renderer: every key resolves, params interpolate verbatim. */
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { createRenderer } from "../../src/i18n/renderer.js";
import { loadLocales } from "../../src/i18n/load-locales.js";
import { createPolicyFaq, sectionMessages, policiesResourceSchema } from "../../src/domain/faq/policy-faq.js";
import { contactMessages } from "../../src/domain/faq/contact-messages.js";
import { LOCALES } from "../../src/engine/messages.js";

const localesDir = fileURLToPath(new URL("../../locales", import.meta.url));
const renderer = createRenderer({ localesDir, timeZone: "Asia/Ho_Chi_Minh" });
const resources = loadLocales(localesDir);

describe("policies content through the renderer", () => {
  it.each(LOCALES)("renders every section message (%s)", (locale) => {
    const policies = policiesResourceSchema.parse(resources[locale].policies);
    for (const id of Object.keys(policies.sections)) {
      for (const msg of sectionMessages(policies, id)) {
        const text = renderer.render(msg, locale);
        expect(text, msg.key).not.toBe(msg.key);
        expect(text, msg.key).not.toMatch(/\{\{|\}\}|\$t\(/);
      }
    }
  });

  it.each(LOCALES)("shows contact details verbatim, without HTML escaping (%s)", (locale) => {
    const contact = { office: "Sở KHCN & Đối tác <A>", phone: "+84 258 000", email: "a@b.vn", website: "https://x.example/a?b=1&c=2" };
    const texts = contactMessages(contact).map((m) => renderer.render(m, locale));
    expect(texts).toHaveLength(4);
    expect(texts[0]).toContain(contact.office);
    expect(texts[3]).toContain(contact.website);
  });

  it("works with the resources as the i18n loader reads them", () => {
    const faq = createPolicyFaq({ resources: { vi: resources.vi.policies, en: resources.en.policies } });
    const answer = faq("doanh nghiep nao duoc ho tro", "vi");
    expect(answer?.map((m) => renderer.render(m, "vi")).join("\n")).toMatch(/Dịch vụ, du lịch/);
    expect(faq("who leads", "en")?.map((m) => renderer.render(m, "en")).join("\n")).toMatch(/Department of Science and Technology/);
  });
});
