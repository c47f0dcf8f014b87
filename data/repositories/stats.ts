import { sql } from "kysely";
import type { Db } from "../db.js";
import type { RequestStatus } from "../schema/requests.js";
import { OPEN_STATUSES, type RequestRow } from "./requests.js";

// Read-side queries of the staff feature: the queue, search and statistics, always within a member's scope.

/** A support member's reach: some clinics, one settlement, or (both null) everything. */
export interface Scope {
  clinicIds: string[] | null;
  settlementId: string | null;
}

/** An inclusive range of Almaty calendar days ("YYYY-MM-DD"). */
export interface DayRange {
  from: string;
  to: string;
}

const ALMATY_OFFSET = "+05:00"; // R17

/** The stored instants (ISO, UTC) that fall on the range's Almaty days: [start, end). */
export function instantBounds(range: DayRange): { start: string; end: string } {
  const start = new Date(`${range.from}T00:00:00${ALMATY_OFFSET}`);
  const end = new Date(new Date(`${range.to}T00:00:00${ALMATY_OFFSET}`).getTime() + 24 * 3600_000);
  return { start: start.toISOString(), end: end.toISOString() };
}

/** The requests a member may see. */
export function requestsInScope(db: Db, scope: Scope) {
  let q = db.selectFrom("requests");
  if (scope.clinicIds) {
    // An empty clinic list reaches nothing rather than everything.
    q = scope.clinicIds.length ? q.where("requests.clinic_id", "in", scope.clinicIds) : q.where(sql<boolean>`1 = 0`);
  }
  if (scope.settlementId) q = q.where("requests.settlement_id", "=", scope.settlementId);
  return q;
}

export function inScope(scope: Scope, r: Pick<RequestRow, "clinic_id" | "settlement_id">): boolean {
  if (scope.clinicIds && !scope.clinicIds.includes(r.clinic_id)) return false;
  if (scope.settlementId && scope.settlementId !== r.settlement_id) return false;
  return true;
}

export interface QueueItem {
  id: number;
  number: string;
  status: RequestStatus;
  clinicId: string;
  submittedAt: string;
  decisionDue: string;
  overdue: boolean;
}

export interface QueuePage {
  items: QueueItem[];
  total: number;
  overdue: number;
}

/** Open requests, overdue first (due before `today`), then oldest first. */
export async function queuePage(db: Db, scope: Scope, today: string, page: number, pageSize: number): Promise<QueuePage> {
  const open = requestsInScope(db, scope).where("requests.status", "in", OPEN_STATUSES);
  const counts = await open
    .select((eb) => [
      eb.fn.countAll<number>().as("total"),
      eb.fn.sum<number>(eb.case().when("requests.decision_due", "<", today).then(1).else(0).end()).as("overdue"),
    ])
    .executeTakeFirstOrThrow();
  const rows = await open
    .select(["requests.id", "requests.number", "requests.status", "requests.clinic_id", "requests.submitted_at", "requests.decision_due"])
    .orderBy((eb) => eb.case().when("requests.decision_due", "<", today).then(0).else(1).end())
    .orderBy("requests.submitted_at")
    .orderBy("requests.id")
    .limit(pageSize)
    .offset(page * pageSize)
    .execute();
  return {
    total: Number(counts.total),
    overdue: Number(counts.overdue ?? 0),
    items: rows.map((r) => ({
      id: r.id,
      number: r.number,
      status: r.status,
      clinicId: r.clinic_id,
      submittedAt: r.submitted_at,
      decisionDue: r.decision_due,
      overdue: r.decision_due < today,
    })),
  };
}

export type FindQuery = { by: "iin"; iin: string } | { by: "number"; number: string } | { by: "user"; userId: number };

/** Requests matching an IIN, a request number or an applicant's Telegram id, newest first. */
export function findRequests(db: Db, scope: Scope, q: FindQuery, limit = 10): Promise<RequestRow[]> {
  let query = requestsInScope(db, scope).selectAll("requests");
  if (q.by === "iin") query = query.where("requests.person_iin", "=", q.iin);
  else if (q.by === "number") query = query.where("requests.number", "=", q.number.toUpperCase());
  else query = query.where("requests.user_id", "=", q.userId);
  return query.orderBy("requests.submitted_at", "desc").orderBy("requests.id", "desc").limit(limit).execute();
}

/**
 * The applicant's request that takes documents now: one in needs_documents, or one that went back to the queue
 * within `graceSince` (several photos sent together belong to the same request).
 */
