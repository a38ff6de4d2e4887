/**
 * Choices as a numbered text list, for channels without buttons (capability `buttons: false`). The user's
 * typed number or words go to the engine as text: it matches them against the current step,
 * which knows when a number is an answer rather than a pick.
 */
import type { OutgoingChoice } from "../../engine/messages.js";

/** Renders a message's text followed by its choices as "1. Label" lines. */
export function renderNumberedChoices(text: string, choices: readonly OutgoingChoice[] | undefined): string {
  if (!choices || choices.length === 0) return text;
  const list = choices.map((c, i) => `${i + 1}. ${c.label}`).join("\n");
  return text.trim() === "" ? list : `${text}\n\n${list}`;
}
