import type { BotContext } from "../context.js";

/**
 * True when no conversation waits in this chat. A waiting conversation passes input it rejects on to the features
 * (so commands work mid-flow) after answering it itself: generic handlers must then stay silent.
 */
export async function noConversation(ctx: BotContext): Promise<boolean> {
  return Object.keys(await ctx.conversation.active()).length === 0;
}
