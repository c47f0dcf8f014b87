import { GrammyError, HttpError, type BotError } from "grammy";
import type { BaseContext, Deps } from "../context.js";
import { resolveLocale } from "./locale.js";

/** A summary without personal data: ids, update kind and error class only. */
export function describeError(err: BotError<BaseContext>): Record<string, unknown> {
  const e = err.error;
  const summary: Record<string, unknown> = {
    update_id: err.ctx.update.update_id,
    update_kind: Object.keys(err.ctx.update).find((k) => k !== "update_id"),
    error: e instanceof Error ? e.name : typeof e,
  };
  if (e instanceof GrammyError) {
    summary.method = e.method;
    summary.error_code = e.error_code;
    summary.description = e.description;
  } else if (e instanceof HttpError) {
    summary.cause = "network";
  } else if (e instanceof Error) {
    // Stack frames name our files, never user data.
    summary.stack = e.stack?.split("\n").slice(1, 6).join("\n");
  }
  return summary;
}

/**
 * The error boundary around everything after deps: log, then tell the user politely; their saved data stays.
 * The failure may come before the locale was resolved (the user row could not be read): then the language is
 * Telegram's language_code (kk or ru), as for someone who has not chosen yet. `deps` serves bot.catch, where even
 * injectDeps may not have run.
 */
export async function handleFeatureError(err: BotError<BaseContext>, deps?: Deps): Promise<void> {
  const ctx = err.ctx;
  const log = (ctx as Partial<BaseContext>).log ?? deps?.log.child({ update_id: ctx.update.update_id });
  log?.error(describeError(err), "update failed");
  if (!ctx.chat || ctx.chat.type !== "private") return;
  const i18n = (ctx as Partial<BaseContext>).deps?.i18n ?? deps?.i18n;
  const t = (ctx as Partial<BaseContext>).t ?? i18n?.t(resolveLocale(undefined, ctx.from?.language_code));
  if (!t) return;
  try {
    if (ctx.callbackQuery) await ctx.answerCallbackQuery().catch(() => undefined);
    await ctx.reply(t("common.error"), { parse_mode: "HTML" });
  } catch (replyError) {
    log?.warn({ error: replyError instanceof Error ? replyError.name : "unknown" }, "could not send the error message");
  }
}
