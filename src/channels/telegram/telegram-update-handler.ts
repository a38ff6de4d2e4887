/**
 * The telegraf middleware that turns one update into an `Incoming`, runs it through the bot
 * and sends the replies. A button press is answered at once and its keyboard marked, and a
 * keyboard can be answered only once, so old buttons cannot replay a step.
 */
import type { Context, MiddlewareFn, Telegram } from "telegraf";
import { ticketReplyCommand } from "../shared/ticket-reply.js";
import type { CallbackQuery, InlineKeyboardMarkup, Message, User } from "telegraf/types";
import type { Bot, Incoming } from "../../engine/messages.js";
import type { ChannelMetrics } from "../shared/channel-metrics.js";
import { describeError } from "../shared/describe-error.js";
import { handleIncoming } from "../shared/handle-incoming.js";
import type { Logger } from "../../shared/logger.js";
import { RecentIds } from "../shared/recent-ids.js";
import { updateKey } from "../shared/update-admission.js";
import type { RetryOptions } from "../shared/retry.js";
import type { SendGate } from "../shared/send-gate.js";
import type { SendHealth } from "../shared/send-health.js";
import { ANSWERED_CALLBACK_DATA, deliverToTelegram } from "./telegram-delivery.js";

/** What the handler needs. */
export interface UpdateHandlerDeps {
  bot: Bot;
  metrics: ChannelMetrics;
  logger: Logger;
  retry?: Partial<Omit<RetryOptions, "classify">>;
  /** Told when a reply finds the user gone (blocked the bot, chat not found). */
  onUnreachable?: (userId: string, code: string) => void | Promise<void>;
  /** The instance to call (its calls are bounded); defaults to the update's own. */
  telegram?: Telegram;
  /** The bot's send budget (replies take a slot first). */
  gate?: SendGate;
  health?: SendHealth;
}

/** Creates the middleware; it keeps a bounded memory of answered keyboards. */
export function createUpdateHandler(deps: UpdateHandlerDeps): MiddlewareFn<Context> {
  const answered = new RecentIds(10_000);
  const handleDeps = { channel: "telegram" as const, bot: deps.bot, metrics: deps.metrics, logger: deps.logger };

  const run = (ctx: Context, chatId: number, incoming: Incoming): Promise<void> =>
    handleIncoming(handleDeps, incoming, async (replies) => {
      const result = await deliverToTelegram(deps.telegram ?? ctx.telegram, chatId, replies, {
        metrics: deps.metrics,
        retry: deps.retry,
        ...(deps.gate ? { gate: deps.gate } : {}),
        ...(deps.health ? { health: deps.health } : {}),
      });
      if (result.ok) return;
      deps.logger.warn({ channel: "telegram", kind: result.kind }, "reply not delivered");
      if (result.kind === "unreachable") await deps.onUnreachable?.(incoming.user.userId, result.code);
    });

  /** Returns false when the update was ignored (the bot never saw it). */
  async function onMessage(ctx: Context, message: Message): Promise<boolean> {
    // The bot is a one-to-one assistant: group chats are ignored.
    if (message.chat.type !== "private" || !message.from) return false;
    const typed = "text" in message ? message.text : undefined;
    // A reply to a forwarded ticket is that ticket's answer (/reply <ticket> <text>).
    const replied = "reply_to_message" in message ? message.reply_to_message : undefined;
    const asReply = typed === undefined || !replied ? null : ticketReplyCommand("text" in replied ? replied.text : undefined, replied.from?.is_bot === true, typed);
    const text = asReply ?? typed;
    const base = { ...userFields(message.from), updateKey: updateKey("telegram", String(ctx.update.update_id)) };
    const incoming: Incoming =
      text !== undefined && text.trim() !== "" ? { ...base, kind: "text", text } : { ...base, kind: "unsupported" };
    await run(ctx, message.chat.id, incoming);
    return true;
  }

  /**
   * Returns false when the press was only acknowledged (an inert or already answered keyboard).
   * The acknowledgement and the keyboard mark go out while the bot works on the answer: they
   * touch only the pressed message, so the reply does not wait for them.
   */
  async function onCallback(ctx: Context, query: CallbackQuery): Promise<boolean> {
    const acknowledged = (deps.telegram ?? ctx.telegram).answerCbQuery(query.id).then(
      () => undefined,
      (error: unknown) => deps.logger.debug({ channel: "telegram", ...describeError(error) }, "answerCallbackQuery failed"),
    );
    const data = "data" in query ? query.data : undefined;
    const message = query.message;
    if (!data || data === ANSWERED_CALLBACK_DATA || (message && message.chat.type !== "private")) {
      await acknowledged;
      return false;
    }
    if (message && !answered.add(`${message.chat.id}:${message.message_id}`)) {
      await acknowledged;
      return false;
    }
    const marked = message ? markAnswered(ctx, message, data) : undefined;
    const chatId = message?.chat.id ?? query.from.id;
    await run(ctx, chatId, { ...userFields(query.from), updateKey: updateKey("telegram", String(ctx.update.update_id)), kind: "choice", choiceId: data });
    await Promise.all([acknowledged, marked]);
    return true;
  }

  async function markAnswered(ctx: Context, message: NonNullable<CallbackQuery["message"]>, data: string): Promise<void> {
    const keyboard = "reply_markup" in message ? message.reply_markup : undefined;
    const label = keyboard?.inline_keyboard.flat().find((b) => "callback_data" in b && b.callback_data === data)?.text;
    // Keep the picked label visible (the conversation stays readable) but make it inert.
    const markup: InlineKeyboardMarkup = {
      inline_keyboard: label ? [[{ text: `✓ ${label}`, callback_data: ANSWERED_CALLBACK_DATA }]] : [],
    };
    await (deps.telegram ?? ctx.telegram)
      .editMessageReplyMarkup(message.chat.id, message.message_id, undefined, markup)
      .catch((error: unknown) => {
        deps.logger.debug({ channel: "telegram", ...describeError(error) }, "editMessageReplyMarkup failed");
      });
  }

  return async (ctx) => {
    const started = performance.now();
    const update = ctx.update;
    let ran = false;
    if ("callback_query" in update) ran = await onCallback(ctx, update.callback_query);
    else if ("message" in update) ran = await onMessage(ctx, update.message);
    // Every accepted update ends as handled or as an error, so received = duplicate + handled + errors.
    if (!ran) deps.metrics.updateHandled("telegram", (performance.now() - started) / 1000);
  };
}

/** User, language hint and display name of a Telegram user (the name is personal data: never log it). */
function userFields(from: User): Pick<Incoming, "user" | "localeHint" | "displayName"> {
  const displayName = [from.first_name, from.last_name].filter(Boolean).join(" ");
  return {
    user: { channel: "telegram", userId: String(from.id) },
    ...(from.language_code ? { localeHint: from.language_code } : {}),
    ...(displayName ? { displayName } : {}),
  };
}
