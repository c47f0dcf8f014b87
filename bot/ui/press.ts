import type { BaseContext } from "../context.js";

/**
 * Stops a pressed button's spinner, with a short notice when given. It goes out beside the rest of the answer, which
 * never waits for it; a failed answer costs only the spinner, which stops by itself: the press is taken all the same.
 */
export async function answerPress(ctx: BaseContext, notice?: string): Promise<void> {
  await ctx.answerCallbackQuery(notice === undefined ? undefined : { text: notice }).catch((err: unknown) => {
    ctx.log.warn({ error: err instanceof Error ? err.name : "unknown" }, "a press not answered");
  });
}
