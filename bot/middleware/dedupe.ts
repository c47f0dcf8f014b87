import type { MiddlewareFn } from "grammy";
import { conversationKey, primeConversationState } from "../../data/conversation-storage.js";
import { primeDraft } from "../../data/repositories/drafts.js";
import { markProcessed } from "../../data/repositories/processed-updates.js";
import { dropKeptUpdate } from "../../data/repositories/update-inbox.js";
import { readUpdateStart } from "../../data/repositories/update-start.js";
import { consentKey } from "../../data/repositories/consents.js";
import { userKey } from "../../data/repositories/users.js";
import { UnitOfWork } from "../../data/unit-of-work.js";
import type { BaseContext } from "../context.js";
import { rulesForOneUpdate } from "../rules-service.js";

/** The key `sequentialize` orders updates by: one update of a chat runs at a time. */
export function chatKey(ctx: BaseContext): string | undefined {
  return ctx.chat?.id.toString() ?? ctx.from?.id.toString();
}

/**
 * Runner and webhooks deliver at least once: an update already handled is dropped.
 *
 * One update, one transaction: what the update stores (this mark, the conversation state, the draft, the user's last
 * visit) is buffered in a unit of work (`ctx.deps.uow`) and committed together after the handlers, so the update is
 * marked processed if and only if its effects are stored. An update that throws stores none of it: the person's
 * progress is the last committed state, and a redelivery runs it again. Writes that stand on their own (a request,
 * a decision, the audit log) are stored at once and are idempotent (a request by its draft's submission key).
 *
 * Replies go out during the handlers, before the commit: a crash in between (or a failed commit) means Telegram
 * redelivers the update and the reply may be sent again: at most one duplicate per crash.
 *
 * Updates of one chat run in sequence, so a duplicate always sees the mark, and the chat's unit is the only one.
 * With several instances on PostgreSQL, the chat's advisory lock is held from before that look until after the
 * commit: a redelivery that reaches another instance waits, then sees the mark.
 */
export function dedupeUpdates<C extends BaseContext>(): MiddlewareFn<C> {
  return async (ctx, next) => {
    const locks = ctx.deps.chatLocks;
    if (!locks) return once(ctx, next);
    const waited = ctx.deps.metrics.dbWait.startTimer();
    await locks.run(chatKey(ctx) ?? `update:${ctx.update.update_id}`, () => {
      waited();
      return once(ctx, next);
    });
  };
}

async function once<C extends BaseContext>(ctx: C, next: () => Promise<void>): Promise<void> {
  const id = ctx.update.update_id;
  const deps = ctx.deps;
  const userId = ctx.from?.id;
  // The only chats with conversation state (see the conversations' storage key in create-bot).
  const stateKey = ctx.chat?.type === "private" ? conversationKey(ctx.chat.id) : undefined;
  const start = await readUpdateStart(deps.db, { updateId: id, userId, conversationKey: stateKey });
  if (start.processed) {
    ctx.log.info("duplicate update skipped");
    return;
  }
  const uow = new UnitOfWork(deps.db, deps.groupCommit);
  // The settings and the directory as the bot kept them, while their counters read above stay; the policy in force
  // and the working-day calendar among them (asked by several steps and replays).
  const reads = deps.sharedReads.at(start.epochs);
  const own = { ...deps, uow, reads, rules: rulesForOneUpdate(deps.rules, reads) };
  // What the first read brought is the unit's to start with: the sender, their draft, the chat's state.
  if (userId !== undefined) {
    uow.remember(userKey(userId), start.user);
    uow.remember(consentKey(userId), start.consent);
    primeDraft(own, userId, start.draft);
  }
  if (stateKey !== undefined) primeConversationState(own, uow, stateKey, start.conversation);
  const chat = chatKey(ctx);
  ctx.deps = own;
  if (chat !== undefined) deps.units.set(chat, own);
  try {
    await next();
    const at = deps.clock.now().toISOString();
    uow.stage("processed", (trx) => markProcessed(trx, id, at));
    await uow.commit();
  } catch (err) {
    uow.discard();
    // Finished all the same: the error boundary answers "try again", and a polled update kept in case of a crash
    // (bot/update-inbox.ts) must not be replayed after a restart, behind the chat's newer updates.
    await dropKeptUpdate(deps.db, deps.vault, id).catch(() => undefined);
    throw err;
  } finally {
    if (chat !== undefined) deps.units.delete(chat, own);
    ctx.deps = deps;
  }
}
