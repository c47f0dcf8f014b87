import type { ExpressionBuilder } from "kysely";
import type { Db } from "../db.js";
import type { Database } from "../schema.js";
import type { Vault } from "../vault.js";

/** What the inbox needs of an update: its id (the rest is kept as Telegram sent it). */
export interface InboxUpdate {
  update_id: number;
}

/**
 * Keeps a polled batch, sealed as one value, before Telegram is told it arrived (the next getUpdates). Empty batches
 * are not kept; a batch kept already (the same first id) is left as it is.
 */
export async function keepBatch(db: Db, vault: Vault, updates: readonly InboxUpdate[], at: string): Promise<void> {
  const first = updates[0];
  const last = updates.at(-1);
  if (!first || !last) return;
  await db
    .insertInto("update_inbox")
    .values({
      first_id: first.update_id,
      last_id: last.update_id,
      size: updates.length,
      received_at: at,
      batch: vault.seal(JSON.stringify(updates), "updates"),
    })
    .onConflict((oc) => oc.column("first_id").doNothing())
    .execute();
}

export interface Unhandled {
  /** Updates kept and not marked processed, oldest first. */
  updates: InboxUpdate[];
  /** Batches that could not be opened (sealed under a key the bot no longer has, or damaged): dropped. */
  unreadable: number;
}

/** A batch is done when as many processed marks fall in its range as it holds (batches never overlap). */
function done(eb: ExpressionBuilder<Database, "update_inbox">) {
  return eb(
    eb
      .selectFrom("processed_updates as p")
      .select((s) => s.fn.countAll().as("n"))
      .whereRef("p.update_id", ">=", "update_inbox.first_id")
      .whereRef("p.update_id", "<=", "update_inbox.last_id"),
    ">=",
    eb.ref("update_inbox.size"),
  );
}

/**
 * What a process that stopped (a crash, a kill) left unhandled: kept updates without a processed mark. Only batches
 * not done are opened.
 */
export async function unhandledUpdates(db: Db, vault: Vault): Promise<Unhandled> {
  const rows = await db
    .selectFrom("update_inbox")
    .select(["first_id", "batch"])
    .where((eb) => eb.not(done(eb)))
    .orderBy("first_id")
    .execute();
  const updates: InboxUpdate[] = [];
  let unreadable = 0;
  for (const row of rows) {
    try {
      updates.push(...(JSON.parse(vault.open(row.batch, "updates")) as InboxUpdate[]));
    } catch {
      unreadable += 1;
      await db.deleteFrom("update_inbox").where("first_id", "=", row.first_id).execute();
    }
  }
  const first = updates[0];
  if (!first) return { updates, unreadable };
  const marks = await db
    .selectFrom("processed_updates")
    .select("update_id")
    .where("update_id", ">=", first.update_id)
    .execute();
  const handled = new Set(marks.map((r) => Number(r.update_id)));
  const seen = new Set<number>();
  const left = updates
    .filter((u) => !handled.has(u.update_id) && !seen.has(u.update_id) && seen.add(u.update_id))
    .sort((a, b) => a.update_id - b.update_id);
  return { updates: left, unreadable };
}

/** Drops the batches done, and any received before `giveUpBefore`: an update failed that long ago is not tried again. */
export async function pruneInbox(db: Db, giveUpBefore: string): Promise<number> {
  const res = await db
    .deleteFrom("update_inbox")
    .where((eb) => eb.or([eb("received_at", "<", giveUpBefore), done(eb)]))
    .executeTakeFirst();
  return Number(res.numDeletedRows);
}
