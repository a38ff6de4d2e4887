/** Renders `Msg` → text with an i18next instance of its own (no global singleton). */
import { createInstance, type i18n } from "i18next";
import type { Locale, Msg } from "../engine/messages.js";
import { formatParams } from "./format-param.js";
import { loadLocales, type LocaleResources } from "./load-locales.js";

/** Renders messages and answers whether a key exists in a locale. */
export interface Renderer {
  render(msg: Msg, locale: Locale): string;
  hasKey(key: string, locale: Locale): boolean;
}

/** Options for `createRenderer`. */
export interface RendererOptions {
  /** The `locales/` folder. */
  localesDir: string;
  /** IANA zone dates are shown in (config TZ_NAME). */
  timeZone: string;
}

// More than every key of every namespace; beyond it renders are simply not cached.
const PLAIN_CACHE_MAX = 10_000;

function splitKey(key: string): { ns: string; path: string } {
  const i = key.indexOf(":");
  return i < 0 ? { ns: "common", path: key } : { ns: key.slice(0, i), path: key.slice(i + 1) };
}

/** A renderer over already-loaded resources (tests use this directly). */
export function createRendererFromResources(resources: LocaleResources, timeZone: string): Renderer {
  const namespaces = [...new Set(Object.values(resources).flatMap((r) => Object.keys(r)))];
  const instance: i18n = createInstance();
  void instance.init({
    resources,
    ns: namespaces,
    defaultNS: "common",
    lng: "vi",
    // A missing English text falls back to Vietnamese rather than showing a raw key (flows:check reports it).
    fallbackLng: "vi",
    interpolation: { escapeValue: false },
    initAsync: false,
    returnNull: false,
  });
  const hasKey = (key: string, locale: Locale): boolean => {
    const { ns, path } = splitKey(key);
    return typeof instance.getResource(locale, ns, path) === "string";
  };
  // Resources never change after start-up, so a parameter-less key always renders the same text;
  // most prompts and button labels are such keys, and skipping i18next's t() for them is the saving.
  const plain: Record<Locale, Map<string, string>> = { vi: new Map(), en: new Map() };
  return {
    render(msg, locale) {
      if (!msg.params) {
        const cache = plain[locale];
        let text = cache?.get(msg.key);
        if (text === undefined) {
          text = instance.t(msg.key, { lng: locale });
          // Bounded so keys built from unexpected input cannot grow it without limit.
          if (cache && cache.size < PLAIN_CACHE_MAX) cache.set(msg.key, text);
        }
        return text;
      }
      const params = formatParams(msg.params, locale, timeZone);
      return instance.t(msg.key, { ...params, lng: locale });
    },
    hasKey,
  };
}

/** Loads `locales/<lng>/<ns>.json` and returns a renderer. */
export function createRenderer(options: RendererOptions): Renderer {
  return createRendererFromResources(loadLocales(options.localesDir), options.timeZone);
}
