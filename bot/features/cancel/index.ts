import { Composer } from "grammy";
import type { BotContext } from "../../context.js";
import { dropWaitingButtons } from "../apply/ask.js";

/**
 * /cancel leaves any flow and keeps the saved answers. It sits between conversations() and the conversations
 * themselves, or a waiting conversation would take the command as an answer (engineering.md §10).
 */
export const cancelFeature = new Composer<BotContext>();

cancelFeature.chatType("private").command("cancel", async (ctx) => {
  const active = Object.keys(await ctx.conversation.active());
  if (active.length === 0) return void (await ctx.reply(ctx.t("common.nothing_to_cancel")));
  await ctx.conversation.exitAll();
  await dropWaitingButtons(ctx.api, ctx.chat.id);
  await ctx.reply(ctx.t("common.cancelled"), { reply_markup: { remove_keyboard: true } });
});
