import { sql } from "kysely";
import type { Db } from "../db.js";
import { isPostgres } from "../dialect.js";
import { baseQuery, toClinics, type Clinic } from "./clinic-rows.js";
import { makePage, pageBounds, queryTokens, type Locale, type Page, type PageOptions } from "./places.js";

// Reading the clinic directory; the nearest-clinic search and the writer live next door and are re-exported here,
// so callers keep one import.
export { clinicFacts, type Clinic, type ClinicFacts, type ClinicView, type NearbyClinic } from "./clinic-rows.js";
export { distanceMeters, nearestClinics } from "./clinics-nearby.js";
export { deactivateClinicsExcept, registryColumns, upsertClinic, type ClinicInput } from "./clinics-write.js";

export async function getClinic(db: Db, id: string): Promise<Clinic | undefined> {
  const row = await baseQuery(db).where("clinics.id", "=", id).executeTakeFirst();
  return row ? (await toClinics(db, [row]))[0] : undefined;
}

export interface ClinicListOptions extends PageOptions {
  districtId?: string;
  /** Closed clinics are hidden unless asked for (staff views). */
  includeInactive?: boolean;
}

/** Clinics of one settlement, by name in the given locale, one page at a time. */
export async function clinicsOfSettlement(
  db: Db,
  settlementId: string,
  opts: ClinicListOptions = {},
): Promise<Page<Clinic>> {
  const { page, pageSize } = pageBounds(opts);
  let q = baseQuery(db).where("clinics.settlement_id", "=", settlementId);
  if (!opts.includeInactive) q = q.where("clinics.active", "=", 1);
  if (opts.districtId) q = q.where("clinics.district_id", "=", opts.districtId);
  const { total } = await q
    .clearSelect()
    .select((eb) => eb.fn.countAll<number>().as("total"))
    .executeTakeFirstOrThrow();
  const rows = await q
    .orderBy(opts.locale === "kk" ? "clinics.sort_kk" : "clinics.sort_ru")
    .orderBy("clinics.seq") // the index ends with the rowid: no sort step
    .limit(pageSize)
    .offset(page * pageSize)
    .execute();
  return makePage(await toClinics(db, rows), Number(total), page, pageSize);
}

/**
 * Part of a name or address in either language, any case, Kazakh letters or their Russian look-alikes.
 * Every word must match: words of ≥ 3 letters through the FTS5 trigram index, shorter ones and numbers by LIKE.
 */
export async function searchClinics(
  db: Db,
  text: string,
  opts: { settlementId?: string; limit?: number; locale?: Locale; includeInactive?: boolean } = {},
): Promise<Clinic[]> {
  const { fts, like } = queryTokens(text);
  if (fts.length === 0 && like.length === 0) return [];
  let q = baseQuery(db);
  if (fts.length > 0 && isPostgres(db)) {
    // The pg_trgm index on clinics.search serves substring LIKE: the same matches as FTS5's trigram tokenizer.
    for (const t of fts) q = q.where("clinics.search", "like", `%${t}%`);
  } else if (fts.length > 0) {
    // Tokens are letters and digits only (foldForSearch), so quoting them as FTS5 strings is safe.
    const match = fts.map((t) => `"${t}"`).join(" AND ");
    q = q.where(
      "clinics.seq",
      "in",
      db.selectFrom("clinics_fts").select("rowid").where(sql.ref("clinics_fts"), "match", match),
    );
  }
  for (const pattern of like) q = q.where("clinics.search", "like", pattern);
  if (opts.settlementId) q = q.where("clinics.settlement_id", "=", opts.settlementId);
  if (!opts.includeInactive) q = q.where("clinics.active", "=", 1);
  const rows = await q
    .orderBy(opts.locale === "kk" ? "clinics.sort_kk" : "clinics.sort_ru")
    .orderBy("clinics.seq") // the index ends with the rowid: no sort step
    .limit(Math.min(Math.max(opts.limit ?? 10, 1), 100))
    .execute();
  return toClinics(db, rows);
}

export type AdjustResult =
  { ok: true; attached: number; capacity: number } | { ok: false; reason: "not_found" | "full" };

/**
 * Changes the attached count by delta in one statement (approval: +1 at the new clinic, −1 at the old one).
 * An increase past capacity is refused (R6) unless allowOverCapacity; a decrease stops at 0.
 */
export async function adjustAttachedCount(
  db: Db,
  clinicId: string,
  delta: number,
  opts: { allowOverCapacity?: boolean } = {},
): Promise<AdjustResult> {
  const d = Math.trunc(delta);
  let q = db
    .updateTable("clinics")
    // CASE rather than SQLite's two-argument max(): portable to PostgreSQL.
    .set((eb) => ({
      attached: sql<number>`case when ${eb.ref("attached")} + ${d} < 0 then 0 else ${eb.ref("attached")} + ${d} end`,
    }))
    .where("id", "=", clinicId);
  if (d > 0 && !opts.allowOverCapacity) q = q.where(sql<boolean>`attached + ${d} <= capacity`);
  const row = await q.returning(["attached", "capacity"]).executeTakeFirst();
  if (row) return { ok: true, attached: row.attached, capacity: row.capacity };
  const exists = await db.selectFrom("clinics").select("id").where("id", "=", clinicId).executeTakeFirst();
  return { ok: false, reason: exists ? "full" : "not_found" };
}
