import type { Db } from "./db.js";
import { decodeFile, type DecodedAs, type FileEncoding } from "./directory-import-decode.js";
import {
  csvRows,
  headerOf,
  ImportFileError,
  parseJsonRecords,
  recordOf,
  type RawRecord,
} from "./directory-import-files.js";
import { COLUMNS, CONTRACT_COLUMN, pairIssues, REQUIRED_COLUMNS, rowSchema, YES } from "./directory-import-rows.js";
import {
  applyStaged,
  classify,
  clearStaged,
  newImportId,
  stageBatch,
  stageNamed,
  type GoodRow,
} from "./directory-import-stage.js";
import { distanceMeters, type ClinicInput } from "./repositories/clinics.js";
import { foldForSearch } from "./repositories/places.js";

/** Import of the official registry of PMSP organisations; the columns are documented in docs/clinic-import.md. */

export { ImportFileError, parseJsonRecords, type RawRecord } from "./directory-import-files.js";
export { NOT_TEXT, type FileEncoding } from "./directory-import-decode.js";
export { ConcurrentImport } from "./directory-import-stage.js";
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
  /** Rows checked (and staged) per step; between steps the import yields to the event loop. */
  batchSize?: number;
  /**
   * Called after each step with the rows read so far (a promise it returns is waited for): other work of the process
   * runs between two calls.
   */
  onBatch?: (rowsRead: number) => unknown;
}
/** The file: its text, its bytes, or a stream of them (a file is streamed, never read whole, unless JSON). */
export type ImportSource = string | Uint8Array | AsyncIterable<Uint8Array | string>;
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
  /** How the file's bytes were read: Excel on Russian Windows writes Windows-1251. */
  encoding: FileEncoding;
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

const BATCH = 500;

interface Places {
  settlements: {
    id: string;
    atu_code: string;
    lat: number | null;
    lon: number | null;
    name_ru: string;
    name_kk: string;
  }[];
  districts: { id: string; settlement_id: string; name_ru: string; name_kk: string }[];
}

