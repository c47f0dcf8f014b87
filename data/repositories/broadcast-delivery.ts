import { sql } from "kysely";
import type { Db } from "../db.js";
import type { BroadcastStatus, RecipientStatus } from "../schema/broadcasts.js";
import type { BroadcastRow } from "./broadcasts.js";
import { readsIn } from "./users.js";

// The sender's side of broadcasts: which recipient is next, their progress, the broadcast's state.

/** The oldest broadcast being sent. */
export function nextSending(db: Db): Promise<BroadcastRow | undefined> {
  return db
    .selectFrom("broadcasts")
    .selectAll()
    .where("status", "=", "sending")
    .orderBy("id")
    .limit(1)
    .executeTakeFirst();
}

export function broadcastStatus(db: Db, id: number): Promise<BroadcastStatus | undefined> {
  return db
    .selectFrom("broadcasts")
    .select("status")
    .where("id", "=", id)
    .executeTakeFirst()
    .then((r) => r?.status);
}

/** Why a recipient is no longer sent to: they sent /stop, or blocked the bot, after the audience was fixed. */
export type OptOut = "unsubscribed" | "blocked";

export interface QueuedRecipient {
  id: number;
  user_id: number;
  language: "ru" | "kk";
  status: RecipientStatus;
  attempts: number;
  /** As the users table says now, not as it was when the broadcast was composed. */
  optedOut: OptOut | null;
  /** The language the person uses now (null: never chose one, or no users row); `language` is the one at compose time. */
  languageNow: "ru" | "kk" | null;
}

function optOutOf(u: { subscribed: number | null; blocked: number | null }): OptOut | null {
  if (u.blocked !== 0 && u.blocked !== null) return "blocked";
  // No users row any more, or /stop: not wanted.
  return u.subscribed === 1 ? null : "unsubscribed";
}

/** The next recipient: one left "sending" by a crash first (the at-most-one resend), then the oldest pending. */
export async function nextRecipient(db: Db, broadcastId: number): Promise<QueuedRecipient | undefined> {
  const row = await db
    .selectFrom("broadcast_recipients as r")
    .leftJoin("users as u", "u.id", "r.user_id")
    .select([
      "r.id",
      "r.user_id",
      "r.language",
      "r.status",
      "r.attempts",
      "u.subscribed",
      "u.blocked",
      readsIn("u", null).as("languageNow"),
    ])
    .where("r.broadcast_id", "=", broadcastId)
    .where("r.status", "in", ["sending", "pending"])
    .orderBy(sql`r.status = 'sending'`, "desc")
    .orderBy("r.id")
    .limit(1)
    .executeTakeFirst();
  if (!row) return undefined;
  const { subscribed, blocked, languageNow, ...r } = row;
  return { ...r, optedOut: optOutOf({ subscribed, blocked }), languageNow: languageNow ?? null };
}

/** The same check at the last moment before the call. */
export async function optedOutNow(db: Db, userId: number): Promise<OptOut | null> {
  const u = await db.selectFrom("users").select(["subscribed", "blocked"]).where("id", "=", userId).executeTakeFirst();
  return optOutOf(u ?? { subscribed: null, blocked: null });
}

/** Skipped without a call, never retried; the error says why ("unsubscribed" or "blocked"). */
export async function skipRecipient(db: Db, id: number, why: OptOut, at: string): Promise<void> {
  await markRecipient(db, id, "skipped", at, why);
}

/** Written before the API call: a crash after it leaves this row "sending", and it is sent again on resume. */
export async function markSending(db: Db, id: number, at: string): Promise<void> {
  await db
    .updateTable("broadcast_recipients")
    .set((eb) => ({ status: "sending", attempts: eb("attempts", "+", 1), updated_at: at }))
    .where("id", "=", id)
    .execute();
}

export async function markRecipient(
  db: Db,
  id: number,
  status: RecipientStatus,
  at: string,
  error: string | null = null,
): Promise<void> {
  await db.updateTable("broadcast_recipients").set({ status, updated_at: at, error }).where("id", "=", id).execute();
}

export async function markStarted(db: Db, id: number, at: string): Promise<void> {
  await db
    .updateTable("broadcasts")
    .set({ started_at: at })
    .where("id", "=", id)
    .where("started_at", "is", null)
    .execute();
}

/** Done when nothing is left to send; a paused or cancelled broadcast keeps its status. */
export async function finishIfDone(db: Db, id: number, at: string): Promise<boolean> {
  const res = await db
    .updateTable("broadcasts")
    .set({ status: "done", finished_at: at })
    .where("id", "=", id)
    .where("status", "=", "sending")
    .where((eb) =>
      eb.not(
        eb.exists(
          eb
            .selectFrom("broadcast_recipients")
            .select("id")
            .where("broadcast_id", "=", id)
            .where("status", "in", ["pending", "sending"]),
        ),
      ),
    )
    .executeTakeFirst();
  return Number(res.numUpdatedRows) === 1;
}

/** Pause, resume or cancel, only from the states where that makes sense; false otherwise. */
export async function setBroadcastStatus(
  db: Db,
  id: number,
  to: "paused" | "sending" | "cancelled",
  at: string,
): Promise<boolean> {
  const from: BroadcastStatus[] =
    to === "paused" ? ["sending"] : to === "sending" ? ["paused"] : ["sending", "paused", "scheduled"];
  const res = await db
    .updateTable("broadcasts")
    .set(to === "cancelled" ? { status: to, finished_at: at } : { status: to })
    .where("id", "=", id)
    .where("status", "in", from)
    .executeTakeFirst();
  return Number(res.numUpdatedRows) === 1;
}

export interface Progress {
  total: number;
  sent: number;
  failed: number;
  /** Blocked the bot (a 403, or known before the call). */
  blocked: number;
  /** Sent /stop after the broadcast was composed: skipped. */
  unsubscribed: number;
  remaining: number;
  /** Messages handled in the last minute (skipped ones took no message). */
  lastMinute: number;
}

export async function progress(db: Db, id: number, now: Date): Promise<Progress> {
  const rows = await db
    .selectFrom("broadcast_recipients")
    .select([
      "status",
      sql<number>`case when status = 'skipped' and error = 'unsubscribed' then 1 else 0 end`.as("unsubscribed"),
      (eb) => eb.fn.countAll<number>().as("n"),
    ])
    .where("broadcast_id", "=", id)
    .groupBy(["status", "unsubscribed"])
    .execute();
  const by = (s: RecipientStatus, unsubscribed?: 0 | 1) =>
    rows
      .filter((r) => r.status === s && (unsubscribed === undefined || Number(r.unsubscribed) === unsubscribed))
      .reduce((n, r) => n + Number(r.n), 0);
  const since = new Date(now.getTime() - 60_000).toISOString();
  const recent = await db
    .selectFrom("broadcast_recipients")
    .select((eb) => eb.fn.countAll<number>().as("n"))
    .where("broadcast_id", "=", id)
    .where("status", "in", ["sent", "failed", "blocked"])
    .where("updated_at", ">=", since)
    .executeTakeFirstOrThrow();
  const total = rows.reduce((s, r) => s + Number(r.n), 0);
  return {
    total,
    sent: by("sent"),
    failed: by("failed"),
    blocked: by("blocked") + by("skipped", 0),
    unsubscribed: by("skipped", 1),
    remaining: by("pending") + by("sending"),
    lastMinute: Number(recent.n),
  };
}
