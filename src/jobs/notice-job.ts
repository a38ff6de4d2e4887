/**
 * One-off messages to a person that any process may ask for and the running bot sends: the
 * admin CLI has no channel, so it queues them (e.g. "your representation request was approved").
 * Each notice is sent at most once (a claim on its id), in the recipient's language.
 */
import { randomUUID } from "node:crypto";
import type { ClaimsRepo } from "../db/claims-repo.js";
import { userKey, type Msg, type Notifier } from "../engine/messages.js";
import { dateOf, systemClock, type Clock } from "../shared/clock.js";
import type { Logger } from "../shared/logger.js";
import type { JobQueue } from "./job-queue.js";
import { userRefOfKey } from "../shared/user-key.js";

/** The agenda job name. */
export const NOTICE_JOB = "notice:send";

interface NoticeData {
  id: string;
  to: string;
  messages: Msg[];
}

/** `queued` is a Notifier that queues instead of sending; `register` makes this process send them. */
export function createNoticeJob(deps: { queue: JobQueue; notifier?: Notifier; claims?: ClaimsRepo; logger?: Logger; clock?: Clock }) {
  const now = dateOf(deps.clock ?? systemClock);
  return {
    queued: {
      async notify(user, messages) {
        await deps.queue.schedule<NoticeData>(NOTICE_JOB, now(), { id: randomUUID(), to: userKey(user), messages });
        return { ok: true };
      },
    } satisfies Notifier,
    register(): void {
      const { notifier, claims } = deps;
      if (!notifier || !claims) throw new Error("notice job: a notifier and claims are needed to send");
      deps.queue.define<NoticeData>(NOTICE_JOB, async (data) => {
        if (!(await claims.claimOnce(`notice-job/${data.id}`, now()))) return;
        const result = await notifier.notify(userRefOfKey(data.to), data.messages);
        if (!result.ok) deps.logger?.warn({ notice: data.id, kind: result.kind }, "queued notice not delivered");
      }, { concurrency: 2 });
    },
  };
}
