/**
 * The console's templates: every text key they name exists in Vietnamese and English, and no
 * template but the layout prints anything unescaped (`<%~`), so whatever people typed is text.
 */
import { readdirSync, readFileSync } from "node:fs";
import { join, relative, resolve } from "node:path";
import { describe, expect, it } from "vitest";
import { loadLocales } from "../../src/i18n/load-locales.js";
import { createRendererFromResources } from "../../src/i18n/renderer.js";

const VIEWS = resolve(import.meta.dirname, "..", "..", "src", "console", "views");
const renderer = createRendererFromResources(loadLocales(resolve(import.meta.dirname, "..", "..", "locales")), "Asia/Ho_Chi_Minh");

function views(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? views(join(dir, e.name)) : e.name.endsWith(".eta") ? [join(dir, e.name)] : []));
}

describe("console views", () => {
  const files = views(VIEWS);

  // Keys built in the template ("console:locale." + l) are left to the page's own test.
  it("name only keys that exist in both languages", () => {
    const missing: string[] = [];
    for (const file of files) {
      for (const match of readFileSync(file, "utf8").matchAll(/\bt\(\s*"([a-z0-9_-]+:[\w.]+)"(?!\s*\+)/g)) {
        const key = match[1]!;
        for (const locale of ["vi", "en"] as const) if (!renderer.hasKey(key, locale)) missing.push(`${relative(VIEWS, file)}: ${key} (${locale})`);
      }
    }
    expect(files.length).toBeGreaterThan(0);
    expect(missing).toEqual([]);
  });

  it("print nothing unescaped except the layout's body", () => {
    const raw = files.flatMap((file) => [...readFileSync(file, "utf8").matchAll(/<%~\s*([^%]*)%>/g)].map((m) => `${relative(VIEWS, file)}: ${m[1]!.trim()}`));
    expect(raw).toEqual(["layout.eta: it.body"]);
  });

  it("carry no inline styles or scripts (the CSP would block them)", () => {
    const inline = files.filter((file) => /\sstyle=|<script(?![^>]*\bsrc=)(?![^>]*type="application\/json")|\son[a-z]+=/i.test(readFileSync(file, "utf8")));
    expect(inline.map((f) => relative(VIEWS, f))).toEqual([]);
  });
});
