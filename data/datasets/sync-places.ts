import type { Db } from "../db.js";
import { searchColumn, sortKey } from "../repositories/places.js";
import type { PlacesFile } from "./load-directory.js";

export interface PlaceSyncCounts {
  added: number;
  updated: number;
  unchanged: number;
}

type Row = Record<string, string | number | null>;

/** The columns one shipped place writes, as stored. */
function rowsOf(places: PlacesFile) {
  const regions: Row[] = [];
  const settlements: Row[] = [];
  const districts: Row[] = [];
  for (const [order, r] of places.regions.entries()) {
    regions.push({ id: r.id, kind: r.kind, name_ru: r.name.ru, name_kk: r.name.kk, atu_code: r.atuCode, centre_id: r.centre, sort_order: order });
    for (const s of r.settlements) {
      settlements.push({
        id: s.id,
        region_id: r.id,
        kind: s.kind,
        name_ru: s.name.ru,
        name_kk: s.name.kk,
        atu_code: s.atuCode,
        lat: s.lat,
        lon: s.lon,
        search: searchColumn([s.name.ru, s.name.kk]),
        sort_ru: sortKey(s.name.ru),
        sort_kk: sortKey(s.name.kk),
      });
      for (const [i, d] of (s.districts ?? []).entries()) {
        districts.push({ id: d.id, settlement_id: s.id, name_ru: d.name.ru, name_kk: d.name.kk, sort_order: i });
      }
    }
  }
  return { regions, settlements, districts };
}

/**
 * Brings the shipped places (regions, settlements, districts) into an existing database: new ones are added,
 * changed ones updated by id, identical ones left alone. Nothing is ever deleted — clinics and requests point at
 * places — so a place dropped from the file stays. Parents go first (foreign keys). Run it in a transaction.
 */
export async function syncShippedPlaces(db: Db, places: PlacesFile): Promise<PlaceSyncCounts> {
  const counts: PlaceSyncCounts = { added: 0, updated: 0, unchanged: 0 };
  const wanted = rowsOf(places);
  for (const table of ["regions", "settlements", "districts"] as const) {
    const stored = new Map(((await db.selectFrom(table).selectAll().execute()) as Row[]).map((r) => [r.id, r]));
    for (const row of wanted[table]) {
      const old = stored.get(row.id ?? "");
      // One loop for three tables: rowsOf builds exactly each table's columns, which the casts cannot express.
      if (!old) {
        await db.insertInto(table).values(row as never).execute();
        counts.added++;
      } else if (Object.keys(row).some((k) => row[k] !== old[k])) {
        await db.updateTable(table).set(row as never).where("id", "=", String(row.id)).execute();
        counts.updated++;
      } else {
        counts.unchanged++;
      }
    }
  }
  return counts;
}
