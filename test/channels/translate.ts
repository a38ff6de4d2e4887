/** A tiny translator over the channel locale files, standing in for the i18n module in tests. */
import { readFileSync } from "node:fs";
import type { Translate } from "../../src/channels/shared/commands.js";

/** Resolves `ns:path.to.key` from `locales/<locale>/<ns>.json`; returns the key when missing. */
export const translate: Translate = (locale, key) => {
  const [ns, path = ""] = key.split(":");
  const data = JSON.parse(readFileSync(new URL(`../../locales/${locale}/${ns}.json`, import.meta.url), "utf8")) as unknown;
  const value = path.split(".").reduce<unknown>((node, part) => (node as Record<string, unknown> | undefined)?.[part], data);
  return typeof value === "string" ? value : key;
};
