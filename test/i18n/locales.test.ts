/**
 * Every real locale file: the same namespaces and keys in vi and en, no empty texts, and the
 * same {{placeholders}} in both languages (a missing one would silently drop a value).
 */
import { resolve } from "node:path";
import { describe, expect, it } from "vitest";
import { loadLocales } from "../../src/i18n/load-locales.js";

const resources = loadLocales(resolve(import.meta.dirname, "..", "..", "locales"));

function flatten(obj: Record<string, unknown>, prefix = "", out = new Map<string, unknown>()): Map<string, unknown> {
  for (const [k, v] of Object.entries(obj)) {
    const key = prefix ? `${prefix}.${k}` : k;
    if (v !== null && typeof v === "object" && !Array.isArray(v)) flatten(v as Record<string, unknown>, key, out);
    else out.set(key, v);
  }
  return out;
}

// Plural forms differ by language (vi has only `_other`), so compare keys without the suffix.
const base = (key: string) => key.replace(/_(zero|one|two|few|many|other)$/, "");
// A text may pick its own language's variant of a value (`{{titleVi}}` / `{{titleEn}}`): compare them as one.
const placeholders = (text: string) => [...new Set([...text.matchAll(/{{\s*([\w.]+)/g)].map((m) => m[1]!.replace(/(Vi|En)$/, "")))].sort();

describe("locales/", () => {
  it("has the same namespaces in vi and en", () => {
    expect(Object.keys(resources.en).sort()).toEqual(Object.keys(resources.vi).sort());
  });

  for (const ns of Object.keys(resources.vi).sort()) {
    describe(`${ns}.json`, () => {
      const vi = flatten(resources.vi[ns] ?? {});
      const en = flatten(resources.en[ns] ?? {});

      it("has the same keys in vi and en", () => {
        expect([...new Set([...en.keys()].map(base))].sort()).toEqual([...new Set([...vi.keys()].map(base))].sort());
      });

      it("has only non-empty strings", () => {
        for (const [lng, map] of [["vi", vi], ["en", en]] as const) {
          for (const [key, value] of map) expect(typeof value === "string" && value.trim() !== "", `${lng} ${ns}:${key}`).toBe(true);
        }
      });

      it("uses the same placeholders in both languages", () => {
        for (const [key, value] of vi) {
          const other = en.get(key) ?? en.get(`${base(key)}_other`);
          if (typeof value !== "string" || typeof other !== "string") continue;
          expect(placeholders(other), `${ns}:${key}`).toEqual(placeholders(value));
        }
      });
    });
  }
});
