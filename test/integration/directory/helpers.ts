import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { openDatabase, type OpenedDatabase } from "../../../data/db.js";
import { migrateToLatest } from "../../../data/migrate.js";

export interface TestDb extends OpenedDatabase {
  dir: string;
  url: string;
  dispose(): Promise<void>;
}

/** A real SQLite file in a fresh temp dir, migrated to the latest schema. */
export async function freshDb(): Promise<TestDb> {
  const dir = mkdtempSync(join(tmpdir(), "emhana-directory-"));
  const url = `file:${join(dir, "test.sqlite")}`;
  const opened = openDatabase(url);
  await migrateToLatest(opened.db);
  return {
    ...opened,
    dir,
    url,
    async dispose() {
      await opened.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
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
