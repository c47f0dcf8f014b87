import { sql, type Selectable } from "kysely";
import type { Db } from "../db.js";
import { precompiled } from "../precompiled.js";
import type { UsersTable } from "../schema/core.js";
import type { UnitOfWork } from "../unit-of-work.js";

export type UserRow = Selectable<UsersTable>;
export type Language = "ru" | "kk";

export function getUser(db: Db, id: number): Promise<UserRow | undefined> {
  return db.selectFrom("users").selectAll().where("id", "=", id).executeTakeFirst();
}

/** The user's row, read once per update (`uow`: the update's first read may have brought it already). */
export async function knownUser(db: Db, id: number, uow?: UnitOfWork): Promise<UserRow | undefined> {
  if (uow?.open && uow.has(userKey(id))) return uow.get<UserRow>(userKey(id));
  const row = await getUser(db, id);
  if (uow?.open) uow.remember(userKey(id), row);
  return row;
}

/** last_seen is for operators (who is still around): to the minute is plenty, and it spares a write per update. */
const SEEN_PRECISION_MS = 60_000;

/** The key of a user's row in an update's unit of work: read once per update. */
export const userKey = (id: number) => `user:${id}`;

/**
 * Records a visit: inserts a new user or refreshes last_seen; a returning user is unblocked. Telegram's
 * language_code of their app is kept when it comes (updates without one leave the stored one). Within an update
 * (`uow`) a returning user's refresh is written with the update's other writes; a new user is inserted at once (other
 * rows of the update may refer to it).
 */
export async function touchUser(
  db: Db,
  id: number,
  at: string,
  languageCode?: string,
  uow?: UnitOfWork,
): Promise<UserRow> {
  const known = await knownUser(db, id, uow);
  const row = await touchedUser(db, known, id, at, languageCode, uow);
  uow?.remember(userKey(id), row);
  return row;
}

async function touchedUser(
  db: Db,
  known: UserRow | undefined,
  id: number,
  at: string,
  languageCode: string | undefined,
  uow: UnitOfWork | undefined,
): Promise<UserRow> {
  const code = languageCode?.slice(0, 35);
  const sameCode = code === undefined || known?.language_code === code;
  if (
    known &&
    known.blocked === 0 &&
    sameCode &&
    known.last_seen >= new Date(Date.parse(at) - SEEN_PRECISION_MS).toISOString()
  )
    return known;
  if (known && uow?.open) {
    const set = { last_seen: at, blocked: 0, ...(code === undefined ? {} : { language_code: code }) };
    uow.stage(userKey(id), (trx) => trx.updateTable("users").set(set).where("id", "=", id).execute());
    return { ...known, ...set };
  }
  const [row] = await (code === undefined ? arrived(db, { id, at }) : arrivedWithCode(db, { id, at, code }));
  if (!row) throw new Error("the user's row was not returned");
  return row;
}

// A person's first update, as many as people start: compiled once, with Telegram's language_code and without (an
// update without one names no such column, and keeps the stored one).
const arrived = precompiled({ id: "number", at: "string" }, (db: Db, v: { id: number; at: string }) =>
  db
    .insertInto("users")
    .values({ id: v.id, language: null, first_seen: v.at, last_seen: v.at })
    .onConflict((oc) => oc.column("id").doUpdateSet({ last_seen: v.at, blocked: 0 }))
    .returningAll(),
);
const arrivedWithCode = precompiled(
  { id: "number", at: "string", code: "string" },
  (db: Db, v: { id: number; at: string; code: string }) =>
    db
      .insertInto("users")
      .values({ id: v.id, language: null, language_code: v.code, first_seen: v.at, last_seen: v.at })
      .onConflict((oc) => oc.column("id").doUpdateSet({ last_seen: v.at, blocked: 0, language_code: v.code }))
      .returningAll(),
);

/**
 * In SQL, the language a person is written to: their choice, else their Telegram app's language when it is kk or
 * ru, else `fallback` (the same order as the bot's own resolution for an update).
 */
export function readsIn<F extends Language | null = "ru">(table = "users", fallback: F = "ru" as F) {
  const chosen = sql.ref(`${table}.language`);
  const app = sql.ref(`${table}.language_code`);
  return sql<
    Language | F
  >`coalesce(${chosen}, case lower(substr(${app}, 1, 2)) when 'kk' then 'kk' when 'ru' then 'ru' end, ${fallback})`;
}

// Once per person and language chosen, as many times as people start: compiled once.
const languageSet = precompiled({ id: "number", language: "string" }, (db: Db, v: { id: number; language: Language }) =>
  db.updateTable("users").set({ language: v.language }).where("id", "=", v.id),
);

export async function setLanguage(db: Db, id: number, language: Language): Promise<void> {
  await languageSet(db, { id, language });
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
