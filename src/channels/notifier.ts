import type { ChannelName, Locale, Msg, Notifier, Sender, SendResult, UserRef } from "../engine/messages.js";
import { userKey } from "../engine/messages.js";

/** What the notifier needs: where to send, how to render, and the contact book. */
export interface NotifierDeps {
  senders: ReadonlyMap<ChannelName, Sender>;
  render(msg: Msg, locale: Locale): string;
  localeOf(key: string): Promise<string | undefined>;
  markUnreachable(key: string, code: string): Promise<void>;
  defaultLocale: Locale;
}

/**
 * Sends messages to a user outside a conversation, in the user's own language, and records
 * a permanent failure on the contact so later broadcasts skip them.
 */
export function createNotifier(deps: NotifierDeps): Notifier {
  return {
    async notify(user: UserRef, messages: Msg[]): Promise<SendResult> {
      const sender = deps.senders.get(user.channel);
      if (!sender) return { ok: false, kind: "unreachable", code: "channel_not_running" };
      const key = userKey(user);
      const stored = await deps.localeOf(key);
      const locale: Locale = stored === "en" || stored === "vi" ? stored : deps.defaultLocale;
      const text = messages.map((m) => deps.render(m, locale)).join("\n\n");
      const result = await sender.send(user.userId, { text });
      if (!result.ok && result.kind === "unreachable") await deps.markUnreachable(key, result.code);
      return result;
    },
  };
}
