import { autoRetry } from "@grammyjs/auto-retry";
import type { MiddlewareFn } from "grammy";
import type { BaseContext, Deps } from "../context.js";
import { injectDeps } from "./deps.js";
import { dropEmptyKeyboardRows } from "./keyboard-rows.js";
import { localeOnly } from "./locale.js";

/** Retries 429 (retry_after) and 5xx a few times, never for long: a person is waiting for the answer. */
export function replyRetry() {
  return autoRetry({ maxRetryAttempts: 3, maxDelaySeconds: 5 });
}

/**
 * Inside a conversation the context is rebuilt bare and transformers of bot.api do not apply (engineering.md §3,
 * §11): every conversation installs the same deps, locale, retry and keyboard clean-up.
 */
export function conversationPlugins(deps: Deps): MiddlewareFn<BaseContext>[] {
  const retry: MiddlewareFn<BaseContext> = (ctx, next) => {
    ctx.api.config.use(replyRetry(), dropEmptyKeyboardRows);
    return next();
  };
  return [injectDeps<BaseContext>(deps), localeOnly<BaseContext>(), retry];
}
