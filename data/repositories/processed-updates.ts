import type { Db } from "../db.js";
import { precompiled } from "../precompiled.js";

// Every update writes it: compiled once.
const mark = precompiled({ updateId: "number", at: "string" }, (db: Db, v: { updateId: number; at: string }) =>
  db
    .insertInto("processed_updates")
    .values({ update_id: v.updateId, processed_at: v.at })
    .onConflict((oc) => oc.column("update_id").doNothing()),
);

export async function markProcessed(db: Db, updateId: number, at: string): Promise<void> {
  await mark(db, { updateId, at });
}

/** Telegram keeps updates for at most 24 h, so older marks can go. */
export async function pruneProcessed(db: Db, before: string): Promise<number> {
  const res = await db.deleteFrom("processed_updates").where("processed_at", "<", before).executeTakeFirst();
  return Number(res.numDeletedRows);
}
