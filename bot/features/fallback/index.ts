import { Composer } from "grammy";
import type { BotContext } from "../../context.js";
import type { Feature } from "../../feature.js";
import { noConversation } from "../../ui/conversation-state.js";

/** Last in line: whatever no feature took gets a short hint; stray buttons are answered so they stop spinning. */
const fallback = new Composer<BotContext>();

// A waiting conversation has already answered what it passed on, except commands no feature knows.
fallback.on("callback_query", async (ctx) => {
  if (await noConversation(ctx)) await ctx.answerCallbackQuery({ text: ctx.t("common.stale_button") });
});
fallback.chatType("private").on("message", async (ctx) => {
  if (await noConversation(ctx)) return void (await ctx.reply(ctx.t("common.unknown")));
  if (ctx.message.text?.startsWith("/")) await ctx.reply(ctx.t("common.in_progress"));
});

export const fallbackFeature: Feature = { name: "fallback", handlers: () => fallback };
