/**
 * The bot account's send budget as channels see it: every send (replies, broadcasts, reminders,
 * notices) takes one slot before it goes out, so together they never exceed the platform's rate.
 * Implemented by `RateLimiter` (src/jobs/rate-limiter.ts).
 */

/** Replies jump the queue; bulk sends (broadcasts, reminders, notices) fill the rest. */
export type SendPriority = "reply" | "bulk";

/** What became of a granted send: "rejected" (a 429) gives the slot back. */
export type SlotOutcome = "sent" | "rejected";

/** One send budget shared by everything that sends as one bot account. */
export interface SendGate {
  /** Waits for a slot for one message to `chatId`; call the result once the platform answered. */
  acquire(chatId: string, priority?: SendPriority): Promise<(outcome?: SlotOutcome) => void>;
  /** `chatId` gets nothing before `until` (the platform said "retry after" for it). */
  deferChat(chatId: string, until: number): void;
}
