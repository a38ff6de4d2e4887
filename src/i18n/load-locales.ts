/** Reads `locales/<lng>/<ns>.json` into i18next resources (namespaces = file names). */
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { LOCALES, type Locale } from "../engine/messages.js";

/** Translations by locale, namespace, then the nested JSON of that file. */
export type LocaleResources = Record<Locale, Record<string, Record<string, unknown>>>;

/** Loads every namespace file of every locale; a malformed file throws with its path. */
export function loadLocales(localesDir: string): LocaleResources {
  const out = {} as LocaleResources;
  for (const lng of LOCALES) {
    out[lng] = {};
    let files: string[] = [];
    try {
      files = readdirSync(join(localesDir, lng)).filter((f) => f.endsWith(".json"));
    } catch {
      files = [];
    }
    for (const file of files.sort()) {
      const path = join(localesDir, lng, file);
      try {
        out[lng][file.slice(0, -".json".length)] = JSON.parse(readFileSync(path, "utf8")) as Record<string, unknown>;
      } catch (err) {
        throw new Error(`cannot read ${path}: ${(err as Error).message}`);
      }
    }
  }
  return out;
}
