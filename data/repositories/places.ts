import type { Selectable } from "kysely";
import type { Db } from "../db.js";
import type { RegionKind, SettlementKind, SettlementsTable } from "../schema/directory.js";

export type Locale = "ru" | "kk";
export interface Bilingual {
  ru: string;
  kk: string;
}
export interface Page<T> {
  items: T[];
  total: number;
  /** 0-based. */
  page: number;
  pageSize: number;
  pages: number;
}
export interface PageOptions {
  page?: number;
  pageSize?: number;
  locale?: Locale;
}

export interface Region {
  id: string;
  kind: RegionKind;
  name: Bilingual;
  atuCode: string;
  centreId: string | null;
}
export interface Settlement {
  id: string;
  regionId: string;
  kind: SettlementKind;
  name: Bilingual;
  atuCode: string;
  lat: number | null;
  lon: number | null;
}
export interface District {
  id: string;
  settlementId: string;
  name: Bilingual;
}

/** A generous box around Kazakhstan: coordinates outside it are a typo or swapped lat/lon. */
export const KAZAKHSTAN_BOUNDS = { minLat: 40.5, maxLat: 55.5, minLon: 46.4, maxLon: 87.4 } as const;

export function insideKazakhstan(lat: number, lon: number): boolean {
  const b = KAZAKHSTAN_BOUNDS;
  return lat >= b.minLat && lat <= b.maxLat && lon >= b.minLon && lon <= b.maxLon;
}

// Folding Kazakh letters onto their Russian neighbours lets "Ауэзов", "ӘУЕЗОВ" and "әуезов" find the same rows:
// many keyboards lack ә ғ қ ң ө ұ ү һ і (a Latin "i" often stands in for і; Russian spelling writes э where Kazakh
// writes е), and SQLite's lower() folds ASCII only, so both sides are folded in JS.
const FOLD: Record<string, string> = {
  ә: "а",
  ғ: "г",
  қ: "к",
  ң: "н",
  ө: "о",
  ұ: "у",
  ү: "у",
  һ: "х",
  і: "и",
  i: "и",
  ё: "е",
  э: "е",
};

/** Lower case, Kazakh letters folded, punctuation to single spaces. Used for stored text and queries alike. */
export function foldForSearch(text: string): string {
  let out = "";
  for (const ch of text.normalize("NFC").toLowerCase()) out += FOLD[ch] ?? ch;
  return out.replace(/[^\p{L}\p{N}]+/gu, " ").trim();
}

/** Stored search column: padded with spaces so a number can be matched as a whole word (`% 7 %`). */
export function searchColumn(parts: (string | null | undefined)[]): string {
  return ` ${parts
    .filter((p): p is string => !!p)
    .map(foldForSearch)
    .join(" ")} `;
}

/** Sort key: folded text with numbers zero-padded, so "№4" comes before "№12". */
export function sortKey(text: string): string {
  return foldForSearch(text).replace(/\d+/g, (d) => d.padStart(6, "0"));
}

/** Query words: ≥ 3 letters go to the trigram index; shorter words and numbers are matched with LIKE. */
export function queryTokens(text: string): { fts: string[]; like: string[] } {
  const fts: string[] = [];
  const like: string[] = [];
  for (const t of foldForSearch(text).split(" ")) {
    if (t === "") continue;
    if (/^\p{N}+$/u.test(t)) like.push(`% ${t} %`);
    else if ([...t].length >= 3) fts.push(t);
    else like.push(`%${t}%`);
  }
  return { fts, like };
}

export function pageBounds(opts: PageOptions): { page: number; pageSize: number } {
  const pageSize = Math.min(Math.max(Math.trunc(opts.pageSize ?? 8), 1), 100);
  const page = Math.max(Math.trunc(opts.page ?? 0), 0);
  return { page, pageSize };
}

export function makePage<T>(items: T[], total: number, page: number, pageSize: number): Page<T> {
  return { items, total, page, pageSize, pages: Math.ceil(total / pageSize) };
}

function toSettlement(r: Selectable<SettlementsTable>): Settlement {
  return {
    id: r.id,
    regionId: r.region_id,
    kind: r.kind,
    name: { ru: r.name_ru, kk: r.name_kk },
    atuCode: r.atu_code,
    lat: r.lat,
    lon: r.lon,
  };
}

