import { Composer } from "grammy";
import type { BotContext } from "../../context.js";

/** Last in line: whatever no feature took gets a short hint; stray buttons are answered so they stop spinning. */
export const fallbackFeature = new Composer<BotContext>();

async function inConversation(ctx: BotContext): Promise<boolean> {
  return Object.keys(await ctx.conversation.active()).length > 0;
}

// A waiting conversation has already answered what it passed on, except commands no feature knows.
fallbackFeature.on("callback_query", async (ctx) => {
  if (!(await inConversation(ctx))) await ctx.answerCallbackQuery({ text: ctx.t("common.stale_button") });
});
fallbackFeature.chatType("private").on("message", async (ctx) => {
  if (!(await inConversation(ctx))) return void (await ctx.reply(ctx.t("common.unknown")));
  if (ctx.message.text?.startsWith("/")) await ctx.reply(ctx.t("apply.in_progress"));
});
