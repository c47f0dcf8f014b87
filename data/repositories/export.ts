import { stringify } from "csv-stringify/sync";
import type { Db } from "../db.js";
import type { RequestStatus } from "../schema/requests.js";
import { instantBounds, requestsInScope, type DayRange, type Scope } from "./stats.js";

/** One request as exported for staff: the IIN sealed (the export masks it, or opens it for an admin, audited). */
export interface ExportRow {
  number: string;
  status: RequestStatus;
  submitted_at: string;
  decision_due: string;
  decided_at: string | null;
  decided_by: number | null;
  effective_from: string | null;
  iin_sealed: string;
  person_birth_date: string;
  for_child: number;
  applicant_category: string;
  /** R2: the insured categories' contract, null for everyone else. */
  insurance_kind: string | null;
  insurance_valid_until: string | null;
  region_id: string;
  settlement_id: string;
  settlement_ru: string | null;
  settlement_kk: string | null;
  region_ru: string | null;
  region_kk: string | null;
  clinic_id: string;
  clinic_ru: string | null;
  clinic_kk: string | null;
  ground: string;
  residence_kind: string;
  reject_reason: string | null;
  reject_note: string | null;
  user_id: number;
  locale: string;
  documents: number;
}

/** Requests submitted on the range's Almaty days, within scope, oldest first. */
export function exportRows(db: Db, scope: Scope, range: DayRange): Promise<ExportRow[]> {
  const { start, end } = instantBounds(range);
  return requestsInScope(db, scope)
    .leftJoin("clinics", "clinics.id", "requests.clinic_id")
    .leftJoin("settlements", "settlements.id", "requests.settlement_id")
    .leftJoin("regions", "regions.id", "requests.region_id")
    .select((eb) => [
      "requests.number",
      "requests.status",
      "requests.submitted_at",
      "requests.decision_due",
      "requests.decided_at",
      "requests.decided_by",
      "requests.effective_from",
      "requests.iin_sealed",
      "requests.person_birth_date",
      "requests.for_child",
      "requests.applicant_category",
      "requests.insurance_kind",
      "requests.insurance_valid_until",
      "requests.region_id",
      "requests.settlement_id",
      "settlements.name_ru as settlement_ru",
      "settlements.name_kk as settlement_kk",
      "regions.name_ru as region_ru",
      "regions.name_kk as region_kk",
      "requests.clinic_id",
      "clinics.name_ru as clinic_ru",
      "clinics.name_kk as clinic_kk",
      "requests.ground",
      "requests.residence_kind",
      "requests.reject_reason",
      "requests.reject_note",
      "requests.user_id",
      "requests.locale",
      eb
        .selectFrom("request_documents")
        .select((e) => e.fn.countAll<number>().as("n"))
        .whereRef("request_documents.request_id", "=", "requests.id")
        .as("documents"),
    ])
    .where("requests.submitted_at", ">=", start)
    .where("requests.submitted_at", "<", end)
    .orderBy("requests.submitted_at")
    .orderBy("requests.id")
    .execute()
    .then((rows) => rows.map((r) => ({ ...r, documents: Number(r.documents ?? 0) })));
}

/**
 * A cell a spreadsheet must keep as text: digits with leading zeros (an IIN such as 061211600012). Written as ="…",
 * a formula whose value is that text, which Excel and LibreOffice Calc (formulas evaluated on CSV import, its
 * default) both show as the digits: a bare number loses its zeros (12 digits even become 6,1E+10), a leading
 * apostrophe stays visible in the cell, and quoting alone ("0612…") is still read as a number. Digits only, so no
 * formula of anyone else's gets through.
 */
export interface TextCell {
  digits: string;
}
export type CsvCell = string | number | null | undefined | TextCell;

export function textCell(digits: string): TextCell | string {
  return /^\d+$/.test(digits) ? { digits } : digits;
}

/**
 * ";" separates fields: Excel with Russian or Kazakh regional settings expects it (their list separator, since the
 * comma is the decimal mark) and splits a comma-separated file into nothing. LibreOffice asks, with ";" offered.
 */
export const CSV_DELIMITER = ";";

/** A cell as the text the file holds for it, before quoting: a text cell as its formula, a formula defused. */
export function csvText(value: CsvCell): string {
  if (typeof value === "object" && value !== null) return `="${value.digits}"`;
  const s = value === null || value === undefined ? "" : String(value);
  // A leading = + - @ would make Excel run the cell as a formula (CSV injection): prefix a quote mark.
  return /^[=+\-@\t\r]/.test(s) && !/^-?\d+(\.\d+)?$/.test(s) ? `'${s}` : s;
}

/**
 * A UTF-8 CSV with a byte-order mark (so Excel reads Cyrillic and Kazakh letters) and CRLF line ends, written by
 * csv-stringify: RFC 4180 with ";", a field with a ";", comma, quote or line break quoted and its quotes doubled.
 */
export function toCsv(header: readonly string[], rows: readonly (readonly CsvCell[])[]): Buffer {
  const text = stringify(
    [header, ...rows].map((r) => r.map(csvText)),
    {
      delimiter: CSV_DELIMITER,
      record_delimiter: "\r\n",
      bom: true,
      // csv-stringify quotes the separator and quotes itself; a comma and a line break are quoted too.
      quoted_match: /[,\r\n]/,
    },
  );
  return Buffer.from(text, "utf8");
}
