import type { BaseContext } from "../context.js";
import { resultUnread } from "../telegram-direct.js";

/**
 * Stops a pressed button's spinner, with a short notice when given. It goes out beside the rest of the answer, which
 * never waits for it; a failed answer costs only the spinner, which stops by itself: the press is taken all the same.
 */
export async function answerPress(ctx: BaseContext, notice?: string): Promise<void> {
  await ctx.answerCallbackQuery(notice === undefined ? undefined : { text: notice }).catch((err: unknown) => {
    ctx.log.warn({ error: err instanceof Error ? err.name : "unknown" }, "a press not answered");
  });
}

/**
 * Answers a press with `work`, while the press is answered and the pressed message loses its buttons beside it (the
 * message stays readable; a second press cannot answer twice, since the chat's next update runs once these are done).
 */
export async function answeredBeside(ctx: BaseContext, work: () => Promise<void>, notice?: string): Promise<void> {
  const aside = [
    answerPress(ctx, notice),
    ctx.editMessageReplyMarkup(resultUnread()).then(
      () => undefined,
      () => undefined,
    ),
  ];
  try {
    await work();
  } finally {
    await Promise.all(aside);
  }
}
