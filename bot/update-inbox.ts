import type { Bot, Transformer } from "grammy";
import type { Update } from "grammy/types";
import { INBOX_GIVE_UP_MS, keepBatch, pruneInbox, unhandledUpdates } from "../data/repositories/update-inbox.js";
import type { BotContext, Deps } from "./context.js";
import { rawBodyOf } from "./telegram-fetch.js";
import type { Logger } from "./logger.js";

const PRUNE_EVERY_MS = 30_000;

/**
 * Polling: the runner asks for the next batch (which tells Telegram the last one arrived) while the last one is still
 * being handled, so a process killed then would lose the updates in hand. Each batch is kept (sealed) before it goes
 * on, and a restart handles what was kept but never marked processed (see replayUnhandled). When the database does
 * not answer, the batch goes on unkept: the features answer with the polite "try again later" as before.
 */
export function keepPolledBatches(deps: Pick<Deps, "db" | "vault" | "clock">, log: Logger): Transformer {
  let prunedAt = 0;
  let failing = false;
  return async (prev, method, payload, signal) => {
    const res = await prev(method, payload, signal);
    if (method !== "getUpdates" || !res.ok || !Array.isArray(res.result) || res.result.length === 0) return res;
    const now = deps.clock.now();
    try {
      await keepBatch(deps.db, deps.vault, res.result as Update[], now.toISOString(), rawBodyOf(res));
      if (failing) log.warn("polled updates are kept again");
      failing = false;
      if (now.getTime() - prunedAt >= PRUNE_EVERY_MS) {
        prunedAt = now.getTime();
        await pruneInbox(deps.db, new Date(now.getTime() - INBOX_GIVE_UP_MS).toISOString());
      }
    } catch (err) {
      if (!failing)
        log.warn(
          { error: err instanceof Error ? err.name : "unknown" },
          "polled updates not kept: database unreachable",
        );
      failing = true;
    }
    return res;
  };
}

/**
 * Handles, oldest first and before polling starts, the kept updates a stopped process never finished (an update that
 * failed is finished: it was answered, and taken out of its batch). Those it had half handled are handled again, as a
 * redelivered webhook update would be (writes are all or nothing with the processed mark; a message may come twice).
 * Updates kept longer ago than INBOX_GIVE_UP_MS are not (the start-up prune in storage.ts has dropped them).
 */
export async function replayUnhandled(
  bot: Bot<BotContext>,
  deps: Pick<Deps, "db" | "vault" | "clock">,
  log: Logger,
): Promise<void> {
  const since = new Date(deps.clock.now().getTime() - INBOX_GIVE_UP_MS).toISOString();
  const { updates, unreadable } = await unhandledUpdates(deps.db, deps.vault, since);
  if (unreadable > 0) log.warn({ batches: unreadable }, "kept updates sealed with another data key: dropped");
  if (updates.length === 0) return;
  log.info({ updates: updates.length }, "handling the updates a stopped process left");
  for (const update of updates as Update[]) {
    await bot.handleUpdate(update).catch((err: unknown) => {
      log.error(
        { update_id: update.update_id, error: err instanceof Error ? err.name : "unknown" },
        "kept update failed",
      );
    });
  }
}