export async function listRegions(db: Db): Promise<Region[]> {
  const rows = await db.selectFrom("regions").selectAll().orderBy("sort_order").orderBy("id").execute();
  return rows.map((r) => ({
    id: r.id,
    kind: r.kind,
    name: { ru: r.name_ru, kk: r.name_kk },
    atuCode: r.atu_code,
    centreId: r.centre_id,
  }));
}

export async function getRegion(db: Db, id: string): Promise<Region | undefined> {
  return (await listRegions(db)).find((r) => r.id === id);
}

/** The region's centre first, then cities, district centres, villages, each by name. */
export async function listSettlements(db: Db, regionId: string, opts: PageOptions = {}): Promise<Page<Settlement>> {
  const { page, pageSize } = pageBounds(opts);
  const sortColumn = opts.locale === "kk" ? "s.sort_kk" : "s.sort_ru";
  const { total } = await db
    .selectFrom("settlements")
    .select((eb) => eb.fn.countAll<number>().as("total"))
    .where("region_id", "=", regionId)
    .executeTakeFirstOrThrow();
  const rows = await db
    .selectFrom("settlements as s")
    .innerJoin("regions as r", "r.id", "s.region_id")
    .selectAll("s")
    .where("s.region_id", "=", regionId)
    .orderBy((eb) => eb.case().when("s.id", "=", eb.ref("r.centre_id")).then(0).else(1).end())
    .orderBy((eb) =>
      eb.case().when("s.kind", "=", "city").then(0).when("s.kind", "=", "district_centre").then(1).else(2).end(),
    )
    .orderBy(sortColumn)
    .orderBy("s.id")
    .limit(pageSize)
    .offset(page * pageSize)
    .execute();
  return makePage(rows.map(toSettlement), Number(total), page, pageSize);
}

/** Part of a name in either language, any case, with or without Kazakh letters. */
export async function searchSettlements(
  db: Db,
  text: string,
  limitOrOpts: number | { regionId?: string; limit?: number } = {},
): Promise<Settlement[]> {
  const opts = typeof limitOrOpts === "number" ? { limit: limitOrOpts } : limitOrOpts;
  const words = foldForSearch(text)
    .split(" ")
    .filter((w) => w !== "");
  if (words.length === 0) return [];
  let q = db.selectFrom("settlements").selectAll();
  for (const w of words) q = q.where("search", "like", `%${w}%`);
  if (opts.regionId) q = q.where("region_id", "=", opts.regionId);
  const rows = await q
    .orderBy((eb) =>
      eb.case().when("kind", "=", "city").then(0).when("kind", "=", "district_centre").then(1).else(2).end(),
    )
    .orderBy("sort_ru")
    .limit(opts.limit ?? 10)
    .execute();
  return rows.map(toSettlement);
}

export async function getSettlement(db: Db, id: string): Promise<Settlement | undefined> {
  const row = await db.selectFrom("settlements").selectAll().where("id", "=", id).executeTakeFirst();
  return row ? toSettlement(row) : undefined;
}

export async function getSettlementByAtuCode(db: Db, atuCode: string): Promise<Settlement | undefined> {
  const row = await db.selectFrom("settlements").selectAll().where("atu_code", "=", atuCode).executeTakeFirst();
  return row ? toSettlement(row) : undefined;
}

export async function listDistricts(db: Db, settlementId: string): Promise<District[]> {
  const rows = await db
    .selectFrom("districts")
    .selectAll()
    .where("settlement_id", "=", settlementId)
    .orderBy("sort_order")
    .orderBy("id")
    .execute();
  return rows.map((r) => ({ id: r.id, settlementId: r.settlement_id, name: { ru: r.name_ru, kk: r.name_kk } }));
}

export async function getDistrict(db: Db, id: string): Promise<District | undefined> {
  const r = await db.selectFrom("districts").selectAll().where("id", "=", id).executeTakeFirst();
  return r ? { id: r.id, settlementId: r.settlement_id, name: { ru: r.name_ru, kk: r.name_kk } } : undefined;
}
