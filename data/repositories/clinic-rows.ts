import type { Selectable } from "kysely";
import type { Db } from "../db.js";
import type { ClinicKind, ClinicsTable, ProviderKind } from "../schema/directory.js";
import type { Bilingual } from "./places.js";

// What a clinic row becomes for the bot, and the query every clinic read starts from (shared by the readers,
// the nearest-clinic search and the writer).

export interface Clinic {
  id: string;
  bin: string | null;
  name: Bilingual;
  address: Bilingual;
  settlementId: string;
  /** The settlement's name: same-named clinics of different towns ("Городская поликлиника №1") told apart. */
  settlementName: Bilingual;
  /** The settlement's ATU code (R4). */
  atuCode: string;
  districtId: string | null;
  lat: number;
  lon: number;
  phone: string | null;
  /** Working hours as written by the clinic; null when unknown. */
  hours: { ru: string | null; kk: string | null };
  kind: ClinicKind;
  /** R5: a medical organisation or a private practitioner. */
  provider: ProviderKind;
  licensed: boolean;
  licenceNumber: string | null;
  /** Years with a Fund contract (R5), ascending. */
  contractYears: number[];
  capacity: number;
  attached: number;
  /** capacity − attached, never below 0 (R6). */
  freeCapacity: number;
  active: boolean;
  /** From the shipped illustrative dataset, not the official registry (its figures are not real; see `figures`). */
  sample: boolean;
  /** Where capacity, counts, contract, licence and coordinates come from: only a registry import gives "registry". */
  figures: "illustrative" | "registry";
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

export type ClinicRow = Selectable<ClinicsTable> & { atu_code: string; settlement_ru: string; settlement_kk: string };

export function baseQuery(db: Db) {
  return db
    .selectFrom("clinics")
    .innerJoin("settlements", "settlements.id", "clinics.settlement_id")
    .selectAll("clinics")
    .select(["settlements.atu_code", "settlements.name_ru as settlement_ru", "settlements.name_kk as settlement_kk"]);
}

export async function contractsOf(db: Db, ids: string[]): Promise<Map<string, number[]>> {
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

export async function toClinics(db: Db, rows: ClinicRow[]): Promise<Clinic[]> {
  const contracts = await contractsOf(
    db,
    rows.map((r) => r.id),
  );
  return rows.map((r) => ({
    id: r.id,
    bin: r.bin,
    name: { ru: r.name_ru, kk: r.name_kk },
    address: { ru: r.address_ru, kk: r.address_kk },
    settlementId: r.settlement_id,
    settlementName: { ru: r.settlement_ru, kk: r.settlement_kk },
    atuCode: r.atu_code,
    districtId: r.district_id,
    lat: r.lat,
    lon: r.lon,
    phone: r.phone,
    hours: { ru: r.hours_ru, kk: r.hours_kk },
    kind: r.kind,
    provider: r.provider_kind,
    licensed: r.licensed === 1,
    licenceNumber: r.licence_number,
    contractYears: contracts.get(r.id) ?? [],
    capacity: r.capacity,
    attached: r.attached,
    freeCapacity: Math.max(0, r.capacity - r.attached),
    active: r.active === 1,
    sample: r.sample === 1,
    figures: r.sample === 1 ? "illustrative" : "registry",
  }));
}
