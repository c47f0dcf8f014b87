import { openTestDatabase, type TestDatabase } from "../../fixtures/database.js";

export type TestDb = TestDatabase;

/** A fresh database of the run's kind (a SQLite file, or a PostgreSQL database), migrated to the latest schema. */
export function freshDb(): Promise<TestDb> {
  return openTestDatabase();
}

export const NOW = new Date("2026-11-20T06:00:00.000Z");

/** The CSV header of docs/clinic-import.md, for inline test files. */
export const HEADER =
  "id,bin,name_ru,name_kk,address_ru,address_kk,settlement,district,lat,lon,phone,hours_ru,hours_kk,kind,licensed,licence_number,fund_contract_years,capacity,attached,active";

/** One valid CSV row in Almaty; override columns by name. */
export function csvRow(over: Record<string, string> = {}): string {
  const row: Record<string, string> = {
    id: "t-1",
    bin: "",
    name_ru: "Тестовая поликлиника",
    name_kk: "Тест емханасы",
    address_ru: '"ул. Абая, 1"',
    address_kk: '"Абай к-сі, 1"',
    settlement: "almaty",
    district: "",
    lat: "43.2389",
    lon: "76.8897",
    phone: "",
    hours_ru: "",
    hours_kk: "",
    kind: "mixed",
    licensed: "да",
    licence_number: "",
    fund_contract_years: "2026;2027",
    capacity: "1000",
    attached: "10",
    active: "да",
    ...over,
  };
  return HEADER.split(",")
    .map((c) => row[c] ?? "")
    .join(",");
}
