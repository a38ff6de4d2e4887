/** The commands every channel understands, as shown in Telegram's command menu. */
import type { I18nKey, Locale } from "../../engine/messages.js";

/** Command names (without "/") in menu order; descriptions are `channels:commands.<name>`. */
export const BOT_COMMANDS = [
  "start",
  "menu",
  "help",
  "courses",
  "my",
  "register_enterprise",
  "requests",
  "policies",
  "lang",
  "privacy",
  "cancel",
] as const;

/** Renders an i18n key in a locale (the i18n module's `t`, bound by the composition root). */
export type Translate = (locale: Locale, key: I18nKey) => string;

/** The command menu for one locale. */
export function commandMenu(translate: Translate, locale: Locale): { command: string; description: string }[] {
  return BOT_COMMANDS.map((command) => ({ command, description: translate(locale, `channels:commands.${command}`) }));
}
