import type { Selectable } from "kysely";
import type { Db } from "../db.js";
import type { UsersTable } from "../schema/core.js";

export type UserRow = Selectable<UsersTable>;
export type Language = "ru" | "kk";

export function getUser(db: Db, id: number): Promise<UserRow | undefined> {
  return db.selectFrom("users").selectAll().where("id", "=", id).executeTakeFirst();
}

/** last_seen is for operators (who is still around): to the minute is plenty, and it spares a write per update. */
const SEEN_PRECISION_MS = 60_000;

/** Records a visit: inserts a new user or refreshes last_seen; a returning user is unblocked. */
export async function touchUser(db: Db, id: number, at: string): Promise<UserRow> {
  const known = await getUser(db, id);
  if (known && known.blocked === 0 && known.last_seen >= new Date(Date.parse(at) - SEEN_PRECISION_MS).toISOString())
    return known;
  return db
    .insertInto("users")
    .values({ id, language: null, first_seen: at, last_seen: at })
    .onConflict((oc) => oc.column("id").doUpdateSet({ last_seen: at, blocked: 0 }))
    .returningAll()
    .executeTakeFirstOrThrow();
}

export async function setLanguage(db: Db, id: number, language: Language): Promise<void> {
  await db.updateTable("users").set({ language }).where("id", "=", id).execute();
}

export async function setSubscribed(db: Db, id: number, subscribed: boolean): Promise<void> {
  await db
    .updateTable("users")
    .set({ subscribed: subscribed ? 1 : 0 })
    .where("id", "=", id)
    .execute();
}

export async function markBlocked(db: Db, id: number): Promise<void> {
  await db.updateTable("users").set({ blocked: 1 }).where("id", "=", id).execute();
}
