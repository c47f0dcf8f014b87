import { loadDraft } from "../../data/repositories/drafts.js";
import { parseDraft } from "../application/draft.js";
import type { BaseContext, BotContext } from "../context.js";

/** The application waits for this person's answer (its state is the draft: see features/apply/flow.ts). */
export async function applicationWaits(ctx: BotContext): Promise<boolean> {
  const saved = ctx.from ? await loadDraft(ctx.deps, ctx.from.id) : undefined;
  return saved ? parseDraft(saved.data).active : false;
}

/**
 * A button another feature declared (menu, FAQ, language, a broadcast's…), pressed while the application waits: the
 * application passes it on unanswered, for its feature to answer (it answers its own `a:` buttons and unknown ones).
 */
export function othersButton(ctx: BaseContext): boolean {
  const data = ctx.callbackQuery?.data;
  return ctx.callbackQuery !== undefined && !data?.startsWith("a:") && ctx.deps.callbacks.isDeclared(data);
}

/** A conversation (an operator's broadcast, a staff flow) waits in this chat. */
export async function conversationActive(ctx: BotContext): Promise<boolean> {
  return Object.keys(await ctx.conversation.active()).length > 0;
}

/**
 * True when no conversation or application waits in this chat. A waiting one passes input it rejects on to the
 * features (so commands work mid-flow) after answering it itself: generic handlers must then stay silent.
 */
export async function noConversation(ctx: BotContext): Promise<boolean> {
  if (await conversationActive(ctx)) return false;
  return ctx.chat?.type !== "private" || !(await applicationWaits(ctx));
}
