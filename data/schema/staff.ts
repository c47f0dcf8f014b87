import type { Generated } from "kysely";

export type StaffRole = "admin" | "support" | "operator";

export interface StaffTable {
  user_id: number;
  role: StaffRole;
  /** Support limited to these clinics (JSON array of ids) or this settlement; both null = everything. */
  clinic_ids: string | null;
  settlement_id: string | null;
  added_by: number | null;
  added_at: string;
}

export interface AuditLogTable {
  id: Generated<number>;
  at: string;
  actor_id: number;
  action: string;
  request_id: number | null;
  old_status: string | null;
  new_status: string | null;
  /** JSON with ids and codes only: never an IIN, a name or a file. */
  details: string | null;
}

/** How staff members appear to colleagues, from their own Telegram updates (never logged). */
export interface StaffNamesTable {
  user_id: number;
  first_name: string;
  username: string | null;
  updated_at: string;
}

export interface StaffTables {
  staff: StaffTable;
  audit_log: AuditLogTable;
  staff_names: StaffNamesTable;
}
