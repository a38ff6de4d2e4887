/**
 * Builds the FAQ for the programme content from the `policies` locale resources themselves, so
 * staff can add a section, a message or a keyword by editing `locales/<lang>/policies.json`.
 * Section messages are the keys `sections.<id>.p1, p2…` (numeric order); keywords are the
 * comma-separated phrases in `faq.keywords.<id>` of each language.
 */
import { z } from "zod";
import { isLocale, type Locale, type Msg } from "../../engine/messages.js";
import { createFaq, type FaqEntry, type FaqMatcher, type FaqOptions } from "../faq.js";
import { contactMessages, type ContactInfo } from "./contact-messages.js";
import { dataKey } from "../../engine/msg-ref.js";

/** The part of a `policies` namespace resource the FAQ reads; everything else is ignored. */
export const policiesResourceSchema = z.object({
  sections: z.record(z.string(), z.record(z.string(), z.string())),
  faq: z.object({ keywords: z.record(z.string(), z.string()) }),
});
/** A parsed `locales/<lang>/policies.json`, as far as the FAQ cares. */
export type PoliciesResource = z.infer<typeof policiesResourceSchema>;

/** The section whose answer ends with the configured contact details. */
export const CONTACT_SECTION_ID = "support";

/** The messages of one content section, in order (`policies:sections.<id>.pN`). */
export function sectionMessages(resource: PoliciesResource, sectionId: string): Msg[] {
  const section = resource.sections[sectionId] ?? {};
  return Object.keys(section)
    .map((key) => ({ key, n: /^p(\d+)$/.exec(key)?.[1] }))
    .filter((k): k is { key: string; n: string } => k.n !== undefined)
    .sort((a, b) => Number(a.n) - Number(b.n))
    .map(({ key }) => ({ key: dataKey(`policies:sections.${sectionId}.${key}`) }));
}

/** Splits a keyword list typed by staff ("a, b; c" or one per line) into phrases. */
export function splitKeywords(list: string): string[] {
  return list
    .split(/[,;\n]/)
    .map((k) => k.trim())
    .filter((k) => k !== "");
}

/**
 * FAQ entries from the raw `policies` resources of every locale (unknown JSON, validated here).
 * The first locale given is the reference for section message keys (the content test keeps key sets equal).
 */
export function faqEntriesFromResources(
  resources: Partial<Record<Locale, unknown>>,
  contact: ContactInfo = {},
): FaqEntry[] {
  const parsed = Object.entries(resources).flatMap(([locale, raw]) => (isLocale(locale) ? [[locale, policiesResourceSchema.parse(raw)] as const] : []));
  const reference = parsed[0]?.[1];
  if (reference === undefined) return [];
  const ids = new Set(parsed.flatMap(([, r]) => Object.keys(r.faq.keywords)));
  const entries: FaqEntry[] = [];
  for (const id of ids) {
    const messages = sectionMessages(reference, id);
    if (id === CONTACT_SECTION_ID) messages.push(...contactMessages(contact));
    if (messages.length === 0) continue;
    const keywords: FaqEntry["keywords"] = {};
    for (const [locale, r] of parsed) keywords[locale] = splitKeywords(r.faq.keywords[id] ?? "");
    entries.push({ id, keywords, messages });
  }
  return entries;
}

/** Dependencies of the programme FAQ: the raw `policies` resources per locale and the configured contact. */
export interface PolicyFaqDeps {
  resources: Partial<Record<Locale, unknown>>;
  contact?: ContactInfo;
  options?: FaqOptions;
}

/** The programme FAQ matcher, ready for the runner's free-text fallback. */
export function createPolicyFaq(deps: PolicyFaqDeps): FaqMatcher {
  return createFaq(faqEntriesFromResources(deps.resources, deps.contact), deps.options);
}
