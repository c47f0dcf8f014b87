import type { MiddlewareFn } from "grammy";
import type { BaseContext, Deps } from "../context.js";
import { chatKey } from "./dedupe.js";
import { injectDeps } from "./deps.js";
import { dropEmptyKeyboardRows } from "./keyboard-rows.js";
import { tolerateLateCallbackAnswers } from "./late-callbacks.js";
import { localeOnly } from "./locale.js";

/**
 * Inside a conversation the context is rebuilt bare and transformers of bot.api do not apply: every conversation
 * installs the same deps, locale and keyboard clean-up (retries happen below, in the bot's fetch), and its messages are charged to a running broadcast
 * like the bot's other replies (the broadcast yields to them).
 */
export function conversationPlugins(deps: Deps): MiddlewareFn<BaseContext>[] {
  const charger = deps.sendBudget.liveSendCharger();
  const api: MiddlewareFn<BaseContext> = (ctx, next) => {
    ctx.api.config.use(dropEmptyKeyboardRows, tolerateLateCallbackAnswers, charger(ctx.update.update_id));
    return next();
  };
  // The update running in the chat lends its unit of work: what the conversation stores commits with the update.
  const unit: MiddlewareFn<BaseContext> = (ctx, next) => {
    const key = chatKey(ctx);
    const running = key === undefined ? undefined : deps.units.get(key);
    if (running) ctx.deps = running;
    return next();
  };
  return [injectDeps<BaseContext>(deps), unit, localeOnly<BaseContext>(), api];
}
