import { sql } from "kysely";
import type { Db } from "../db.js";
import { isPostgres } from "../dialect.js";
import type { RequestStatus } from "../schema/requests.js";
import type { IinKey } from "../vault.js";
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

// Literal, not bound: SQLite uses a partial index (migration 0006) only for a condition it can see.
const OPEN = sql<boolean>`requests.status in ('pending', 'needs_documents')`;

type QueueRow = Pick<RequestRow, "id" | "number" | "status" | "clinic_id" | "submitted_at" | "decision_due">;

/** A request as a queue line; overdue only while still open (a decided request is not late any more). */
export function queueItem(r: QueueRow, today: string): QueueItem {
  return {
    id: r.id,
    number: r.number,
    status: r.status,
    clinicId: r.clinic_id,
    submittedAt: r.submitted_at,
    decisionDue: r.decision_due,
    overdue: OPEN_STATUSES.includes(r.status) && r.decision_due < today,
  };
}

/**
 * The open requests of a scope, through an index named for it: open requests are the newest, and SQLite, unaware,
 * would rather walk a clinic's (or everyone's) whole history – to a LIMIT, or to count the overdue. `count`: the
 * overdue are counted on the due-day index (everyone) or the scope's partial index, which holds the due day.
 */
function openFrom(db: Db, scope: Scope, purpose: "page" | "count") {
  // PostgreSQL's planner knows the partial indexes' sizes: it needs no hint (and has no INDEXED BY).
  const by = (index: string) => (isPostgres(db) ? sql`requests` : sql`requests indexed by ${sql.raw(index)}`);
  if (scope.clinicIds) {
    return scope.clinicIds.length
      ? sql`${by("requests_open_by_clinic")} where clinic_id in (${sql.join(scope.clinicIds)})`
      : sql`requests where 1 = 0`;
  }
  if (scope.settlementId) return sql`${by("requests_open_by_settlement")} where settlement_id = ${scope.settlementId}`;
  return purpose === "count"
    ? sql`${by("requests_queue")} where 1 = 1`
    : sql`${by("requests_open_by_time")} where 1 = 1`;
}

async function openPage(
  db: Db,
  scope: Scope,
  due: ReturnType<typeof sql>,
  limit: number,
  offset: number,
): Promise<QueueRow[]> {
  const rows =
    await sql<QueueRow>`select id, number, status, clinic_id, submitted_at, decision_due from ${openFrom(db, scope, "page")}
    and ${OPEN} and ${due} order by submitted_at, id limit ${limit} offset ${offset}`.execute(db);
  return rows.rows;
}

/** Open requests, overdue first (due before `today`), then oldest first. */
export async function queuePage(
  db: Db,
  scope: Scope,
  today: string,
  page: number,
  pageSize: number,
): Promise<QueuePage> {
  const scopes = tallyScopes(scope);
  // The backlog from the monthly tallies; the overdue part of it from the index over due dates.
  const total = scopes.length
    ? await db
        .selectFrom("request_tally")
        .select((eb) => eb.fn.sum<number>("n").as("n"))
        .where("scope", "in", scopes)
        .where("grain", "=", "m")
        .where("facet", "=", "status")
        .where("key", "in", OPEN_STATUSES)
        .executeTakeFirst()
    : undefined;
  const counted = await sql<{
    n: number;
  }>`select count(*) as n from ${openFrom(db, scope, "count")} and ${OPEN} and decision_due < ${today}`.execute(db);
  const overdue = Number(counted.rows[0]?.n ?? 0);
  const offset = page * pageSize;
  const late = offset < overdue ? await openPage(db, scope, sql`decision_due < ${today}`, pageSize, offset) : [];
  const rest =
    late.length < pageSize
      ? await openPage(db, scope, sql`decision_due >= ${today}`, pageSize - late.length, Math.max(0, offset - overdue))
      : [];
  return {
    total: Number(total?.n ?? 0),
    overdue,
    items: [...late, ...rest].map((r) => queueItem(r, today)),
  };
}

/** By an IIN's keyed HMAC (never the IIN), a request number or an applicant's Telegram id. */
export type FindQuery = { by: "iin"; key: IinKey } | { by: "number"; number: string } | { by: "user"; userId: number };

