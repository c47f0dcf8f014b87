import { z } from "zod";
import { iinCheckDigit } from "../rules/index.js";
import type { Db } from "./db.js";
import { deactivateClinicsExcept, distanceMeters, upsertClinic, type ClinicInput } from "./repositories/clinics.js";
import { foldForSearch, insideKazakhstan } from "./repositories/places.js";

/** Import of the official registry of PMSP organisations; the columns are documented in docs/clinic-import.md. */

export class ImportFileError extends Error {}

export interface RawRecord {
  /** CSV: the line the record starts on (the header is line 1). JSON: the element's 1-based position. */
  line: number;
  values: Record<string, string>;
}

/** RFC 4180: quoted fields with "" escapes and line breaks, CRLF or LF, a UTF-8 BOM; ";" when Excel used it. */
export function parseCsv(text: string): { header: string[]; records: RawRecord[] } {
  const src = text.replace(/^\uFEFF/, "");
  const firstLine = src.slice(0, src.search(/\r?\n|$/));
  const sep = firstLine.includes(";") && !firstLine.includes(",") ? ";" : ",";
  const rows: { line: number; cells: string[] }[] = [];
  let cells: string[] = [];
  let cell = "";
  let quoted = false;
  let fieldStart = true;
  let line = 1;
  let start = 1;
  const endRecord = () => {
    cells.push(cell);
    if (cells.some((c) => c.trim() !== "")) rows.push({ line: start, cells });
    cells = [];
    cell = "";
  };
  for (let i = 0; i < src.length; i++) {
    const ch = src[i] ?? "";
    const atStart = fieldStart;
    fieldStart = false;
    if (quoted) {
      if (ch !== '"') {
        if (ch === "\n") line++;
        cell += ch;
      } else if (src[i + 1] === '"') {
        cell += '"';
        i++;
      } else quoted = false;
    } else if (ch === '"' && atStart) quoted = true;
    else if (ch === sep) {
      cells.push(cell);
      cell = "";
      fieldStart = true;
    } else if (ch === "\n" || ch === "\r") {
      if (ch === "\r" && src[i + 1] === "\n") i++;
      endRecord();
      fieldStart = true;
      start = ++line;
    } else cell += ch;
  }
  if (quoted) throw new ImportFileError(`line ${start}: a quoted field is not closed`);
  endRecord();
  const head = rows.shift();
  if (!head) throw new ImportFileError("the file is empty");
  const header = head.cells.map((h) => h.trim().toLowerCase());
  const records = rows.map((r) => ({
    line: r.line,
    values: Object.fromEntries(header.map((h, i) => [h, (r.cells[i] ?? "").trim()])),
  }));
  return { header, records };
}

/** An array of objects with the CSV's column names (or `{ "clinics": [...] }`); values may be numbers or booleans. */
export function parseJsonRecords(text: string): { header: string[]; records: RawRecord[] } {
  let data: unknown;
  try {
    data = JSON.parse(text.replace(/^\uFEFF/, ""));
  } catch (e) {
    throw new ImportFileError(`not valid JSON: ${e instanceof Error ? e.message : String(e)}`);
  }
  const list = Array.isArray(data) ? data : (data as { clinics?: unknown } | null)?.clinics;
  if (!Array.isArray(list)) throw new ImportFileError("expected an array of clinics or { \"clinics\": [...] }");
  const header = new Set<string>();
  const records = list.map((item: unknown, i) => {
    const values: Record<string, string> = {};
    if (item && typeof item === "object" && !Array.isArray(item)) {
      for (const [k, v] of Object.entries(item)) {
        const key = k.trim().toLowerCase();
        header.add(key);
        values[key] = v === null || v === undefined ? "" : Array.isArray(v) ? v.join(";") : typeof v === "boolean" ? (v ? "yes" : "no") : String(v).trim();
      }
    }
    return { line: i + 1, values };
  });
  return { header: [...header], records };
}

export const COLUMNS = [
  "id", "bin", "name_ru", "name_kk", "address_ru", "address_kk", "settlement", "district", "lat", "lon", "phone",
  "hours_ru", "hours_kk", "kind", "licensed", "licence_number", "fund_contract_years", "capacity", "attached", "active",
] as const;
const REQUIRED_COLUMNS = ["settlement", "lat", "lon", "licensed", "capacity"];
const CONTRACT_COLUMN = /^fund_contract_(\d{4})$/;

const YES = new Set(["1", "yes", "y", "true", "да", "д", "иә", "иа", "ия", "+"]);
const NO = new Set(["0", "no", "n", "false", "нет", "н", "жоқ", "жок", "-"]);

/** A 12-digit BIN with the IIN/BIN check digit (domain §3: the rules' own algorithm). */
export function validBin(bin: string): boolean {
  if (!/^\d{12}$/.test(bin)) return false;
  const d = [...bin].map(Number);
  return iinCheckDigit(d.slice(0, 11)) === d[11];
}

const opt = z.string().transform((s) => (s === "" ? null : s));
const yesNo = (dflt?: boolean) =>
  z.string().transform((s, ctx) => {
    const v = s.toLowerCase();
    if (v === "" && dflt !== undefined) return dflt;
    if (YES.has(v)) return true;
    if (NO.has(v)) return false;
    ctx.addIssue({ code: "custom", message: `"${s}" is not yes/no (да/нет, иә/жоқ, 1/0)` });
    return z.NEVER;
  });
