import { Composer } from "grammy";
import { setSubscribed } from "../../../data/repositories/users.js";
import type { BotContext } from "../../context.js";

/** Campaign reminders and broadcasts can be switched off and on at any time. */
export const subscriptionFeature = new Composer<BotContext>();
const privateChat = subscriptionFeature.chatType("private");

privateChat.command("stop", async (ctx) => {
  await setSubscribed(ctx.deps.db, ctx.from.id, false);
  await ctx.reply(ctx.t("subscription.stopped"));
});

privateChat.command("subscribe", async (ctx) => {
  await setSubscribed(ctx.deps.db, ctx.from.id, true);
  await ctx.reply(ctx.t("subscription.subscribed"));
});
