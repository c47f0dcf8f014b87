import { Composer } from "grammy";
import type { BotContext } from "../../context.js";
import type { Feature } from "../../feature.js";
import { leaveApplication } from "../apply/index.js";

/**
 * /cancel leaves any flow and keeps the saved answers. It sits between conversations() and the flows
 * themselves, or a waiting flow would take the command as an answer.
 */
const cancel = new Composer<BotContext>();

cancel.chatType("private").command("cancel", async (ctx) => {
  const active = Object.keys(await ctx.conversation.active());
  const left = await leaveApplication(ctx);
  if (active.length === 0 && !left) return void (await ctx.reply(ctx.t("common.nothing_to_cancel")));
  await ctx.conversation.exitAll();
  await ctx.reply(ctx.t("common.cancelled"), { reply_markup: { remove_keyboard: true } });
});

export const cancelFeature: Feature = {
  name: "cancel",
  beforeConversations: cancel,
  commands: [{ command: "cancel", menu: 9 }],
};
