import type { MiddlewareFn } from "grammy";
import type { BaseContext } from "../context.js";

/**
 * Everything the bot answers comes from a person: an update without `from` (a channel's post, a message an
 * anonymous admin or a channel sent into a group, an update type with no sender, a forged one) or sent on behalf
 * of a chat (`sender_chat`, where Telegram puts a placeholder in `from`) is ignored here, so no handler further on
 * meets a missing sender.
 */
export const requireSender: MiddlewareFn<BaseContext> = async (ctx, next) => {
  if (!ctx.from || ctx.msg?.sender_chat !== undefined) {
    ctx.log.debug({ update_kind: Object.keys(ctx.update).find((k) => k !== "update_id") }, "update without a sender");
    return;
  }
  await next();
};
