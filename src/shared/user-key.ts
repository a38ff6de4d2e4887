/** The one format of a user key, `channel:userId` (sessions, contacts, registrations, tickets use it as an id). */
import type { UserRef } from "../engine/messages.js";

/** The key for a user: `channel:userId`. Used as MongoDB `_id`. */
export function userKey(user: UserRef): string {
  return `${user.channel}:${user.userId}`;
}

/** `<channel>:123` → { channel, userId: "123" }; null when the key has no channel part. Ids may contain ":". */
export function parseUserKey(key: string): UserRef | null {
  const at = key.indexOf(":");
  if (at <= 0) return null;
  return { channel: key.slice(0, at), userId: key.slice(at + 1) };
}

/** A key the app wrote itself (a contact id, a registration's owner) back into a user; a malformed key yields an empty channel, which no sender has. */
export function userRefOfKey(key: string): UserRef {
  return parseUserKey(key) ?? { channel: "", userId: key };
}