export async function requestAwaitingDocuments(db: Db, userId: number, graceSince: string): Promise<RequestRow | undefined> {
  const waiting = await db
    .selectFrom("requests")
    .selectAll()
    .where("user_id", "=", userId)
    .where("status", "=", "needs_documents")
    .orderBy("id", "desc")
    .executeTakeFirst();
  if (waiting) return waiting;
  return db
    .selectFrom("requests")
    .selectAll("requests")
    .where("requests.user_id", "=", userId)
    .where("requests.status", "=", "pending")
    .where((eb) =>
      eb.exists(
        eb
          .selectFrom("audit_log")
          .select("audit_log.id")
          .whereRef("audit_log.request_id", "=", "requests.id")
          .where("audit_log.action", "=", "documents_received")
          .where("audit_log.at", ">=", graceSince),
      ),
    )
    .orderBy("requests.id", "desc")
    .executeTakeFirst();
}

export interface Count {
  key: string;
  name: { ru: string; kk: string } | null;
  n: number;
}

export interface Stats {
  total: number;
  byStatus: Partial<Record<RequestStatus, number>>;
  bySettlement: Count[];
  byClinic: Count[];
  byGround: Count[];
  /** Hours from submission to approval or refusal; null with no decisions. */
  medianDecisionHours: number | null;
  /** Open now and past their due day. */
  overdueOpen: number;
  /** Decided after their due day. */
  decidedLate: number;
}

export function median(values: number[]): number | null {
  if (values.length === 0) return null;
  const s = [...values].sort((a, b) => a - b);
  const mid = Math.floor(s.length / 2);
  return s.length % 2 ? (s[mid] as number) : ((s[mid - 1] as number) + (s[mid] as number)) / 2;
}

/** Requests submitted on the range's days, within scope. */
export async function requestStats(db: Db, scope: Scope, range: DayRange, today: string): Promise<Stats> {
  const { start, end } = instantBounds(range);
  const base = requestsInScope(db, scope).where("requests.submitted_at", ">=", start).where("requests.submitted_at", "<", end);
  const statuses = await base.select(["requests.status", (eb) => eb.fn.countAll<number>().as("n")]).groupBy("requests.status").execute();
  const bySettlement = await base
    .leftJoin("settlements", "settlements.id", "requests.settlement_id")
    .select(["requests.settlement_id as key", "settlements.name_ru", "settlements.name_kk", (eb) => eb.fn.countAll<number>().as("n")])
    .groupBy(["requests.settlement_id", "settlements.name_ru", "settlements.name_kk"])
    .orderBy("n", "desc")
    .orderBy("requests.settlement_id")
    .limit(10)
    .execute();
  const byClinic = await base
    .leftJoin("clinics", "clinics.id", "requests.clinic_id")
    .select(["requests.clinic_id as key", "clinics.name_ru", "clinics.name_kk", (eb) => eb.fn.countAll<number>().as("n")])
    .groupBy(["requests.clinic_id", "clinics.name_ru", "clinics.name_kk"])
    .orderBy("n", "desc")
    .orderBy("requests.clinic_id")
    .limit(10)
    .execute();
  const byGround = await base
    .select(["requests.ground as key", (eb) => eb.fn.countAll<number>().as("n")])
    .groupBy("requests.ground")
    .orderBy("n", "desc")
    .orderBy("requests.ground")
    .execute();
  const decided = await base
    .select(["requests.submitted_at", "requests.decided_at", "requests.decision_due"])
    .where("requests.status", "in", ["approved", "rejected"])
    .where("requests.decided_at", "is not", null)
    .execute();
  const overdue = await base
    .select((eb) => eb.fn.countAll<number>().as("n"))
    .where("requests.status", "in", OPEN_STATUSES)
    .where("requests.decision_due", "<", today)
    .executeTakeFirstOrThrow();
  const hours = decided.map((d) => (new Date(d.decided_at ?? d.submitted_at).getTime() - new Date(d.submitted_at).getTime()) / 3600_000);
  const almatyDay = (iso: string) => new Date(new Date(iso).getTime() + 5 * 3600_000).toISOString().slice(0, 10);
  const named = (r: { key: string; name_ru: string | null; name_kk: string | null; n: number }): Count => ({
    key: r.key,
    name: r.name_ru !== null && r.name_kk !== null ? { ru: r.name_ru, kk: r.name_kk } : null,
    n: Number(r.n),
  });
  const byStatus: Partial<Record<RequestStatus, number>> = {};
  for (const s of statuses) byStatus[s.status] = Number(s.n);
  return {
    total: statuses.reduce((a, s) => a + Number(s.n), 0),
    byStatus,
    bySettlement: bySettlement.map(named),
    byClinic: byClinic.map(named),
    byGround: byGround.map((g) => ({ key: g.key, name: null, n: Number(g.n) })),
    medianDecisionHours: median(hours),
    overdueOpen: Number(overdue.n),
    decidedLate: decided.filter((d) => d.decided_at !== null && almatyDay(d.decided_at) > d.decision_due).length,
  };
}
