import { randomUUID } from "node:crypto";
import { sql } from "kysely";
import type { Db, Store } from "../db.js";
import { isSealed } from "../vault.js";

export interface DraftRow {
  data: unknown;
  revision: number;
  updatedAt: string;
  /**
   * This draft's submission key: the same for every retry of one submission (a replay, a crash before the draft
   * was deleted), different for the person's next draft. A draft from before migration 0009 that was not saved
   * since is known by its creation instant instead.
   */
  submissionKey: string;
}

/**
 * The draft's answers are sealed as a whole (the IIN, document references): a row from before sealing (the start-up
 * step seals those) still reads.
 */
function openData(store: Store, text: string): unknown {
  return JSON.parse(isSealed(text) ? store.vault.open(text, "draft") : text) as unknown;
}

export async function loadDraft(store: Store, userId: number): Promise<DraftRow | undefined> {
  const row = await store.db.selectFrom("drafts").selectAll().where("user_id", "=", userId).executeTakeFirst();
  if (!row) return undefined;
  try {
    return {
      data: openData(store, row.data),
      revision: row.revision,
      updatedAt: row.updated_at,
      submissionKey: `${userId}:${row.token ?? row.created_at}:${row.revision}`,
    };
  } catch {
    return undefined;
  }
}

/** Saves the answers so far; returns the new revision. */
export async function saveDraft(store: Store, userId: number, data: unknown, at: string): Promise<number> {
  const text = store.vault.seal(JSON.stringify(data), "draft");
  const row = await store.db
    .insertInto("drafts")
    .values({ user_id: userId, data: text, revision: 1, created_at: at, updated_at: at, token: randomUUID() })
    .onConflict((oc) =>
      oc.column("user_id").doUpdateSet((eb) => ({
        data: text,
        updated_at: at,
        revision: eb("drafts.revision", "+", 1),
        token: sql<string>`coalesce(drafts.token, excluded.token)`,
      })),
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