/** Requests matching an IIN, a request number or an applicant's Telegram id, newest first. */
export function findRequests(db: Db, scope: Scope, q: FindQuery, limit = 10): Promise<RequestRow[]> {
  let query = requestsInScope(db, scope).selectAll("requests");
  if (q.by === "iin") query = query.where("requests.iin_index", "=", q.key);
  else if (q.by === "number") query = query.where("requests.number", "=", q.number.toUpperCase());
  else query = query.where("requests.user_id", "=", q.userId);
  return query.orderBy("requests.submitted_at", "desc").orderBy("requests.id", "desc").limit(limit).execute();
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

/** A range of days as its whole months plus the days before the first and after the last of them. */
export function splitRange(range: DayRange): { months: string[]; days: DayRange[] } {
  const months: string[] = [];
  const days: DayRange[] = [];
  let [y, m] = range.from.split("-").map(Number) as [number, number];
  const last = range.to.slice(0, 7);
  for (;;) {
    const month = `${y}-${String(m).padStart(2, "0")}`;
    const first = `${month}-01`;
    const end = `${month}-${String(new Date(Date.UTC(y, m, 0)).getUTCDate()).padStart(2, "0")}`;
    if (range.from <= first && end <= range.to) months.push(month);
    else days.push({ from: range.from > first ? range.from : first, to: range.to < end ? range.to : end });
    if (month >= last) break;
    [y, m] = m === 12 ? [y + 1, 1] : [y, m + 1];
  }
  return { months, days };
}

/** The tally scopes (migration 0006) that add up to a staff scope: each request counts once in each kind. */
function tallyScopes(scope: Scope): string[] {
  if (scope.clinicIds) return scope.clinicIds.map((id) => `c:${id}`);
  if (scope.settlementId) return [`s:${scope.settlementId}`];
  return ["*"];
}

/** The median of a histogram of decision times (tenths of an hour), as median() would give on the values. */
export function histogramMedian(buckets: { tenths: number; n: number }[]): number | null {
  const sorted = [...buckets].filter((b) => b.n > 0).sort((a, b) => a.tenths - b.tenths);
  const total = sorted.reduce((a, b) => a + b.n, 0);
  if (total === 0) return null;
  const at = (index: number): number => {
    let seen = 0;
    for (const b of sorted) {
      seen += b.n;
      if (index < seen) return b.tenths / 10;
    }
    return (sorted.at(-1)?.tenths ?? 0) / 10;
  };
  return total % 2 ? at((total - 1) / 2) : (at(total / 2 - 1) + at(total / 2)) / 2;
}

/** The ten biggest keys of a facet, with their names in both languages. */
async function topNamed(db: Db, table: "clinics" | "settlements", counts: Map<string, number>): Promise<Count[]> {
  const top = [...counts].sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1)).slice(0, 10);
  if (top.length === 0) return [];
  const names = await db
    .selectFrom(table)
    .select(["id", "name_ru", "name_kk"])
    .where(
      "id",
      "in",
      top.map(([k]) => k),
    )
    .execute();
  const byId = new Map(names.map((r) => [r.id, { ru: r.name_ru, kk: r.name_kk }]));
  return top.map(([key, n]) => ({ key, name: byId.get(key) ?? null, n }));
}

/**
 * Requests submitted on the range's days, within scope. Counts and decision times come from the tallies the
 * database keeps (a campaign's worth of requests is never scanned); only the open backlog is read from requests.
 */
export async function requestStats(db: Db, scope: Scope, range: DayRange, today: string): Promise<Stats> {
  const scopes = tallyScopes(scope);
  const facets = {
    status: new Map<string, number>(),
    ground: new Map<string, number>(),
    settlement: new Map<string, number>(),
    clinic: new Map<string, number>(),
  };
  const buckets: { tenths: number; n: number }[] = [];
  let decidedLate = 0;
  if (scopes.length) {
    // One index range per part, added up after: an OR across the parts would read every period of the scope. (The
    // derived table is named: PostgreSQL before 16 requires it.)
    const { months, days } = splitRange(range);
    const inScopes = sql.join(scopes);
    const parts = (columns: ReturnType<typeof sql.raw>, table: ReturnType<typeof sql.table>) =>
      sql.join(
        [
          ...(months.length
            ? [
                sql`select ${columns} from ${table} where scope in (${inScopes}) and grain = 'm' and period in (${sql.join(months)})`,
              ]
            : []),
          ...days.map(
            (d) =>
              sql`select ${columns} from ${table} where scope in (${inScopes}) and grain = 'd' and period between ${d.from} and ${d.to}`,
          ),
        ],
        sql` union all `,
      );
    const tally = await sql<{ facet: keyof typeof facets; key: string; n: number }>`
      select facet, key, sum(n) as n from (${parts(sql.raw("facet, key, n"), sql.table("request_tally"))}) as p group by facet, key`.execute(
      db,
    );
    for (const r of tally.rows) if (Number(r.n) > 0) facets[r.facet].set(r.key, Number(r.n));
    const decisions = await sql<{ tenths: number; late: number; n: number }>`
      select tenths, late, sum(n) as n from (${parts(sql.raw("tenths, late, n"), sql.table("request_decision_tally"))}) as p group by tenths, late`.execute(
      db,
    );
    for (const d of decisions.rows) {
      buckets.push({ tenths: d.tenths, n: Number(d.n) });
      if (d.late) decidedLate += Number(d.n);
    }
  }
  const { start, end } = instantBounds(range);
  const counted = await sql<{
    n: number;
  }>`select count(*) as n from ${openFrom(db, scope, "count")} and ${OPEN} and decision_due < ${today}
    and submitted_at >= ${start} and submitted_at < ${end}`.execute(db);
  const byStatus: Partial<Record<RequestStatus, number>> = {};
  for (const [k, n] of facets.status) byStatus[k as RequestStatus] = n;
  const byGround = [...facets.ground]
    .sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1))
    .map(([key, n]) => ({ key, name: null, n }));
  return {
    total: [...facets.status.values()].reduce((a, n) => a + n, 0),
    byStatus,
    bySettlement: await topNamed(db, "settlements", facets.settlement),
    byClinic: await topNamed(db, "clinics", facets.clinic),
    byGround,
    medianDecisionHours: histogramMedian(buckets),
    overdueOpen: Number(counted.rows[0]?.n ?? 0),
    decidedLate,
  };
}
