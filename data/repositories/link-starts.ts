import { sql } from "kysely";
import type { Db } from "../db.js";
import { precompiled } from "../precompiled.js";
import type { DayRange, Scope } from "./stats.js";

// Starts by a clinic's deep link: one count per clinic and Almaty day, and what a person opened before choosing a
// language. No one's id is stored with a count.

/** One more start by this clinic's link on this Almaty day. */
export async function countLinkStart(db: Db, clinicId: string, day: string): Promise<void> {
  await db
    .insertInto("link_starts")
    .values({ clinic_id: clinicId, day, n: 1 })
    .onConflict((oc) => oc.columns(["clinic_id", "day"]).doUpdateSet((eb) => ({ n: eb("link_starts.n", "+", 1) })))
    .execute();
}

export interface LinkStartCount {
  clinicId: string;
  n: number;
}

/** Starts by link per clinic within a member's scope (clinics, or the clinics of a settlement), most first. */
export async function linkStartsByClinic(db: Db, scope: Scope, range: DayRange): Promise<LinkStartCount[]> {
  let q = db
    .selectFrom("link_starts")
    .select(["link_starts.clinic_id as clinicId", (eb) => eb.fn.sum<number>("link_starts.n").as("n")])
    .where("link_starts.day", ">=", range.from)
    .where("link_starts.day", "<=", range.to);
  if (scope.clinicIds) {
    // An empty clinic list reaches nothing rather than everything.
    q = scope.clinicIds.length ? q.where("link_starts.clinic_id", "in", scope.clinicIds) : q.where(sql<boolean>`1 = 0`);
  }
  if (scope.settlementId) {
    const settlementId = scope.settlementId;
    q = q.where("link_starts.clinic_id", "in", (eb) =>
      eb.selectFrom("clinics").select("clinics.id").where("clinics.settlement_id", "=", settlementId),
    );
  }
  const rows = await q.groupBy("link_starts.clinic_id").orderBy("n", "desc").orderBy("clinicId").execute();
  return rows.map((r) => ({ clinicId: r.clinicId, n: Number(r.n) }));
}

/** Keeps the link a person opened until they have chosen a language (a newer link replaces it). */
export async function savePendingLink(db: Db, userId: number, link: string, at: string): Promise<void> {
  await db
    .insertInto("pending_links")
    .values({ user_id: userId, link, created_at: at })
    .onConflict((oc) => oc.column("user_id").doUpdateSet({ link, created_at: at }))
    .execute();
}

// Asked for whoever chooses a language: compiled once.
const pendingLinkTaken = precompiled({ userId: "number" }, (db: Db, v: { userId: number }) =>
  db.deleteFrom("pending_links").where("user_id", "=", v.userId).returning("link"),
);

/** The kept link, removed as it is read: it is opened once. */
export async function takePendingLink(db: Db, userId: number): Promise<string | undefined> {
  const [row] = await pendingLinkTaken(db, { userId });
  return row?.link;
}
