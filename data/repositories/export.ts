import type { Db } from "../db.js";
import { instantBounds, requestsInScope, type DayRange, type Scope } from "./stats.js";

/** One request as exported for staff: the IIN in full (exports are audited). */
export interface ExportRow {
  number: string;
  status: string;
  submitted_at: string;
  decision_due: string;
  decided_at: string | null;
  decided_by: number | null;
  effective_from: string | null;
  person_iin: string;
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
    .select((eb) => [
      "requests.number",
      "requests.status",
      "requests.submitted_at",
      "requests.decision_due",
      "requests.decided_at",
      "requests.decided_by",
      "requests.effective_from",
      "requests.person_iin",
      "requests.person_birth_date",
      "requests.for_child",
      "requests.applicant_category",
      "requests.insurance_kind",
      "requests.insurance_valid_until",
      "requests.region_id",
      "requests.settlement_id",
      "settlements.name_ru as settlement_ru",
      "settlements.name_kk as settlement_kk",
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

/** RFC 4180: a field with a comma, quote, CR or LF is quoted and its quotes doubled. */
export function csvField(value: string | number | null | undefined): string {
  const s = value === null || value === undefined ? "" : String(value);
  // A leading = + - @ would make Excel run the cell as a formula (CSV injection): prefix a quote mark.
  const safe = /^[=+\-@\t\r]/.test(s) && !/^-?\d+(\.\d+)?$/.test(s) ? `'${s}` : s;
  return /[",\r\n]/.test(safe) ? `"${safe.replace(/"/g, '""')}"` : safe;
}

/** A UTF-8 CSV with a byte-order mark (so Excel reads Cyrillic and Kazakh letters) and CRLF line ends. */
export function toCsv(header: readonly string[], rows: readonly (readonly (string | number | null | undefined)[])[]): Buffer {
  const lines = [header, ...rows].map((r) => r.map(csvField).join(","));
  return Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(`${lines.join("\r\n")}\r\n`, "utf8")]);
}
