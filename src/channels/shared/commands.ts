/** The commands every channel understands, as shown in a platform's command menu. */
import type { I18nKey, Locale } from "../../engine/messages.js";
import { MENU_COMMANDS } from "../../i18n/keys.gen.js";

/**
 * Command names (without "/") in menu order: those `channels:commands.<name>` describes, in the
 * locale file's order (derived by scripts/gen-i18n-keys.mjs; flows:check verifies each is a
 * built-in or a public flow's `command:`).
 */
export const BOT_COMMANDS = MENU_COMMANDS;

/** Renders an i18n key in a locale (the i18n module's `t`, bound by the composition root). */
export type Translate = (locale: Locale, key: I18nKey) => string;

/** The command menu for one locale. */
export function commandMenu(translate: Translate, locale: Locale): { command: string; description: string }[] {
  return BOT_COMMANDS.map((command) => ({ command, description: translate(locale, `channels:commands.${command}`) }));
}
