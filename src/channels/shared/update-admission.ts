/**
 * De-duplication of platform updates: a bounded in-memory set (enough for one process), plus an
 * optional shared claim (e.g. a database insert-claim) for several processes behind one webhook.
 */
import type { ChannelName } from "../../engine/messages.js";
import type { ChannelMetrics } from "./channel-metrics.js";
import { describeError } from "./describe-error.js";
import type { Logger } from "./logger.js";
import { RecentIds } from "./recent-ids.js";

/** Takes `key` once across processes: true for the first caller, false for every later one. */
export type ClaimUpdate = (key: string) => Promise<boolean>;

/** What `createUpdateAdmission` needs. */
export interface AdmissionOptions {
  channel: ChannelName;
  metrics: ChannelMetrics;
  logger: Logger;
  claim?: ClaimUpdate;
  /** Ids remembered in memory (default 10 000). */
  capacity?: number;
}

/** Decides whether an update is new; counts received and duplicate updates. */
export interface UpdateAdmission {
  /** For polled updates (one poller per bot): the in-memory check only. */
  admitLocal(id: string): boolean;
  /** For webhook deliveries: in memory, then the shared claim. "busy" when the claim could not be made. */
  admitShared(id: string): Promise<"new" | "duplicate" | "busy">;
}

/** Creates the admission for one channel. */
export function createUpdateAdmission(options: AdmissionOptions): UpdateAdmission {
  const { channel, metrics, logger, claim } = options;
  const seen = new RecentIds(options.capacity ?? 10_000);

  function admitLocal(id: string): boolean {
    metrics.updateReceived(channel);
    if (seen.add(id)) return true;
    metrics.updateDuplicate(channel);
    return false;
  }

  return {
    admitLocal,
    async admitShared(id) {
      if (!admitLocal(id)) return "duplicate";
      if (!claim) return "new";
      try {
        if (await claim(`update:${channel}:${id}`)) return "new";
        metrics.updateDuplicate(channel);
        return "duplicate";
      } catch (error) {
        // Not knowing whether another process has it: refuse, so the platform re-delivers later.
        seen.delete(id);
        logger.warn({ channel, ...describeError(error) }, "update claim failed; asking for re-delivery");
        return "busy";
      }
    },
  };
}
