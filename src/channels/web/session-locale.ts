/**
 * The page's language switch: sets the conversation's language in the session, as `/lang`
 * would, without leaving the question the visitor is at. Optimistic like every session save:
 * on a conflict (another message saved first) it reads again, a few times.
 */
import type { Locale } from "../../engine/messages.js";
import type { SessionStore } from "../../engine/session-store.js";

/** Returns `setLocale(key, locale)` over a session store; a visitor with no session yet is left alone (the next message carries the language). */
export function sessionLocaleSetter(store: Pick<SessionStore, "read" | "write">) {
  return async (key: string, locale: Locale): Promise<void> => {
    for (let attempt = 0; attempt < 3; attempt++) {
      const { value, revision } = await store.read(key, { fresh: attempt > 0 });
      if (value === null || typeof value !== "object") return;
      // A stored session is opaque JSON here (the runner validates it); only its locale is read and changed.
      const session = value as { locale?: unknown };
      if (session.locale === locale) return;
      // The same opaque session with its locale replaced: what the store was given before, in the same shape.
      const outcome = await store.write(key, { ...(value as object), locale } as Parameters<SessionStore["write"]>[1], revision);
      if (outcome === "saved") return;
    }
  };
}
