import type { Db } from "./db.js";
import { ImportFileError, parseCsv, parseJsonRecords } from "./directory-import-files.js";
import { COLUMNS, CONTRACT_COLUMN, pairIssues, REQUIRED_COLUMNS, rowSchema, YES } from "./directory-import-rows.js";
import { deactivateClinicsExcept, distanceMeters, upsertClinic, type ClinicInput } from "./repositories/clinics.js";
import { foldForSearch } from "./repositories/places.js";

/** Import of the official registry of PMSP organisations; the columns are documented in docs/clinic-import.md. */

export { ImportFileError, parseCsv, parseJsonRecords, type RawRecord } from "./directory-import-files.js";
export { COLUMNS, rowSchema, validBin, type ImportRow } from "./directory-import-rows.js";

export interface Rejected {
  line: number;
  id?: string;
  reason: string;
}
export interface ImportOptions {
  format: "csv" | "json";
  /** Import the good rows even when some are bad. */
  skipInvalid?: boolean;
  /** A partial file: clinics missing from it stay as they are. */
  partial?: boolean;
  /** Report what would change and write nothing. */
  dryRun?: boolean;
  now?: Date;
}
export interface ImportReport {
  rows: number;
  added: number;
  updated: number;
  unchanged: number;
  deactivated: number;
  rejected: Rejected[];
  /** False when nothing was written: bad rows without skipInvalid, or a dry run. The counts say what would happen. */
  applied: boolean;
  warnings: string[];
}

/** Settlement and district names as the registry may write them: "Бостандыкский район" or just "Бостандык". */
function placeKey(s: string): string {
  return foldForSearch(s)
    .replace(/ (район|ауданы|р н|г|қ|к|қаласы|каласы)$/u, "")
    .trim();
}
/** A settlement as registries write it – "г. Алматы", "Алматы қ.", "с. Шамалган" – down to its bare name. */
function settlementKey(s: string): string {
  return placeKey(s)
    .replace(/^(г|город|с|село|п|пос|поселок|посёлок|пгт|ауыл)\s+/u, "")
    .replace(/\s+(ауылы|кенті)$/u, "")
    .trim();
}
const MAX_KM_FROM_SETTLEMENT = 60;

class Rollback extends Error {}

