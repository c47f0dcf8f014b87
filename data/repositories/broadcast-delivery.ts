import { sql } from "kysely";
import type { Db } from "../db.js";
import type { BroadcastStatus, RecipientStatus } from "../schema/broadcasts.js";
import type { BroadcastRow } from "./broadcasts.js";

// The sender's side of broadcasts: which recipient is next, their progress, the broadcast's state.

/** The oldest broadcast being sent. */
export function nextSending(db: Db): Promise<BroadcastRow | undefined> {
  return db.selectFrom("broadcasts").selectAll().where("status", "=", "sending").orderBy("id").limit(1).executeTakeFirst();
}

export function broadcastStatus(db: Db, id: number): Promise<BroadcastStatus | undefined> {
  return db
    .selectFrom("broadcasts")
    .select("status")
    .where("id", "=", id)
    .executeTakeFirst()
    .then((r) => r?.status);
}

export interface QueuedRecipient {
  id: number;
  user_id: number;
  language: "ru" | "kk";
  status: RecipientStatus;
  attempts: number;
}

/** The next recipient: one left "sending" by a crash first (the at-most-one resend), then the oldest pending. */
export function nextRecipient(db: Db, broadcastId: number): Promise<QueuedRecipient | undefined> {
  return db
    .selectFrom("broadcast_recipients")
    .select(["id", "user_id", "language", "status", "attempts"])
    .where("broadcast_id", "=", broadcastId)
    .where("status", "in", ["sending", "pending"])
    .orderBy(sql`status = 'sending'`, "desc")
    .orderBy("id")
    .limit(1)
    .executeTakeFirst();
}

/** Written before the API call: a crash after it leaves this row "sending", and it is sent again on resume. */
export async function markSending(db: Db, id: number, at: string): Promise<void> {
  await db
    .updateTable("broadcast_recipients")
    .set((eb) => ({ status: "sending", attempts: eb("attempts", "+", 1), updated_at: at }))
    .where("id", "=", id)
    .execute();
}

export async function markRecipient(db: Db, id: number, status: RecipientStatus, at: string, error: string | null = null): Promise<void> {
  await db.updateTable("broadcast_recipients").set({ status, updated_at: at, error }).where("id", "=", id).execute();
}

export async function markStarted(db: Db, id: number, at: string): Promise<void> {
  await db.updateTable("broadcasts").set({ started_at: at }).where("id", "=", id).where("started_at", "is", null).execute();
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
          eb.selectFrom("broadcast_recipients").select("id").where("broadcast_id", "=", id).where("status", "in", ["pending", "sending"]),
        ),
      ),
    )
    .executeTakeFirst();
  return Number(res.numUpdatedRows) === 1;
}

/** Pause, resume or cancel, only from the states where that makes sense; false otherwise. */
export async function setBroadcastStatus(db: Db, id: number, to: "paused" | "sending" | "cancelled", at: string): Promise<boolean> {
  const from: BroadcastStatus[] = to === "paused" ? ["sending"] : to === "sending" ? ["paused"] : ["sending", "paused", "scheduled"];
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
  blocked: number;
  remaining: number;
  /** Messages handled in the last minute. */
  lastMinute: number;
}

export async function progress(db: Db, id: number, now: Date): Promise<Progress> {
  const rows = await db
    .selectFrom("broadcast_recipients")
    .select(["status", (eb) => eb.fn.countAll<number>().as("n")])
    .where("broadcast_id", "=", id)
    .groupBy("status")
    .execute();
  const by = (s: RecipientStatus) => Number(rows.find((r) => r.status === s)?.n ?? 0);
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
    blocked: by("blocked"),
    remaining: by("pending") + by("sending"),
    lastMinute: Number(recent.n),
  };
}
