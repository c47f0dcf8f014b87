import { sql, type ExpressionBuilder, type Selectable } from "kysely";
import type { Db } from "../db.js";
import type { Database } from "../schema.js";
import type { BroadcastsTable, RecipientStatus, ReminderKind } from "../schema/broadcasts.js";
import { readsIn } from "./users.js";

export type BroadcastRow = Selectable<BroadcastsTable>;

export type Audience =
  | { kind: "all" }
  | { kind: "no_request" }
  | { kind: "pending" }
  | { kind: "settlement"; settlementId: string; name?: string }
  | { kind: "language"; language: "ru" | "kk" };

/** This campaign's requests: submitted in [from, to) (ISO instants). */
export interface CampaignWindow {
  from: string;
  to: string;
}

/** Requests that count as "applied": open or approved (withdrawn and rejected people may apply again). */
const APPLIED = ["pending", "needs_documents", "approved"] as const;
const OPEN = ["pending", "needs_documents"] as const;

type UsersEb = ExpressionBuilder<Database, "users">;

function appliedInWindow(eb: UsersEb, w: CampaignWindow) {
  return eb.exists(
    eb
      .selectFrom("requests")
      .select("requests.id")
      .whereRef("requests.user_id", "=", "users.id")
      .where("requests.status", "in", APPLIED)
      .where("requests.submitted_at", ">=", w.from)
      .where("requests.submitted_at", "<", w.to),
  );
}

/** Subscribed, not blocked users of the audience, with the language they get. */
export function audienceQuery(db: Db, audience: Audience, w: CampaignWindow) {
  const language = readsIn();
  let q = db
    .selectFrom("users")
    .select(["users.id as user_id", language.as("language")])
    .where("users.subscribed", "=", 1)
    .where("users.blocked", "=", 0);
  switch (audience.kind) {
    case "all":
      break;
    case "no_request":
      q = q.where((eb) => eb.not(appliedInWindow(eb, w)));
      break;
    case "pending":
      q = q.where((eb) =>
        eb.exists(
          eb
            .selectFrom("requests")
            .select("requests.id")
            .whereRef("requests.user_id", "=", "users.id")
            .where("requests.status", "in", OPEN),
        ),
      );
      break;
    case "settlement":
      q = q.where((eb) =>
        eb(
          eb
            .selectFrom("requests")
            .select("requests.settlement_id")
            .whereRef("requests.user_id", "=", "users.id")
            .orderBy("requests.submitted_at", "desc")
            .orderBy("requests.id", "desc")
            .limit(1),
          "=",
          audience.settlementId,
        ),
      );
      break;
    case "language":
      q = q.where(language, "=", audience.language);
      break;
  }
  return q;
}

export async function countAudience(db: Db, audience: Audience, w: CampaignWindow): Promise<number> {
  const row = await db
    .selectFrom(audienceQuery(db, audience, w).as("a"))
    .select((eb) => eb.fn.countAll<number>().as("n"))
    .executeTakeFirstOrThrow();
  return Number(row.n);
}

/** The audience counted by the language each person gets: what the operator confirms. */
export async function countAudienceByLanguage(
  db: Db,
  audience: Audience,
  w: CampaignWindow,
): Promise<{ ru: number; kk: number }> {
  const rows = await db
    .selectFrom(audienceQuery(db, audience, w).as("a"))
    .select(["a.language", (eb) => eb.fn.countAll<number>().as("n")])
    .groupBy("a.language")
    .execute();
  const n = (l: "ru" | "kk") => Number(rows.find((r) => r.language === l)?.n ?? 0);
  return { ru: n("ru"), kk: n("kk") };
}

