/**
 * How an announcement will look on each chat channel: the text a reader gets (see
 * `BroadcastService.preview`) split at the channel's per-message limit, as its sender splits it.
 */
import type { ChannelCapabilities } from "../channels/shared/definition.js";
import { splitText } from "../channels/shared/split-text.js";

/** One channel's view of an announcement. */
export interface ChannelPreview {
  channel: string;
  /** The messages a reader receives, in order. */
  parts: string[];
  /** The limit it was split at. */
  limit: number;
  /** False on channels without buttons: plain typed text only (announcements carry no buttons anywhere). */
  buttons: boolean;
}

/** The messages `text` becomes on a channel with these capabilities (blank parts dropped, as the senders do). */
export function channelPreview(channel: string, text: string, capabilities: Pick<ChannelCapabilities, "maxTextLength" | "buttons">): ChannelPreview {
  const parts = text.trim() === "" ? [] : splitText(text, capabilities.maxTextLength).filter((p) => p.trim() !== "");
  return { channel, parts, limit: capabilities.maxTextLength, buttons: capabilities.buttons };
}