const num = (what: string) =>
  z.string().transform((s, ctx) => {
    const n = s === "" ? NaN : Number(s.replace(",", ".").replace(/\s/g, ""));
    if (Number.isFinite(n)) return n;
    ctx.addIssue({ code: "custom", message: s === "" ? "is empty" : `"${s}" is not ${what}` });
    return z.NEVER;
  });
const count = (what: string) => num(what).refine((n) => Number.isInteger(n) && n >= 0, `must be a whole number ≥ 0`);
const phone = opt.transform((s, ctx) => {
  if (s === null) return null;
  const out: string[] = [];
  for (const part of s.split(/[,;]/)) {
    const digits = part.replace(/[\s()+-]/g, "");
    const national = /^[78]\d{10}$/.test(digits) ? digits.slice(1) : digits;
    if (!/^\d{10}$/.test(national)) {
      ctx.addIssue({ code: "custom", message: `"${part.trim()}" is not a Kazakhstan number (+7 and 10 digits)` });
      return z.NEVER;
    }
    out.push(`+7${national}`);
  }
  return out.join(", ");
});

export const rowSchema = z
  .object({
    id: opt.refine((s) => s === null || /^[A-Za-z0-9][\w-]{0,63}$/.test(s), "letters, digits, - and _ only (≤ 64)"),
    bin: opt.refine((s) => s === null || validBin(s), "not a valid 12-digit BIN (check digit)"),
    name_ru: opt,
    name_kk: opt,
    address_ru: opt,
    address_kk: opt,
    settlement: z.string().min(1, "is empty"),
    district: opt,
    lat: num("a number").refine((n) => n >= -90 && n <= 90, "must be between -90 and 90"),
    lon: num("a number").refine((n) => n >= -180 && n <= 180, "must be between -180 and 180"),
    phone,
    hours_ru: opt,
    hours_kk: opt,
    kind: z.string().transform((s, ctx) => {
      const v = s.toLowerCase() || "mixed";
      if (v === "adult" || v === "children" || v === "mixed" || v === "family") return v;
      ctx.addIssue({ code: "custom", message: `"${s}" is not one of adult, children, mixed, family` });
      return z.NEVER;
    }),
    licensed: yesNo(),
    licence_number: opt,
    fund_contract_years: z.string().transform((s, ctx) => {
      const years = s.split(/[;,\s]+/).filter((y) => y !== "");
      if (years.every((y) => /^20\d\d$/.test(y))) return years.map(Number);
      ctx.addIssue({ code: "custom", message: `"${s}" is not a list of years like 2026;2027` });
      return z.NEVER;
    }),
    capacity: count("a number"),
    attached: opt.pipe(z.union([z.null(), count("a number")])),
    active: yesNo(true),
  })
  .superRefine((r, ctx) => {
    if (!insideKazakhstan(r.lat, r.lon)) ctx.addIssue({ code: "custom", path: ["lat"], message: `${r.lat}, ${r.lon} is outside Kazakhstan (swapped lat/lon?)` });
  });

/** Checks across columns, on the raw values so they are reported together with the column errors. */
function pairIssues(v: Record<string, string>): string[] {
  const out: string[] = [];
  if (!v.id && !v.bin) out.push("id: id and bin are both empty");
  if (!v.name_ru && !v.name_kk) out.push("name_ru: the name is empty (name_ru and name_kk)");
  if (!v.address_ru && !v.address_kk) out.push("address_ru: the address is empty (address_ru and address_kk)");
  return out;
}
export type ImportRow = z.output<typeof rowSchema>;

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
  return foldForSearch(s).replace(/ (район|ауданы|р н|г|қ|к|қаласы|каласы)$/u, "").trim();
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
  const report: ImportReport = { rows: records.length, added: 0, updated: 0, unchanged: 0, deactivated: 0, rejected: [], applied: false, warnings };

  const settlements = await db.selectFrom("settlements").select(["id", "atu_code", "lat", "lon", "name_ru"]).execute();
  const districts = await db.selectFrom("districts").select(["id", "settlement_id", "name_ru", "name_kk"]).execute();
  const seen = new Map<string, number>();
  const named = new Set<string>(); // every id the file mentions, even on a bad row: those are not "missing"
  const good: ClinicInput[] = [];
  for (const rec of records) {
    const rawId = rec.values.id || rec.values.bin || undefined;
    if (rawId) named.add(rawId);
    const reject = (reason: string) => report.rejected.push({ line: rec.line, ...(rawId ? { id: rawId } : {}), reason });
    const input = Object.fromEntries(COLUMNS.map((c) => [c, rec.values[c] ?? ""]));
    const parsed = rowSchema.safeParse(input);
    const issues = [...pairIssues(input), ...(parsed.error?.issues.map((i) => `${i.path.join(".") || "row"}: ${i.message}`) ?? [])];
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
    const s = settlements.find((x) => x.id === r.settlement || x.atu_code === r.settlement);
    if (!s) {
      reject(`settlement: unknown settlement "${r.settlement}" (give its ATU code or id)`);
      continue;
    }
    let districtId: string | null = null;
    if (r.district !== null) {
      const key = placeKey(r.district);
      const d = districts.find(
        (x) => x.settlement_id === s.id && (x.id === r.district || placeKey(x.name_ru) === key || placeKey(x.name_kk) === key),
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
      hours: r.hours_ru === null && r.hours_kk === null ? null : { ru: r.hours_ru ?? r.hours_kk ?? "", kk: r.hours_kk ?? r.hours_ru ?? "" },
      kind: r.kind,
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