/** Settlements of people's latest requests, with how many subscribers each has: the choices for that audience. */
export async function audienceSettlements(
  db: Db,
  limit = 30,
): Promise<{ id: string; name_ru: string; name_kk: string; n: number }[]> {
  const latest = db
    .selectFrom("users")
    .where("users.subscribed", "=", 1)
    .where("users.blocked", "=", 0)
    .select((eb) =>
      eb
        .selectFrom("requests")
        .select("requests.settlement_id")
        .whereRef("requests.user_id", "=", "users.id")
        .orderBy("requests.submitted_at", "desc")
        .orderBy("requests.id", "desc")
        .limit(1)
        .as("settlement_id"),
    )
    .as("l");
  const rows = await db
    .selectFrom(latest)
    .innerJoin("settlements", "settlements.id", "l.settlement_id")
    .select(["settlements.id", "settlements.name_ru", "settlements.name_kk", (eb) => eb.fn.countAll<number>().as("n")])
    .groupBy(["settlements.id", "settlements.name_ru", "settlements.name_kk"])
    .orderBy("n", "desc")
    .orderBy("settlements.sort_ru")
    .limit(limit)
    .execute();
  return rows.map((r) => ({ ...r, n: Number(r.n) }));
}

export interface NewBroadcast {
  createdBy: number;
  at: string;
  sendAt: string;
  audience: Audience;
  /** Null when the audience does not read that language (an audience by language needs one text only). */
  ru: { text: string; entities: unknown[] } | null;
  kk: { text: string; entities: unknown[] } | null;
  photoFileId: string | null;
}

/** Creates the broadcast and materialises its recipients in one transaction (one insert…select). */
export async function createBroadcast(db: Db, b: NewBroadcast, w: CampaignWindow, now: Date): Promise<BroadcastRow> {
  if (!b.ru && !b.kk) throw new Error("a broadcast needs a text");
  return db.transaction().execute(async (trx) => {
    const row = await trx
      .insertInto("broadcasts")
      .values({
        kind: "broadcast",
        reminder: null,
        campaign_year: null,
        status: b.sendAt <= now.toISOString() ? "sending" : "scheduled",
        created_by: b.createdBy,
        created_at: b.at,
        send_at: b.sendAt,
        started_at: null,
        finished_at: null,
        audience: JSON.stringify(b.audience),
        text_ru: b.ru?.text ?? null,
        entities_ru: b.ru?.entities.length ? JSON.stringify(b.ru.entities) : null,
        text_kk: b.kk?.text ?? null,
        entities_kk: b.kk?.entities.length ? JSON.stringify(b.kk.entities) : null,
        photo_file_id: b.photoFileId,
        total: 0,
      })
      .returningAll()
      .executeTakeFirstOrThrow();
    const id = row.id;
    await trx
      .insertInto("broadcast_recipients")
      .columns(["broadcast_id", "user_id", "language", "status"])
      .expression(
        trx
          .selectFrom(audienceQuery(trx, b.audience, w).as("a"))
          .select([
            sql<number>`cast(${id} as bigint)`.as("broadcast_id"),
            "a.user_id",
            "a.language",
            sql<RecipientStatus>`'pending'`.as("status"),
          ])
          // Sent in recipient id order: by user id on either database (PostgreSQL would take the table's order).
          .orderBy("a.user_id"),
      )
      .execute();
    return setTotal(trx, id);
  });
}

async function setTotal(db: Db, id: number): Promise<BroadcastRow> {
  return db
    .updateTable("broadcasts")
    .set((eb) => ({
      total: eb
        .selectFrom("broadcast_recipients")
        .select((e) => e.fn.countAll<number>().as("n"))
        .where("broadcast_id", "=", id),
    }))
    .where("id", "=", id)
    .returningAll()
    .executeTakeFirstOrThrow();
}

/**
 * Creates this campaign's reminder once (unique reminder+year) for subscribers who have not applied; a person who
 * already had this reminder this year (reminder_sends) is left out. Null when it already exists.
 */
