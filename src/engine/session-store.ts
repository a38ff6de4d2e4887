/** The storage port for sessions. The MongoDB implementation lives in `src/db/`. */
import type { Session } from "./session.js";

/**
 * Reads and writes one session by key (`userKey(user)` = `channel:userId`).
 * `read` returns the stored JSON as is (or null); the runner validates it.
 */
export interface SessionStore {
  read(key: string): Promise<unknown | null>;
  write(key: string, session: Session): Promise<void>;
}
