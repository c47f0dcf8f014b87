import { sql, type Insertable, type Selectable } from "kysely";
import type { Db } from "../db.js";
import type { ClinicKind, ClinicsTable } from "../schema/directory.js";
import {
  makePage,
  pageBounds,
  queryTokens,
  searchColumn,
  sortKey,
  type Bilingual,
  type Locale,
  type Page,
  type PageOptions,
} from "./places.js";

export interface Clinic {
  id: string;
  bin: string | null;
  name: Bilingual;
  address: Bilingual;
  settlementId: string;
  /** The settlement's ATU code (R4). */
  atuCode: string;
  districtId: string | null;
  lat: number;
  lon: number;
  phone: string | null;
  /** Working hours as written by the clinic; null when unknown. */
  hours: { ru: string | null; kk: string | null };
  kind: ClinicKind;
  licensed: boolean;
  licenceNumber: string | null;
  /** Years with a Fund contract (R5), ascending. */
  contractYears: number[];
  capacity: number;
  attached: number;
  /** capacity − attached, never below 0 (R6). */
  freeCapacity: number;
  active: boolean;
  /** An illustrative entry from the shipped dataset, not the official registry. */
  sample: boolean;
}

/** The name the bot's screens use. */
export type ClinicView = Clinic;

export interface NearbyClinic extends Clinic {
  distanceMeters: number;
}

/** What the eligibility engine (rules/) needs, exactly. */
export interface ClinicFacts {
  id: string;
  atuCode: string;
  licensed: boolean;
  contractYears: number[];
  capacity: number;
  attached: number;
  active: boolean;
}

export function clinicFacts(c: Clinic): ClinicFacts {
  return {
    id: c.id,
    atuCode: c.atuCode,
    licensed: c.licensed,
    contractYears: [...c.contractYears],
    capacity: c.capacity,
    attached: c.attached,
    active: c.active,
  };
}

type ClinicRow = Selectable<ClinicsTable> & { atu_code: string };

function baseQuery(db: Db) {
  return db
    .selectFrom("clinics")
    .innerJoin("settlements", "settlements.id", "clinics.settlement_id")
    .selectAll("clinics")
    .select("settlements.atu_code");
}

async function contractsOf(db: Db, ids: string[]): Promise<Map<string, number[]>> {
  const map = new Map<string, number[]>();
  if (ids.length === 0) return map;
  const rows = await db
    .selectFrom("clinic_contracts")
    .select(["clinic_id", "year"])
    .where("clinic_id", "in", ids)
    .orderBy("year")
    .execute();
  for (const r of rows) map.set(r.clinic_id, [...(map.get(r.clinic_id) ?? []), r.year]);
  return map;
}