export async function createReminder(
  db: Db,
  reminder: ReminderKind,
  year: number,
  w: CampaignWindow,
  now: Date,
): Promise<BroadcastRow | null> {
  return db.transaction().execute(async (trx) => {
    const at = now.toISOString();
    const row = await trx
      .insertInto("broadcasts")
      .values({
        kind: "reminder",
        reminder,
        campaign_year: year,
        status: "sending",
        created_by: null,
        created_at: at,
        send_at: at,
        started_at: null,
        finished_at: null,
        audience: JSON.stringify({ kind: "no_request" } satisfies Audience),
        text_ru: null,
        entities_ru: null,
        text_kk: null,
        entities_kk: null,
        photo_file_id: null,
        total: 0,
      })
      .onConflict((oc) => oc.columns(["reminder", "campaign_year"]).doNothing())
      .returningAll()
      .executeTakeFirst();
    if (!row) return null;
    const id = row.id;
    await trx
      .insertInto("reminder_sends")
      .columns(["reminder", "year", "user_id", "broadcast_id"])
      .expression(
        trx
          .selectFrom(audienceQuery(trx, { kind: "no_request" }, w).as("a"))
          .select([
            sql<ReminderKind>`cast(${reminder} as text)`.as("reminder"),
            sql<number>`cast(${year} as bigint)`.as("year"),
            "a.user_id",
            sql<number>`cast(${id} as bigint)`.as("broadcast_id"),
          ])
          // SQLite reads "ON CONFLICT" after a bare FROM as a join constraint; a WHERE ends the SELECT.
          .where(sql<boolean>`true`),
      )
      .onConflict((oc) => oc.doNothing())
      .execute();
    await trx
      .insertInto("broadcast_recipients")
      .columns(["broadcast_id", "user_id", "language", "status"])
      .expression(
        trx
          .selectFrom("reminder_sends")
          .innerJoin("users", "users.id", "reminder_sends.user_id")
          .select([
            "reminder_sends.broadcast_id",
            "reminder_sends.user_id",
            readsIn().as("language"),
            sql<RecipientStatus>`'pending'`.as("status"),
          ])
          .where("reminder_sends.broadcast_id", "=", id)
          .orderBy("reminder_sends.user_id"),
      )
      .execute();
    return setTotal(trx, id);
  });
}

export function getBroadcast(db: Db, id: number): Promise<BroadcastRow | undefined> {
  return db.selectFrom("broadcasts").selectAll().where("id", "=", id).executeTakeFirst();
}

export function listBroadcasts(db: Db, limit = 10): Promise<BroadcastRow[]> {
  return db.selectFrom("broadcasts").selectAll().orderBy("id", "desc").limit(limit).execute();
}

/** Scheduled broadcasts whose time has come (before startDue sends them). */
export function dueScheduled(db: Db, now: Date): Promise<BroadcastRow[]> {
  return db
    .selectFrom("broadcasts")
    .selectAll()
    .where("status", "=", "scheduled")
    .where("send_at", "<=", now.toISOString())
    .execute();
}

/** A scheduled broadcast moved to a later start (still scheduled). */
export async function reschedule(db: Db, id: number, sendAt: string): Promise<void> {
  await db
    .updateTable("broadcasts")
    .set({ send_at: sendAt })
    .where("id", "=", id)
    .where("status", "=", "scheduled")
    .execute();
}

/** A broadcast being sent stops until `sendAt` (scheduled again; its recipients keep their progress). */
export async function holdSending(db: Db, id: number, sendAt: string): Promise<boolean> {
  const res = await db
    .updateTable("broadcasts")
    .set({ status: "scheduled", send_at: sendAt })
    .where("id", "=", id)
    .where("status", "=", "sending")
    .executeTakeFirst();
  return Number(res.numUpdatedRows) === 1;
}

/** Scheduled broadcasts whose time has come start sending; returns how many. */
export async function startDue(db: Db, now: Date): Promise<number> {
  const res = await db
    .updateTable("broadcasts")
    .set({ status: "sending" })
    .where("status", "=", "scheduled")
    .where("send_at", "<=", now.toISOString())
    .executeTakeFirst();
  return Number(res.numUpdatedRows);
}

// Sending and composing live next door; re-exported so callers keep one import.
export * from "./broadcast-delivery.js";
export * from "./broadcast-drafts.js";