/** Validates every row, then writes all of them in one transaction (or none: see ImportReport.applied). */
export async function importClinics(db: Db, text: string, opts: ImportOptions): Promise<ImportReport> {
  const { header, records } = opts.format === "csv" ? parseCsv(text) : parseJsonRecords(text);
  if (records.length === 0) throw new ImportFileError("the file has no clinics");
  const missing = REQUIRED_COLUMNS.filter((c) => !header.includes(c));
  if (missing.length) throw new ImportFileError(`missing column(s): ${missing.join(", ")}`);
  const known = new Set<string>(COLUMNS);
  const unknown = header.filter((h) => !known.has(h) && !CONTRACT_COLUMN.test(h));
  const warnings = unknown.length ? [`ignored column(s): ${unknown.join(", ")}`] : [];
  const now = (opts.now ?? new Date()).toISOString();
  const report: ImportReport = {
    rows: records.length,
    added: 0,
    updated: 0,
    unchanged: 0,
    deactivated: 0,
    rejected: [],
    applied: false,
    warnings,
  };

  const settlements = await db
    .selectFrom("settlements")
    .select(["id", "atu_code", "lat", "lon", "name_ru", "name_kk"])
    .execute();
  const districts = await db.selectFrom("districts").select(["id", "settlement_id", "name_ru", "name_kk"]).execute();
  const seen = new Map<string, number>();
  const named = new Set<string>(); // every id the file mentions, even on a bad row: those are not "missing"
  const good: ClinicInput[] = [];
  for (const rec of records) {
    const rawId = rec.values.id || rec.values.bin || undefined;
    if (rawId) named.add(rawId);
    const reject = (reason: string) =>
      report.rejected.push({ line: rec.line, ...(rawId ? { id: rawId } : {}), reason });
    const input = Object.fromEntries(COLUMNS.map((c) => [c, rec.values[c] ?? ""]));
    const parsed = rowSchema.safeParse(input);
    const issues = [
      ...pairIssues(input),
      ...(parsed.error?.issues.map((i) => `${i.path.join(".") || "row"}: ${i.message}`) ?? []),
    ];
    if (!parsed.success || issues.length > 0) {
      reject(issues.join("; "));
      continue;
    }
    const r = parsed.data;
    const id = r.id ?? r.bin ?? "";
    const first = seen.get(id);
    if (first !== undefined) {
      reject(`duplicate id ${id} (first on line ${first})`);
      continue;
    }
    seen.set(id, rec.line);
    // By id or ATU code; else by name, when the name is one settlement's only (the registry's codes may differ).
    let s = settlements.find((x) => x.id === r.settlement || x.atu_code === r.settlement);
    if (!s) {
      const key = settlementKey(r.settlement);
      const byName = settlements.filter((x) => settlementKey(x.name_ru) === key || settlementKey(x.name_kk) === key);
      if (byName.length > 1) {
        reject(
          `settlement: "${r.settlement}" is the name of ${byName.length} settlements (${byName.map((x) => x.id).join(", ")}); give its ATU code or id`,
        );
        continue;
      }
      s = byName[0];
    }
    if (!s) {
      reject(`settlement: unknown settlement "${r.settlement}" (give its ATU code, id or name)`);
      continue;
    }
    let districtId: string | null = null;
    if (r.district !== null) {
      const key = placeKey(r.district);
      const d = districts.find(
        (x) =>
          x.settlement_id === s.id &&
          (x.id === r.district || placeKey(x.name_ru) === key || placeKey(x.name_kk) === key),
      );
      if (!d) {
        reject(`district: "${r.district}" is not a district of ${s.name_ru}`);
        continue;
      }
      districtId = d.id;
    }
    if (s.lat !== null && s.lon !== null) {
      const km = distanceMeters(r, { lat: s.lat, lon: s.lon }) / 1000;
      if (km > MAX_KM_FROM_SETTLEMENT) {
        reject(`lat/lon: ${r.lat}, ${r.lon} is ${Math.round(km)} km from ${s.name_ru}; check the coordinates`);
        continue;
      }
    }
    const years = new Set(r.fund_contract_years);
    for (const h of header) {
      const year = CONTRACT_COLUMN.exec(h)?.[1];
      const v = (rec.values[h] ?? "").toLowerCase();
      if (year && YES.has(v)) years.add(Number(year));
    }
    const nameRu = r.name_ru ?? r.name_kk ?? "";
    const addressRu = r.address_ru ?? r.address_kk ?? "";
    good.push({
      id,
      bin: r.bin,
      name: { ru: nameRu, kk: r.name_kk ?? nameRu },
      address: { ru: addressRu, kk: r.address_kk ?? addressRu },
      settlementId: s.id,
      districtId,
      lat: r.lat,
      lon: r.lon,
      phone: r.phone,
      hours:
        r.hours_ru === null && r.hours_kk === null
          ? null
          : { ru: r.hours_ru ?? r.hours_kk ?? "", kk: r.hours_kk ?? r.hours_ru ?? "" },
      kind: r.kind,
      provider: r.provider,
      licensed: r.licensed,
      licenceNumber: r.licence_number,
      contractYears: [...years].sort((a, b) => a - b),
      capacity: r.capacity,
      ...(r.attached !== null ? { attached: r.attached } : {}),
      active: r.active,
      sample: false,
    });
  }

  const write = report.rejected.length === 0 || opts.skipInvalid === true;
  try {
    await db.transaction().execute(async (trx) => {
      for (const c of good) report[await upsertClinic(trx, c, now)]++;
      if (!opts.partial) report.deactivated = (await deactivateClinicsExcept(trx, named, now)).length;
      if (!write || opts.dryRun) throw new Rollback();
    });
    report.applied = true;
  } catch (e) {
    if (!(e instanceof Rollback)) throw e;
  }
  return report;
}
