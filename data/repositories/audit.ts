import type { Insertable, Selectable } from "kysely";
import type { Db } from "../db.js";
import { precompiled } from "../precompiled.js";
import type { AuditLogTable } from "../schema/staff.js";

export type AuditRow = Selectable<AuditLogTable>;

export interface AuditEntry {
  actorId: number;
  action: string;
  requestId?: number | null;
  oldStatus?: string | null;
  newStatus?: string | null;
  /** Ids and codes only. */
  details?: Record<string, string | number | boolean | null>;
}

// Written by every consent and submission: compiled once.
const entryAdded = precompiled(
  {
    at: "string",
    actor_id: "number",
    action: "string",
    request_id: "number",
    old_status: "string",
    new_status: "string",
    details: "string",
  },
  (db: Db, v: Omit<Insertable<AuditLogTable>, "id">) => db.insertInto("audit_log").values(v),
);

export async function audit(db: Db, e: AuditEntry, at: string): Promise<void> {
  await entryAdded(db, {
    at,
    actor_id: e.actorId,
    action: e.action,
    request_id: e.requestId,
    old_status: e.oldStatus,
    new_status: e.newStatus,
    details: e.details ? JSON.stringify(e.details) : null,
  });
}

export function auditTrail(db: Db, opts: { requestId?: number; limit?: number }): Promise<AuditRow[]> {
  let q = db.selectFrom("audit_log").selectAll();
  if (opts.requestId !== undefined) q = q.where("request_id", "=", opts.requestId);
  return q
    .orderBy("id", "desc")
    .limit(opts.limit ?? 20)
    .execute();
}

/** Entries of these actions in [from, to) (ISO instants), newest first, with how many there are in all. */
export async function auditOfActions(
  db: Db,
  actions: readonly string[],
  from: string,
  to: string,
  limit: number,
): Promise<{ rows: AuditRow[]; total: number }> {
  const base = db
    .selectFrom("audit_log")
    .where("action", "in", [...actions])
    .where("at", ">=", from)
    .where("at", "<", to);
  const [rows, counted] = await Promise.all([
    base.selectAll().orderBy("id", "desc").limit(limit).execute(),
    base.select((eb) => eb.fn.countAll<number>().as("n")).executeTakeFirst(),
  ]);
  return { rows, total: Number(counted?.n ?? 0) };
}

/** Who last asked the applicant for documents on this request (the audit's needs_documents entry), if anyone. */
export async function documentsAskedBy(db: Db, requestId: number): Promise<number | null> {
  const row = await db
    .selectFrom("audit_log")
    .select("actor_id")
    .where("request_id", "=", requestId)
    .where("new_status", "=", "needs_documents")
    .orderBy("id", "desc")
    .limit(1)
    .executeTakeFirst();
  return row?.actor_id ?? null;
}
