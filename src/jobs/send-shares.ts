/**
 * Several bot processes send as one bot account: the platform's rate is for all of them together.
 * Each process holds a lease (a member document with a heartbeat) and uses rate / (live members)
 * of every channel's budget, so the sum never exceeds the rate. A process that joins waits one
 * heartbeat before sending (so the others have shrunk their share by then); a process that stops
 * removes its lease, one that dies is dropped after `staleAfterMs`, and the others grow back.
 */
import { randomUUID } from "node:crypto";
import type { Database } from "../db/database.js";
import type { Logger } from "../shared/logger.js";
import { errorFields } from "../shared/error-fields.js";
import type { RateLimiter } from "./rate-limiter.js";

/** What the shares need. */
export interface SendSharesDeps {
  db: Database;
  /** Each channel's limiter and the whole bot's rate per second on it. */
  budgets: ReadonlyArray<{ limiter: RateLimiter; rate: number }>;
  heartbeatMs?: number;
  /** A member silent this long is presumed dead (ms); default 3 heartbeats. */
  staleAfterMs?: number;
  logger?: Logger;
}

/** The running share keeper. */
export interface SendShares {
  /** Registers this process and sets its share; waits one heartbeat when others are sending. */
  start(): Promise<void>;
  stop(): Promise<void>;
  /** Live members at the last heartbeat. */
  readonly members: number;
}

/** Creates the share keeper (collection `send_members`: `_id` process id, `beatAt`). */
export function createSendShares(deps: SendSharesDeps): SendShares {
  const heartbeatMs = deps.heartbeatMs ?? 2_000;
  const staleAfterMs = deps.staleAfterMs ?? 3 * heartbeatMs;
  const collection = deps.db.connection.collection<{ _id: string; beatAt: Date }>("send_members");
  const id = randomUUID();
  let members = 1;
  let timer: ReturnType<typeof setInterval> | undefined;

  async function beat(): Promise<number> {
    const now = new Date();
    await collection.updateOne({ _id: id }, { $set: { beatAt: now } }, { upsert: true });
    const live = await collection.countDocuments({ beatAt: { $gt: new Date(now.getTime() - staleAfterMs) } });
    members = Math.max(1, live);
    for (const b of deps.budgets) b.limiter.resize(Math.max(1, Math.floor(b.rate / members)));
    return members;
  }

  return {
    get members() {
      return members;
    },
    async start() {
      const n = await beat();
      timer = setInterval(() => {
        void beat().catch((error: unknown) => deps.logger?.warn(errorFields(error), "send share heartbeat failed"));
      }, heartbeatMs);
      timer.unref();
      // The others shrink their share at their next heartbeat: send only after it.
      if (n > 1) await new Promise((r) => setTimeout(r, heartbeatMs));
    },
    async stop() {
      if (timer) clearInterval(timer);
      timer = undefined;
      await collection.deleteOne({ _id: id }).catch(() => undefined);
    },
  };
}
