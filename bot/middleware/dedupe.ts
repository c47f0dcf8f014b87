import type { MiddlewareFn } from "grammy";
import { isProcessed, markProcessed } from "../../data/repositories/processed-updates.js";
import type { BaseContext } from "../context.js";

/**
 * Runner and webhooks deliver at least once: an update already handled is dropped.
 * It is marked after handling, so a crash mid-way lets Telegram's redelivery finish the job;
 * updates of one chat run in sequence, so a duplicate always sees the mark.
 */
export function dedupeUpdates<C extends BaseContext>(): MiddlewareFn<C> {
  return async (ctx, next) => {
    const id = ctx.update.update_id;
    if (await isProcessed(ctx.deps.db, id)) {
      ctx.log.info("duplicate update skipped");
      return;
    }
    try {
      await next();
    } finally {
      await markProcessed(ctx.deps.db, id, ctx.deps.clock.now().toISOString());
    }
  };
}
