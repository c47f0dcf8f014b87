import { type Insertable } from "kysely";
import type { Db } from "../db.js";
import type { ClinicKind, ClinicsTable, ProviderKind } from "../schema/directory.js";
import { contractsOf } from "./clinic-rows.js";
import { searchColumn, sortKey, type Bilingual } from "./places.js";

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
  /** R5: a medical organisation or a private practitioner. */
  provider: ProviderKind;
  licensed: boolean;
  licenceNumber: string | null;
  contractYears: number[];
  capacity: number;
  attached?: number;
  active: boolean;
  /** Not from the official registry (the shipped dataset, figures illustrative); the importer writes false. */
  sample: boolean;
}

export type WritableRow = Omit<Insertable<ClinicsTable>, "seq" | "updated_at">;

/** The columns a registry writes for a clinic (what an import would rewrite), as stored. */
export function registryColumns(c: ClinicInput) {
  return {
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
    provider_kind: c.provider,
    licensed: c.licensed ? 1 : 0,
    licence_number: c.licenceNumber,
    capacity: c.capacity,
  };
}

/** A clinic as its row in clinics (without seq and updated_at); the importer stages these. */
export function toRow(c: ClinicInput, attached: number, districtNames: string[]): WritableRow {
  return {
    id: c.id,
    ...registryColumns(c),
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
    await db
      .insertInto("clinics")
      .values({ ...row, updated_at: now })
      .execute();
    if (years.length)
      await db
        .insertInto("clinic_contracts")
        .values(years.map((year) => ({ clinic_id: c.id, year })))
        .execute();
    return "added";
  }
  const oldYears = (await contractsOf(db, [c.id])).get(c.id) ?? [];
  const same =
    (Object.keys(row) as (keyof WritableRow)[]).every((k) => row[k] === old[k]) &&
    oldYears.join(",") === years.join(",");
  if (same) return "unchanged";
  await db
    .updateTable("clinics")
    .set({ ...row, updated_at: now })
    .where("id", "=", c.id)
    .execute();
  await db.deleteFrom("clinic_contracts").where("clinic_id", "=", c.id).execute();
  if (years.length)
    await db
      .insertInto("clinic_contracts")
      .values(years.map((year) => ({ clinic_id: c.id, year })))
      .execute();
  return "updated";
}

/** Marks inactive every active clinic whose id is not in keep; returns the ids it deactivated. */
export async function deactivateClinicsExcept(db: Db, keep: ReadonlySet<string>, now: string): Promise<string[]> {
  const active = await db.selectFrom("clinics").select("id").where("active", "=", 1).execute();
  const gone = active.map((r) => r.id).filter((id) => !keep.has(id));
  for (let i = 0; i < gone.length; i += 500) {
    await db
      .updateTable("clinics")
      .set({ active: 0, updated_at: now })
      .where("id", "in", gone.slice(i, i + 500))
      .execute();
  }
  return gone;
}
