import { Composer } from "grammy";
import { markBlocked, setSubscribed, touchUser } from "../../../data/repositories/users.js";
import type { BotContext } from "../../context.js";
import type { Feature } from "../../feature.js";

/** Campaign reminders and broadcasts can be switched off and on at any time. */
const subscription = new Composer<BotContext>();
const privateChat = subscription.chatType("private");

privateChat.command("stop", async (ctx) => {
  await setSubscribed(ctx.deps.db, ctx.from.id, false);
  await ctx.reply(ctx.t("subscription.stopped"));
});

privateChat.command("subscribe", async (ctx) => {
  await setSubscribed(ctx.deps.db, ctx.from.id, true);
  await ctx.reply(ctx.t("subscription.subscribed"));
});

// Blocking the bot is a subscriber leaving: broadcasts skip them until they come back (touchUser unblocks).
subscription.on("my_chat_member", async (ctx) => {
  if (ctx.chat.type !== "private") return;
  const status = ctx.myChatMember.new_chat_member.status;
  if (status === "kicked") await markBlocked(ctx.deps.db, ctx.chat.id);
  else if (status === "member") await touchUser(ctx.deps.db, ctx.chat.id, ctx.deps.clock.now().toISOString());
});

export const subscriptionFeature: Feature = {
  name: "subscription",
  handlers: () => subscription,
  commands: [{ command: "stop" }, { command: "subscribe" }],
};
