import type { Db } from "../db.js";

export interface DraftRow {
  data: unknown;
  revision: number;
  updatedAt: string;
}

export async function loadDraft(db: Db, userId: number): Promise<DraftRow | undefined> {
  const row = await db.selectFrom("drafts").selectAll().where("user_id", "=", userId).executeTakeFirst();
  if (!row) return undefined;
  try {
    return { data: JSON.parse(row.data) as unknown, revision: row.revision, updatedAt: row.updated_at };
  } catch {
    return undefined;
  }
}

/** Saves the answers so far; returns the new revision. */
export async function saveDraft(db: Db, userId: number, data: unknown, at: string): Promise<number> {
  const text = JSON.stringify(data);
  const row = await db
    .insertInto("drafts")
    .values({ user_id: userId, data: text, revision: 1, created_at: at, updated_at: at })
    .onConflict((oc) =>
      oc.column("user_id").doUpdateSet((eb) => ({ data: text, updated_at: at, revision: eb("drafts.revision", "+", 1) })),
    )
    .returning("revision")
    .executeTakeFirstOrThrow();
  return row.revision;
}

export async function deleteDraft(db: Db, userId: number): Promise<void> {
  await db.deleteFrom("drafts").where("user_id", "=", userId).execute();
}

/** Marks the draft as in use again (a person continues an expired flow) without a new revision. */
export async function touchDraft(db: Db, userId: number, at: string): Promise<void> {
  await db.updateTable("drafts").set({ updated_at: at }).where("user_id", "=", userId).execute();
}
