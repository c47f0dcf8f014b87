import { limit } from "@grammyjs/ratelimiter";
import type { MiddlewareFn } from "grammy";
import type { BaseContext } from "../context.js";

/** Flood protection per user: excess updates are dropped; the user is told once per excess. */
export function rateLimit<C extends BaseContext>(opts: { perWindow: number; windowMs: number }): MiddlewareFn<C> {
  return limit<C, never>({
    timeFrame: opts.windowMs,
    limit: opts.perWindow,
    keyGenerator: (ctx) => (ctx.chat?.type === "private" ? ctx.from?.id.toString() : undefined),
    onLimitExceeded: (ctx) => {
      ctx.log.warn("rate limit exceeded");
      if (ctx.callbackQuery) void ctx.answerCallbackQuery({ text: ctx.t("common.too_many") }).catch(() => undefined);
      else void ctx.reply(ctx.t("common.too_many")).catch(() => undefined);
    },
  });
}