async function toClinics(db: Db, rows: ClinicRow[]): Promise<Clinic[]> {
  const contracts = await contractsOf(db, rows.map((r) => r.id));
  return rows.map((r) => ({
    id: r.id,
    bin: r.bin,
    name: { ru: r.name_ru, kk: r.name_kk },
    address: { ru: r.address_ru, kk: r.address_kk },
    settlementId: r.settlement_id,
    atuCode: r.atu_code,
    districtId: r.district_id,
    lat: r.lat,
    lon: r.lon,
    phone: r.phone,
    hours: { ru: r.hours_ru, kk: r.hours_kk },
    kind: r.kind,
    licensed: r.licensed === 1,
    licenceNumber: r.licence_number,
    contractYears: contracts.get(r.id) ?? [],
    capacity: r.capacity,
    attached: r.attached,
    freeCapacity: Math.max(0, r.capacity - r.attached),
    active: r.active === 1,
    sample: r.sample === 1,
  }));
}

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
export async function clinicsOfSettlement(db: Db, settlementId: string, opts: ClinicListOptions = {}): Promise<Page<Clinic>> {
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
  if (fts.length > 0) {
    // Tokens are letters and digits only (foldForSearch), so quoting them as FTS5 strings is safe.
    const match = fts.map((t) => `"${t}"`).join(" AND ");
    q = q.where("clinics.seq", "in", db.selectFrom("clinics_fts").select("rowid").where(sql.ref("clinics_fts"), "match", match));
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

const EARTH_RADIUS_M = 6_371_008.8; // mean radius (IUGG)
const rad = (deg: number) => (deg * Math.PI) / 180;

/** Great-circle distance in metres (haversine). */
export function distanceMeters(a: { lat: number; lon: number }, b: { lat: number; lon: number }): number {
  const dLat = rad(b.lat - a.lat);
  const dLon = rad(b.lon - a.lon);
  const h = Math.sin(dLat / 2) ** 2 + Math.cos(rad(a.lat)) * Math.cos(rad(b.lat)) * Math.sin(dLon / 2) ** 2;
  return 2 * EARTH_RADIUS_M * Math.asin(Math.min(1, Math.sqrt(h)));
}

/**
 * The n nearest active clinics to a point. The R*Tree finds candidates in a box that doubles until it holds n
 * clinics within its inscribed radius; exact distances are computed here, so the order is exact.
 */
export async function nearestClinics(
  db: Db,
  point: { lat: number; lon: number },
  n: number,
  opts: { settlementId?: string } = {},
): Promise<NearbyClinic[]> {
  if (n <= 0) return [];
  const maxRadius = 4_000_000; // wider than Kazakhstan
  for (let radius = 2_000; ; radius *= 2) {
    const dLat = (radius / EARTH_RADIUS_M) * (180 / Math.PI);
    const dLon = dLat / Math.max(Math.cos(rad(point.lat)), 0.01);
    let q = baseQuery(db)
      .innerJoin("clinics_geo", "clinics_geo.id", "clinics.seq")
      .where("clinics_geo.max_lat", ">=", point.lat - dLat)
      .where("clinics_geo.min_lat", "<=", point.lat + dLat)
      .where("clinics_geo.max_lon", ">=", point.lon - dLon)
      .where("clinics_geo.min_lon", "<=", point.lon + dLon)
      .where("clinics.active", "=", 1);
    if (opts.settlementId) q = q.where("clinics.settlement_id", "=", opts.settlementId);
    const rows = await q.execute();
    const measured = rows
      .map((r) => ({ row: r, d: distanceMeters(point, r) }))
      .sort((a, b) => a.d - b.d || a.row.id.localeCompare(b.row.id));
    // Only clinics within the circle are sure to be ranked right: one outside may lose to one outside the box.
    const sure = radius >= maxRadius ? measured : measured.filter((m) => m.d <= radius);
    if (sure.length >= n || radius >= maxRadius) {
      const top = sure.slice(0, n);
      const clinics = await toClinics(db, top.map((m) => m.row));
      return clinics.map((c, i) => ({ ...c, distanceMeters: Math.round(top[i]?.d ?? 0) }));
    }
  }
}

export type AdjustResult =
  | { ok: true; attached: number; capacity: number }
  | { ok: false; reason: "not_found" | "full" };

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
    .set((eb) => ({ attached: sql<number>`case when ${eb.ref("attached")} + ${d} < 0 then 0 else ${eb.ref("attached")} + ${d} end` }))
    .where("id", "=", clinicId);
  if (d > 0 && !opts.allowOverCapacity) q = q.where(sql<boolean>`attached + ${d} <= capacity`);
  const row = await q.returning(["attached", "capacity"]).executeTakeFirst();
  if (row) return { ok: true, attached: row.attached, capacity: row.capacity };
  const exists = await db.selectFrom("clinics").select("id").where("id", "=", clinicId).executeTakeFirst();
  return { ok: false, reason: exists ? "full" : "not_found" };
}

/** One clinic as written by the seed loader and the importer. attached undefined = keep the stored count. */
export interface ClinicInput {
  id: string;
  bin: string | null;
  name: Bilingual;
  address: Bilingual;
  settlementId: string;
  districtId: string | null;
  lat: number;
  lon: number;
  phone: string | null;
  hours: Bilingual | null;
  kind: ClinicKind;
  licensed: boolean;
  licenceNumber: string | null;
  contractYears: number[];
  capacity: number;
  attached?: number;
  active: boolean;
  sample: boolean;
}

type WritableRow = Omit<Insertable<ClinicsTable>, "seq" | "updated_at">;

function toRow(c: ClinicInput, attached: number, districtNames: string[]): WritableRow {
  return {
    id: c.id,
    bin: c.bin,
    name_ru: c.name.ru,
    name_kk: c.name.kk,
    address_ru: c.address.ru,
    address_kk: c.address.kk,
    settlement_id: c.settlementId,
    district_id: c.districtId,
    lat: c.lat,
    lon: c.lon,
    phone: c.phone,
    hours_ru: c.hours?.ru ?? null,
    hours_kk: c.hours?.kk ?? null,
    kind: c.kind,
    licensed: c.licensed ? 1 : 0,
    licence_number: c.licenceNumber,
    capacity: c.capacity,
    attached,
    active: c.active ? 1 : 0,
    sample: c.sample ? 1 : 0,
    // District names too: people look for "a clinic in Бостандык" and some addresses omit the district.
    search: searchColumn([c.name.ru, c.name.kk, c.address.ru, c.address.kk, ...districtNames]),
    sort_ru: sortKey(c.name.ru),
    sort_kk: sortKey(c.name.kk),
  };
}

/** Insert or update by id; a row identical to the stored one is left alone, so re-imports are no-ops. */
export async function upsertClinic(db: Db, c: ClinicInput, now: string): Promise<"added" | "updated" | "unchanged"> {
  const years = [...new Set(c.contractYears)].sort((a, b) => a - b);
  const old = await db.selectFrom("clinics").selectAll().where("id", "=", c.id).executeTakeFirst();
  const district = c.districtId
    ? await db.selectFrom("districts").select(["name_ru", "name_kk"]).where("id", "=", c.districtId).executeTakeFirst()
    : undefined;
  const row = toRow(c, c.attached ?? old?.attached ?? 0, district ? [district.name_ru, district.name_kk] : []);
  if (!old) {
    await db.insertInto("clinics").values({ ...row, updated_at: now }).execute();
    if (years.length) await db.insertInto("clinic_contracts").values(years.map((year) => ({ clinic_id: c.id, year }))).execute();
    return "added";
  }
  const oldYears = (await contractsOf(db, [c.id])).get(c.id) ?? [];
  const same =
    (Object.keys(row) as (keyof WritableRow)[]).every((k) => row[k] === old[k]) && oldYears.join(",") === years.join(",");
  if (same) return "unchanged";
  await db.updateTable("clinics").set({ ...row, updated_at: now }).where("id", "=", c.id).execute();
  await db.deleteFrom("clinic_contracts").where("clinic_id", "=", c.id).execute();
  if (years.length) await db.insertInto("clinic_contracts").values(years.map((year) => ({ clinic_id: c.id, year }))).execute();
  return "updated";
}

/** Marks inactive every active clinic whose id is not in keep; returns the ids it deactivated. */
export async function deactivateClinicsExcept(db: Db, keep: ReadonlySet<string>, now: string): Promise<string[]> {
  const active = await db.selectFrom("clinics").select("id").where("active", "=", 1).execute();
  const gone = active.map((r) => r.id).filter((id) => !keep.has(id));
  for (let i = 0; i < gone.length; i += 500) {
    await db.updateTable("clinics").set({ active: 0, updated_at: now }).where("id", "in", gone.slice(i, i + 500)).execute();
  }
  return gone;
}
