/**
 * The chat page's HTML (`GET /chat`): a small document whose texts come from `locales/*\/web.json`
 * in both languages (the page switches without a reload). Every value is HTML-escaped; the
 * texts for the script travel in a JSON data block, never as code.
 */
import { LOCALES, type Locale, type Msg } from "../../engine/messages.js";

/** The page's own texts: `web:page.<name>` in every locale (one list, checked by the locale tests). */
export const PAGE_TEXTS = [
  "title", "heading", "subtitle", "log_label", "input_label", "placeholder", "send", "language", "typing",
  "connecting", "offline", "online", "choices_label", "you", "bot", "new_chat_notice", "open_chat", "close_chat", "pending",
] as const;

/** A page text's name. */
export type PageText = (typeof PAGE_TEXTS)[number];

const escapeHtml = (s: string) => s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
// Inside <script type="application/json">, "<" is escaped so no text can close the element.
const jsonForScript = (value: unknown) => JSON.stringify(value).replace(/</g, "\\u003c");

/** The texts of one locale, by name. */
export function pageTexts(render: (msg: Msg, locale: Locale) => string, locale: Locale): Record<PageText, string> {
  // Object.fromEntries forgets the keys; PAGE_TEXTS lists every PageText, so each is present.
  return Object.fromEntries(PAGE_TEXTS.map((name) => [name, render({ key: `web:page.${name}` }, locale)])) as Record<PageText, string>;
}

/** The whole page in `locale`; `embedded` for the widget's frame (no heading). */
export function chatPage(render: (msg: Msg, locale: Locale) => string, locale: Locale, embedded: boolean, assetVersion: string): string {
  const texts = Object.fromEntries(LOCALES.map((l) => [l, pageTexts(render, l)]));
  const s = pageTexts(render, locale);
  const options = LOCALES.map((l) => `<option value="${l}"${l === locale ? " selected" : ""}>${escapeHtml(render({ key: `web:languages.${l}` }, l))}</option>`).join("");
  return `<!doctype html>
<html lang="${locale}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width,initial-scale=1">
<meta name="referrer" content="no-referrer">
<link rel="icon" href="data:,">
<title data-s="title">${escapeHtml(s.title)}</title>
<link rel="stylesheet" href="/chat/assets/chat.css?v=${assetVersion}">
</head>
<body class="${embedded ? "embedded" : "full"}">
<main class="chat">
<header class="bar">
<div class="who"><h1 data-s="heading">${escapeHtml(s.heading)}</h1><p class="sub" data-s="subtitle">${escapeHtml(s.subtitle)}</p></div>
<label class="lang"><span class="visually-hidden" data-s="language">${escapeHtml(s.language)}</span><select id="lang">${options}</select></label>
</header>
<p id="status" class="status" role="status" data-s="connecting">${escapeHtml(s.connecting)}</p>
<div id="log" class="log" role="log" aria-live="polite" aria-relevant="additions" tabindex="0" aria-label="${escapeHtml(s.log_label)}"></div>
<p id="typing" class="typing" hidden><span class="dots" aria-hidden="true"><i></i><i></i><i></i></span> <span data-s="typing">${escapeHtml(s.typing)}</span></p>
<form id="composer" class="composer" autocomplete="off">
<label for="text" class="visually-hidden" data-s="input_label">${escapeHtml(s.input_label)}</label>
<textarea id="text" name="text" rows="1" maxlength="2000" enterkeyhint="send" placeholder="${escapeHtml(s.placeholder)}"></textarea>
<button id="send" type="submit" data-s="send">${escapeHtml(s.send)}</button>
</form>
</main>
<script type="application/json" id="texts">${jsonForScript(texts)}</script>
<script src="/chat/assets/chat.js?v=${assetVersion}" defer></script>
</body>
</html>
`;
}
