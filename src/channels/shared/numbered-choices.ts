/**
 * Choices as a numbered text list (Zalo, terminal), and mapping a typed number back to the
 * choice it names, for platforms without buttons.
 */
import type { Outgoing, OutgoingChoice } from "../../engine/messages.js";

/** Renders a message's text followed by its choices as "1. Label" lines. */
export function renderNumberedChoices(text: string, choices: readonly OutgoingChoice[] | undefined): string {
  if (!choices || choices.length === 0) return text;
  const list = choices.map((c, i) => `${i + 1}. ${c.label}`).join("\n");
  return text.trim() === "" ? list : `${text}\n\n${list}`;
}

/** The choice a typed answer like "2", "2." or " 2 " names, if it is a valid position. */
export function pickNumberedChoice(
  typed: string,
  choices: readonly OutgoingChoice[] | undefined,
): OutgoingChoice | undefined {
  if (!choices) return undefined;
  const m = /^\s*(\d{1,3})\s*[.)]?\s*$/.exec(typed);
  if (!m) return undefined;
  return choices[Number(m[1]) - 1];
}

/** The choices of the most recent reply batch that had some, per user (bounded, in memory). */
export class ChoiceMemory {
  private readonly byUser = new Map<string, readonly OutgoingChoice[]>();

  /** `maxUsers` bounds memory; the least recently updated user is forgotten first. */
  constructor(private readonly maxUsers = 10_000) {}

  /** Remembers the last choices of a reply batch, or forgets them when the batch had none. */
  remember(userId: string, batch: readonly Outgoing[]): void {
    this.byUser.delete(userId);
    const last = [...batch].reverse().find((m) => m.choices && m.choices.length > 0);
    if (!last?.choices) return;
    this.byUser.set(userId, last.choices);
    if (this.byUser.size > this.maxUsers) {
      const oldest = this.byUser.keys().next().value;
      if (oldest !== undefined) this.byUser.delete(oldest);
    }
  }

  /** The choice a typed number picks from what this user was last shown. */
  pick(userId: string, typed: string): OutgoingChoice | undefined {
    return pickNumberedChoice(typed, this.byUser.get(userId));
  }
}
