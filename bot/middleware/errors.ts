import { GrammyError, HttpError, type BotError } from "grammy";
import type { BaseContext } from "../context.js";

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

/** The error boundary around features: log, then tell the user politely; their saved data stays. */
export async function handleFeatureError(err: BotError<BaseContext>): Promise<void> {
  const ctx = err.ctx;
  ctx.log.error(describeError(err), "update failed");
  if (!ctx.chat || ctx.chat.type !== "private") return;
  try {
    if (ctx.callbackQuery) await ctx.answerCallbackQuery().catch(() => undefined);
    await ctx.reply(ctx.t("common.error"), { parse_mode: "HTML" });
  } catch (replyError) {
    ctx.log.warn({ error: replyError instanceof Error ? replyError.name : "unknown" }, "could not send the error message");
  }
}
