/**
 * A staff member replying (where the platform has replies) to a forwarded ticket ("Câu hỏi mới #12 …") answers it:
 * the reply becomes `/reply 12 <text>`. The staff-only /reply flow still checks who it is.
 */

/** The ticket marker in a forwarded question (`handoff:staff.forward`): `#<number>`. */
const TICKET_MARKER = /#(\d{1,9})\b/;

/** The `/reply` command a reply to a forwarded ticket stands for, or null when it is not one. */
export function ticketReplyCommand(repliedText: string | undefined, repliedFromBot: boolean, text: string): string | null {
  if (!repliedFromBot || repliedText === undefined || text.trim().startsWith("/")) return null;
  const m = TICKET_MARKER.exec(repliedText);
  return m ? `/reply ${m[1]} ${text.trim()}` : null;
}
