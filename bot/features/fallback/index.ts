import { Composer } from "grammy";
import type { BotContext } from "../../context.js";
import type { Feature } from "../../feature.js";
import { conversationActive, noConversation, othersButton } from "../../ui/conversation-state.js";

/** Last in line: whatever no feature took gets a short hint; stray buttons are answered so they stop spinning. */
const fallback = new Composer<BotContext>();

// A waiting conversation has already answered what it passed on, except commands no feature knows. Another feature's
// button the waiting application passed on and no feature took (one only an operator's conversation answers, forged)
// is still spinning.
fallback.on("callback_query", async (ctx) => {
  const answer = (await noConversation(ctx)) || (othersButton(ctx) && !(await conversationActive(ctx)));
  if (answer) await ctx.answerCallbackQuery({ text: ctx.t("common.stale_button") });
});
fallback.chatType("private").on("message", async (ctx) => {
  if (await noConversation(ctx)) return void (await ctx.reply(ctx.t("common.unknown")));
  if (ctx.message.text?.startsWith("/")) await ctx.reply(ctx.t("common.in_progress"));
});

export const fallbackFeature: Feature = { name: "fallback", handlers: () => fallback };
