import type { Db } from "../db.js";

// The operator's composition in progress, one per operator, so a restart loses nothing.

export async function loadComposeDraft(db: Db, userId: number): Promise<unknown> {
  const row = await db.selectFrom("broadcast_drafts").select("data").where("user_id", "=", userId).executeTakeFirst();
  if (!row) return null;
  try {
    return JSON.parse(row.data) as unknown;
  } catch {
    return null;
  }
}

export async function saveComposeDraft(db: Db, userId: number, data: unknown, at: string): Promise<void> {
  const text = JSON.stringify(data);
  await db
    .insertInto("broadcast_drafts")
    .values({ user_id: userId, data: text, updated_at: at })
    .onConflict((oc) => oc.column("user_id").doUpdateSet({ data: text, updated_at: at }))
    .execute();
}

export async function deleteComposeDraft(db: Db, userId: number): Promise<void> {
  await db.deleteFrom("broadcast_drafts").where("user_id", "=", userId).execute();
}
