/**
 * Sign-up links and typed codes land on the course, on every channel: a deep link (capability
 * `deepLink`) arrives as `/start KH12`; without deep links people type `KH12`. Both become
 * `/courses KH12`, which opens that course's page with its registration.
 */
import { parseCourseCode } from "../../domain/course-code.js";
import type { Bot, Incoming } from "../../engine/messages.js";

/** The incoming message a code or a deep link stands for, or the message itself. */
export function courseCodeIncoming(incoming: Incoming): Incoming {
  if (incoming.kind !== "text" || !incoming.text) return incoming;
  const text = incoming.text.trim();
  const start = /^\/start(?:@\w+)?\s+(\S+)$/i.exec(text);
  const code = parseCourseCode(start ? start[1]! : text);
  return code ? { ...incoming, text: `/courses ${code}` } : incoming;
}

/** Wraps `bot` so codes and deep links open the course. */
export function withCourseCodes(bot: Bot): Bot {
  return { handle: (incoming) => bot.handle(courseCodeIncoming(incoming)) };
}
