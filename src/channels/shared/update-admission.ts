/**
 * Admission of platform updates: a bounded in-memory set drops re-deliveries cheaply, then the
 * durable inbox (a database insert under `channel:updateId`) stores the update before anything
 * acknowledges it. The insert is also the de-duplication claim shared by every process.
 */
import type { ChannelName } from "../../engine/messages.js";
import type { ChannelMetrics } from "./channel-metrics.js";
import { describeError } from "./describe-error.js";
import type { Logger } from "../../shared/logger.js";
import { RecentIds } from "./recent-ids.js";

/**
 * Durable storage of received updates (see `src/db/inbox-repo.ts`). An update is acknowledged to
 * the platform (HTTP 200, or the polling offset moved past it) only once `accept` resolved, and
 * is marked `done` once handled; one not done after a lease is handled again by a recovery sweep.
 */
export interface UpdateInbox {
  /** Stores the raw update under `key`: true when new, false when it was stored before. Throws when it could not be stored. */
  accept(key: string, update: unknown): Promise<boolean>;
  /** Marks `key` handled; may resolve before the marker is stored (its owner waits for those on stop). Never rejects. */
  done(key: string): Promise<void>;
}

/** What `createUpdateAdmission` needs. */
export interface AdmissionOptions {
  channel: ChannelName;
  metrics: ChannelMetrics;
  logger: Logger;
  inbox?: UpdateInbox;
  /** Ids remembered in memory (default 10 000). */
  capacity?: number;
}

/** Decides whether an update is new; counts received and duplicate updates. */
export interface UpdateAdmission {
  /**
   * In memory, then the inbox: "new" once the update is stored (safe to acknowledge), "duplicate"
   * when seen or stored before, "busy" when it could not be stored (do not acknowledge it).
   */
  admit(id: string, update: unknown): Promise<"new" | "duplicate" | "busy">;
  /** Tells the inbox the update admitted under `id` was handled. */
  done(id: string): Promise<void>;
  /** The inbox key of an id. */
  key(id: string): string;
}

/** The durable key of a platform update (the inbox `_id`, and `Incoming.updateKey`). */
export const updateKey = (channel: ChannelName, id: string): string => `${channel}:${id}`;

/** Creates the admission for one channel. */
export function createUpdateAdmission(options: AdmissionOptions): UpdateAdmission {
  const { channel, metrics, logger, inbox } = options;
  const seen = new RecentIds(options.capacity ?? 10_000);
  const key = (id: string) => updateKey(channel, id);

  return {
    key,
    async admit(id, update) {
      metrics.updateReceived(channel);
      if (!seen.add(id)) {
        metrics.updateDuplicate(channel);
        return "duplicate";
      }
      if (!inbox) return "new";
      try {
        if (await inbox.accept(key(id), update)) return "new";
        metrics.updateDuplicate(channel);
        return "duplicate";
      } catch (error) {
        // Not stored: refuse, so the platform delivers it again later.
        seen.delete(id);
        logger.warn({ channel, ...describeError(error) }, "update could not be stored; asking for re-delivery");
        return "busy";
      }
    },
    done: (id) => (inbox ? inbox.done(key(id)) : Promise.resolve()),
  };
}
