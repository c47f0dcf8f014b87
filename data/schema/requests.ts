import type { Generated } from "kysely";

export type RequestStatus = "pending" | "needs_documents" | "approved" | "rejected" | "withdrawn";
/** R2: voluntary (ДМС) or imputed / compulsory (вменённое) medical insurance. */
export type InsuranceKind = "voluntary" | "compulsory";

/** One answered step at a time: the application in progress, JSON sealed with the data key, validated on load. */
export interface DraftsTable {
  user_id: number;
  data: string;
  /** Bumped on every change; a submitted draft's token+revision makes submission idempotent. */
  revision: number;
  created_at: string;
  updated_at: string;
  /** Random, set when the draft is created (migration 0009): tells one draft of a person from their next. */
  token: string | null;
}

export interface RequestsTable {
  id: Generated<number>;
  number: string; // A-2026-000123
  user_id: number; // the applicant's Telegram id
  /** The IIN sealed with the data key (data/vault.ts, migration 0011); '' once erased. Never the IIN in clear. */
  iin_sealed: string;
  /** The IIN's keyed HMAC, for lookups (one open request per person, the quota, /find); null once erased. */
  iin_index: string | null;
  /** YYYY-MM-DD; '' once erased. */
  person_birth_date: string;
  for_child: number;
  applicant_category: string;
  special_category: string | null;
  region_id: string;
  settlement_id: string;
  clinic_id: string;
  ground: string;
  residence_kind: string;
  status: RequestStatus;
  submitted_at: string;
  decision_due: string; // Almaty date
  effective_from: string | null; // Almaty date, or null when "on the decision"
  outcome_at_submission: string; // the rules' decision as JSON
  locale: string;
  decided_by: number | null;
  decided_at: string | null;
  reject_reason: string | null;
  reject_note: string | null;
  /** Idempotency: the draft revision this request was made from. */
  source_key: string;
  /** R2 (migration 0008): the insurance contract insured categories attach on; null for everyone else. */
  insurance_kind: InsuranceKind | null;
  /** R2: the contract's last day (Almaty, YYYY-MM-DD); the attachment ends with it. Set exactly with the kind. */
  insurance_valid_until: string | null;
  /** The applicant withdrew consent and asked for deletion (migration 0011): personal fields go when retention ends. */
  erasure_requested_at: string | null;
  /** The personal fields (IIN, birth date, documents, a free-text note) were removed; the number, status and dates stay. */
  erased_at: string | null;
  erased_by: "applicant" | "retention" | null;
  /** The document references were removed under retention (the files themselves were only ever on Telegram). */
  documents_erased_at: string | null;
}

export interface RequestDocumentsTable {
  id: Generated<number>;
  request_id: number;
  kind: string;
  file_id: string;
  file_unique_id: string;
  mime_type: string | null;
  file_size: number | null;
  file_name: string | null;
  added_at: string;
}

/** The person's current clinic (R3: exactly one), keyed by the IIN's HMAC (never the IIN). */
export interface AttachmentsTable {
  iin_index: string;
  /** The IIN sealed, so a key rotation can compute the new index. */
  iin_sealed: string;
  clinic_id: string;
  since: string;
  request_id: number | null;
}

export interface RequestCountersTable {
  year: number;
  last: number;
}

/**
 * Kept by triggers (migration 0006): requests of one scope ('*', 'c:<clinic>', 's:<settlement>') submitted in one
 * Almaty day (grain 'd', period YYYY-MM-DD) or month ('m', YYYY-MM).
 */
export interface RequestTallyTable {
  scope: string;
  grain: "d" | "m";
  period: string;
  facet: "status" | "ground" | "settlement" | "clinic";
  key: string;
  n: number;
}

/** Kept by triggers: decided requests per scope and day or month, by decision time in tenths of an hour, late or not. */
export interface RequestDecisionTallyTable {
  scope: string;
  grain: "d" | "m";
  period: string;
  tenths: number;
  late: number;
  n: number;
}

export interface RequestsTables {
  drafts: DraftsTable;
  requests: RequestsTable;
  request_documents: RequestDocumentsTable;
  attachments: AttachmentsTable;
  request_counters: RequestCountersTable;
  request_tally: RequestTallyTable;
  request_decision_tally: RequestDecisionTallyTable;
}