/** One record to a clinic, or the reason it is rejected (every problem of the row at once). */
function checkRecord(rec: RawRecord, header: string[], places: Places): GoodRow | { reason: string } {
  const input = Object.fromEntries(COLUMNS.map((c) => [c, rec.values[c] ?? ""]));
  const parsed = rowSchema.safeParse(input);
  const issues = [
    ...pairIssues(input),
    ...(parsed.error?.issues.map((i) => `${i.path.join(".") || "row"}: ${i.message}`) ?? []),
  ];
  if (!parsed.success || issues.length > 0) return { reason: issues.join("; ") };
  const r = parsed.data;
  const id = r.id ?? r.bin ?? "";
  // By id or ATU code; else by name, when the name is one settlement's only (the registry's codes may differ).
  let s = places.settlements.find((x) => x.id === r.settlement || x.atu_code === r.settlement);
  if (!s) {
    const key = settlementKey(r.settlement);
    const byName = places.settlements.filter(
      (x) => settlementKey(x.name_ru) === key || settlementKey(x.name_kk) === key,
    );
    if (byName.length > 1) {
      return {
        reason: `settlement: "${r.settlement}" is the name of ${byName.length} settlements (${byName.map((x) => x.id).join(", ")}); give its ATU code or id`,
      };
    }
    s = byName[0];
  }
  if (!s) return { reason: `settlement: unknown settlement "${r.settlement}" (give its ATU code, id or name)` };
  let district: Places["districts"][number] | undefined;
  if (r.district !== null) {
    const key = placeKey(r.district);
    const settlementId = s.id;
    district = places.districts.find(
      (x) =>
        x.settlement_id === settlementId &&
        (x.id === r.district || placeKey(x.name_ru) === key || placeKey(x.name_kk) === key),
    );
    if (!district) return { reason: `district: "${r.district}" is not a district of ${s.name_ru}` };
  }
  if (s.lat !== null && s.lon !== null) {
    const km = distanceMeters(r, { lat: s.lat, lon: s.lon }) / 1000;
    if (km > MAX_KM_FROM_SETTLEMENT) {
      return { reason: `lat/lon: ${r.lat}, ${r.lon} is ${Math.round(km)} km from ${s.name_ru}; check the coordinates` };
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
  const clinic: ClinicInput = {
    id,
    bin: r.bin,
    name: { ru: nameRu, kk: r.name_kk ?? nameRu },
    address: { ru: addressRu, kk: r.address_kk ?? addressRu },
    settlementId: s.id,
    districtId: district?.id ?? null,
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
  };
  return { line: rec.line, input: clinic, districtNames: district ? [district.name_ru, district.name_kk] : [] };
}

async function* chunksOf(source: ImportSource): AsyncGenerator<Uint8Array | string> {
  if (typeof source === "string" || source instanceof Uint8Array) yield source;
  else yield* source;
}

/** The file's header and its records, one by one; a CSV is parsed as it streams in. */
async function readRecords(
  text: AsyncIterable<string>,
  format: "csv" | "json",
): Promise<{ header: string[]; records: AsyncIterable<RawRecord> | Iterable<RawRecord> }> {
  if (format === "json") {
    let all = "";
    for await (const chunk of text) all += chunk;
    const { header, records } = parseJsonRecords(all);
    return { header, records };
  }
  const rows = csvRows(text);
  const first = await rows.next();
  if (first.done) throw new ImportFileError("the file is empty");
  const header = headerOf(first.value);
  async function* records(): AsyncGenerator<RawRecord> {
    for await (const row of rows) yield recordOf(header, row);
  }
  return { header, records: records() };
}

const yieldToEventLoop = () => new Promise<void>((r) => setImmediate(r));

/**
 * Streams the file, checks each row (zod) as it comes and stages the good ones in short transactions, yielding to
 * the event loop between steps; then applies them in one short final transaction (directory-import-stage.ts). All or
 * nothing for a reader: a refused file (bad rows without skipInvalid), a dry run or a failure changes no clinic.
 */
export async function importClinics(db: Db, source: ImportSource, opts: ImportOptions): Promise<ImportReport> {
  const decoded: DecodedAs = {};
  const { header, records } = await readRecords(decodeFile(chunksOf(source), decoded), opts.format);
  const missing = REQUIRED_COLUMNS.filter((c) => !header.includes(c));
  if (missing.length) throw new ImportFileError(`missing column(s): ${missing.join(", ")}`);
  const known = new Set<string>(COLUMNS);
  const unknown = header.filter((h) => !known.has(h) && !CONTRACT_COLUMN.test(h));
  const now = (opts.now ?? new Date()).toISOString();
  const report: ImportReport = {
    rows: 0,
    added: 0,
    updated: 0,
    unchanged: 0,
    deactivated: 0,
    rejected: [],
    applied: false,
    warnings: unknown.length ? [`ignored column(s): ${unknown.join(", ")}`] : [],
    encoding: "utf-8",
  };
  const places: Places = {
    settlements: await db
      .selectFrom("settlements")
      .select(["id", "atu_code", "lat", "lon", "name_ru", "name_kk"])
      .execute(),
    districts: await db.selectFrom("districts").select(["id", "settlement_id", "name_ru", "name_kk"]).execute(),
  };
  const batchSize = opts.batchSize ?? BATCH;
  const importId = newImportId();
  let staging = opts.dryRun !== true;
  let staged = 0;
  const seen = new Map<string, number>();
  const named = new Set<string>(); // every id the file mentions, even on a bad row: those are not "missing"
  const namedOnlyRejected = new Map<string, number>();
  let batch: GoodRow[] = [];

  const flush = async () => {
    const rows = await classify(db, batch);
    batch = [];
    for (const r of rows) report[r.change]++;
    if (staging && rows.length) {
      await stageBatch(db, importId, rows, now);
      staged += rows.length;
    }
    await opts.onBatch?.(report.rows);
    await yieldToEventLoop();
  };

  try {
    if (staging) await clearStaged(db, importId, "others"); // an import that died midway left its rows
    for await (const rec of records) {
      report.rows++;
      const rawId = rec.values.id || rec.values.bin || undefined;
      if (rawId) named.add(rawId);
      const checked = checkRecord(rec, header, places);
      const id = "input" in checked ? checked.input.id : undefined;
      const first = id === undefined ? undefined : seen.get(id);
      const reason =
        "reason" in checked
          ? checked.reason
          : first !== undefined
            ? `duplicate id ${id} (first on line ${first})`
            : null;
      if (reason !== null) {
        report.rejected.push({ line: rec.line, ...(rawId ? { id: rawId } : {}), reason });
        if (rawId && !namedOnlyRejected.has(rawId)) namedOnlyRejected.set(rawId, rec.line);
        // Without skipInvalid nothing will be written: stop staging, keep checking to list every bad row.
        if (!opts.skipInvalid) staging = false;
        continue;
      }
      if ("input" in checked) {
        seen.set(checked.input.id, rec.line);
        batch.push(checked);
      }
      if (batch.length >= batchSize) await flush();
    }
    if (batch.length) await flush();
    report.encoding = decoded.encoding ?? "utf-8";
    if (report.rows === 0) throw new ImportFileError("the file has no clinics");

    if (staging) {
      await stageNamed(db, importId, namedOnlyRejected);
      report.deactivated = await applyStaged(db, importId, staged, { partial: opts.partial === true, now });
      report.applied = true;
    } else if (!opts.partial) {
      const active = await db.selectFrom("clinics").select("id").where("active", "=", 1).execute();
      report.deactivated = active.filter((c) => !named.has(c.id)).length;
    }
  } finally {
    if (opts.dryRun !== true) await clearStaged(db, importId, "own");
  }
  return report;
}
