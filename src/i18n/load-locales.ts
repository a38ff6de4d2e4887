/** Reads `locales/<lng>/<ns>.json` into i18next resources (namespaces = file names). */
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import type { Locale } from "../engine/messages.js";
import { errorMessage, isRecord } from "../shared/guards.js";

/** One locale's namespaces, each the nested JSON of its file. */
type Namespaces = Record<string, Record<string, unknown>>;

/** Translations by locale, namespace, then the nested JSON of that file. */
export type LocaleResources = Record<Locale, Namespaces>;

/** Loads every namespace file of every locale; a malformed file throws with its path. */
export function loadLocales(localesDir: string): LocaleResources {
  return { vi: loadLocale(localesDir, "vi"), en: loadLocale(localesDir, "en") } satisfies LocaleResources;
}

function loadLocale(localesDir: string, lng: Locale): Namespaces {
  const out: Namespaces = {};
  let files: string[] = [];
  try {
    files = readdirSync(join(localesDir, lng)).filter((f) => f.endsWith(".json"));
  } catch {
    files = [];
  }
  for (const file of files.sort()) {
    const path = join(localesDir, lng, file);
    try {
      const parsed: unknown = JSON.parse(readFileSync(path, "utf8"));
      if (!isRecord(parsed)) throw new Error("not a JSON object");
      out[file.slice(0, -".json".length)] = parsed;
    } catch (err) {
      throw new Error(`cannot read ${path}: ${errorMessage(err)}`);
    }
  }
  return out;
}
