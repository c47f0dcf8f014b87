import type { Db } from "../db.js";

export async function markProcessed(db: Db, updateId: number, at: string): Promise<void> {
  await db
    .insertInto("processed_updates")
    .values({ update_id: updateId, processed_at: at })
    .onConflict((oc) => oc.column("update_id").doNothing())
    .execute();
}

/** Telegram keeps updates for at most 24 h, so older marks can go. */
export async function pruneProcessed(db: Db, before: string): Promise<number> {
  const res = await db.deleteFrom("processed_updates").where("processed_at", "<", before).executeTakeFirst();
  return Number(res.numDeletedRows);
}
