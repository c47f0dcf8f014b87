import fc from "fast-check";
import { Migrator } from "kysely";
import { afterEach, describe, expect, it } from "vitest";
import type { Db } from "../../../data/db.js";
import { migrations } from "../../../data/migrations/index.js";
import type { RequestRow } from "../../../data/repositories/requests.js";
import {
  histogramMedian,
  median,
  queuePage,
  requestStats,
  splitRange,
  type DayRange,
  type Scope,
  type Stats,
} from "../../../data/repositories/stats.js";
import { testsOnPostgres } from "../../../scripts/stack/postgres.js";
import { openTestDatabase, type TestDatabase } from "../../fixtures/database.js";

// /stats reads tallies that triggers keep (migration 0006). These tests hold them to what a plain scan of the
// requests says, through inserts, decisions, moves and deletes, and for requests stored before the migration.

const CLINICS = [
  ["c1", "s1"],
  ["c2", "s1"],
  ["c3", "s2"],
] as const;
const STATUSES = ["pending", "needs_documents", "approved", "rejected", "withdrawn"] as const;
const GROUNDS = ["free_choice", "residence_change", "clinic_closed"] as const;
const BASE = Date.parse("2026-08-25T00:00:00+05:00");
const DAY = 86_400_000;
const almatyDay = (ms: number) => new Date(ms + 5 * 3_600_000).toISOString().slice(0, 10);

let opened: TestDatabase | undefined;
afterEach(async () => {
  await opened?.dispose();
  opened = undefined;
});

/** The latest schema on the run's database; up to an older SQLite migration (`upTo`) on SQLite, whose history it is. */
async function database(upTo?: string): Promise<TestDatabase> {
  if (!upTo) return (opened = await openTestDatabase());
  opened = await openTestDatabase({ kind: "sqlite", migrate: false });
  const migrator = new Migrator({ db: opened.db, provider: { getMigrations: () => Promise.resolve(migrations) } });
  const result = await migrator.migrateTo(upTo);
  if (result.error) throw result.error;
  return opened;
}

interface Spec {
  clinic: number;
  status: number;
  ground: number;
  /** Submission: minutes after 25 August, over ten weeks (three months, whole and partial). */
  minute: number;
  /** Decision time in tenths of an hour (the tally's precision). */
  tenths: number;
}

const spec = fc.record({
  clinic: fc.nat({ max: 2 }),
  status: fc.nat({ max: 4 }),
  ground: fc.nat({ max: 2 }),
  minute: fc.nat({ max: 70 * 24 * 60 }),
  tenths: fc.nat({ max: 3000 }),
});

function row(i: number, s: Spec): Omit<RequestRow, "id"> {
  const [clinic, settlement] = CLINICS[s.clinic] ?? CLINICS[0];
  const status = STATUSES[s.status] ?? "pending";
  const submitted = BASE + s.minute * 60_000;
  const decided =
    status === "approved" || status === "rejected" ? new Date(submitted + s.tenths * 360_000).toISOString() : null;
  return {
    number: `A-2026-${String(i).padStart(6, "0")}`,
    user_id: 1000 + i,
    iin_sealed: `sealed-${i}`,
    iin_index: `iin-${i}`,
    person_birth_date: "1990-01-01",
    for_child: 0,
    applicant_category: "citizen",
    special_category: null,
    region_id: "r",
    settlement_id: settlement,
    clinic_id: clinic,
    ground: GROUNDS[s.ground] ?? "free_choice",
    residence_kind: "registered",
    status,
    submitted_at: new Date(submitted).toISOString(),
    decision_due: almatyDay(submitted + DAY),
    effective_from: null,
    outcome_at_submission: "{}",
    locale: "ru",
    decided_by: decided ? 1 : null,
    decided_at: decided,
    reject_reason: null,
    reject_note: null,
    source_key: `k-${i}`,
    insurance_kind: null,
    insurance_valid_until: null,
    erasure_requested_at: null,
    erased_at: null,
    erased_by: null,
    documents_erased_at: null,
  };
}

/** What /stats must say, from a scan of every row (the implementation before the tallies). */
function reference(rows: RequestRow[], scope: Scope, range: DayRange, today: string): Stats {
  const inRange = rows.filter(
    (r) =>
      (!scope.clinicIds || scope.clinicIds.includes(r.clinic_id)) &&
      (!scope.settlementId || scope.settlementId === r.settlement_id) &&
      almatyDay(Date.parse(r.submitted_at)) >= range.from &&
      almatyDay(Date.parse(r.submitted_at)) <= range.to,
  );
  const count = (key: (r: RequestRow) => string) => {
    const m = new Map<string, number>();
    for (const r of inRange) m.set(key(r), (m.get(key(r)) ?? 0) + 1);
    return [...m].sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1)).map(([k, n]) => ({ key: k, name: null, n }));
  };
  const decided = inRange.filter((r) => (r.status === "approved" || r.status === "rejected") && r.decided_at);
  const hours = decided.map(
    (r) =>
      Math.min(2400, Math.max(0, Math.round((Date.parse(r.decided_at ?? "") - Date.parse(r.submitted_at)) / 360_000))) /
      10,
  );
  return {
    total: inRange.length,
    byStatus: Object.fromEntries(count((r) => r.status).map((c) => [c.key, c.n])),
    bySettlement: count((r) => r.settlement_id).slice(0, 10),
    byClinic: count((r) => r.clinic_id).slice(0, 10),
    byGround: count((r) => r.ground),
    medianDecisionHours: median(hours),
    overdueOpen: inRange.filter(
      (r) => (r.status === "pending" || r.status === "needs_documents") && r.decision_due < today,
    ).length,
    decidedLate: decided.filter((r) => almatyDay(Date.parse(r.decided_at ?? "")) > r.decision_due).length,
  };
}

const SCOPES: Scope[] = [
  { clinicIds: null, settlementId: null },
  { clinicIds: ["c1", "c3"], settlementId: null },
  { clinicIds: ["c2"], settlementId: null },
  { clinicIds: [], settlementId: null },
  { clinicIds: null, settlementId: "s1" },
];
const RANGES: DayRange[] = [
  { from: "2026-09-01", to: "2026-11-01" }, // the campaign: two whole months and a day
  { from: "2026-09-01", to: "2026-09-30" },
  { from: "2026-08-31", to: "2026-10-02" },
  { from: "2026-09-05", to: "2026-09-05" },
  { from: "2026-09-10", to: "2026-10-16" },
  { from: "2026-01-01", to: "2026-12-31" },
];

/** The queue as a scan says it: open requests in scope, overdue first, then oldest first. */
function referenceQueue(rows: RequestRow[], scope: Scope, today: string) {
  const open = rows
    .filter(
      (r) =>
        (r.status === "pending" || r.status === "needs_documents") &&
        (!scope.clinicIds || scope.clinicIds.includes(r.clinic_id)) &&
        (!scope.settlementId || scope.settlementId === r.settlement_id),
    )
    .sort(
      (a, b) =>
        Number(b.decision_due < today) - Number(a.decision_due < today) ||
        (a.submitted_at < b.submitted_at ? -1 : a.submitted_at > b.submitted_at ? 1 : a.id - b.id),
    );
  return { total: open.length, overdue: open.filter((r) => r.decision_due < today).length, ids: open.map((r) => r.id) };
}

async function expectSameAsScan(db: Db): Promise<void> {
  const rows = await db.selectFrom("requests").selectAll().execute();
  const today = "2026-09-12";
  for (const scope of SCOPES) {
    for (const range of RANGES) {
      const got = await requestStats(db, scope, range, today);
      expect(got).toEqual(reference(rows, scope, range, today));
    }
    const want = referenceQueue(rows, scope, today);
    const pages = [];
    for (let page = 0; page * 3 < want.total + 3; page++) pages.push(await queuePage(db, scope, today, page, 3));
    expect(pages.flatMap((p) => p.items.map((i) => i.id))).toEqual(want.ids);
    expect(pages[0]?.total).toBe(want.total);
    expect(pages[0]?.overdue).toBe(want.overdue);
  }
}

describe("statistics from tallies and the queue from partial indexes (R10 overdue and late decisions)", () => {
  it("split a range into whole months and the days at either end", () => {
    expect(splitRange({ from: "2026-09-01", to: "2026-11-01" })).toEqual({
      months: ["2026-09", "2026-10"],
      days: [{ from: "2026-11-01", to: "2026-11-01" }],
    });
    expect(splitRange({ from: "2026-08-31", to: "2026-10-02" })).toEqual({
      months: ["2026-09"],
      days: [
        { from: "2026-08-31", to: "2026-08-31" },
        { from: "2026-10-01", to: "2026-10-02" },
      ],
    });
    expect(splitRange({ from: "2026-09-05", to: "2026-09-05" })).toEqual({
      months: [],
      days: [{ from: "2026-09-05", to: "2026-09-05" }],
    });
    expect(splitRange({ from: "2027-12-15", to: "2028-02-29" })).toEqual({
      months: ["2028-01", "2028-02"],
      days: [{ from: "2027-12-15", to: "2027-12-31" }],
    });
  });

  it("agree with a scan of the requests through inserts, decisions, moves and deletes", async () => {
    // One database emptied for each run (a new PostgreSQL database per run would take most of the time); the ids are
    // given, so they start at 1 again.
    const { db } = await database();
    await fc.assert(
      fc.asyncProperty(
        fc.array(spec, { minLength: 1, maxLength: 40 }),
        fc.array(fc.record({ target: fc.nat(), change: spec, remove: fc.boolean() }), { maxLength: 20 }),
        async (inserts, changes) => {
          for (const table of ["requests", "request_tally", "request_decision_tally"] as const)
            await db.deleteFrom(table).execute();
          for (const [i, s] of inserts.entries())
            await db
              .insertInto("requests")
              .values({ id: i + 1, ...row(i + 1, s) })
              .execute();
          for (const c of changes) {
            const id = (c.target % inserts.length) + 1;
            if (c.remove) await db.deleteFrom("requests").where("id", "=", id).execute();
            else {
              const next = row(id, c.change);
              await db
                .updateTable("requests")
                .set({
                  status: next.status,
                  clinic_id: next.clinic_id,
                  settlement_id: next.settlement_id,
                  ground: next.ground,
                  submitted_at: next.submitted_at,
                  decision_due: next.decision_due,
                  decided_at: next.decided_at,
                })
                .where("id", "=", id)
                .execute();
            }
          }
          await expectSameAsScan(db);
        },
      ),
      { numRuns: 40 },
    );
  });

  // SQLite's history: PostgreSQL starts at the 0015 baseline, tallies and all.
  it.skipIf(testsOnPostgres())("count requests stored before the migration that introduced them", async () => {
    const db = await database("0005-broadcasts");
    const rand = fc.sample(spec, { numRuns: 300, seed: 7 });
    // The columns of later migrations (0008: the insurance term; 0011: the sealed IIN, its index and erasure) do not
    // exist yet at 0005, where the IIN column was still person_iin.
    for (const [i, s] of rand.entries()) {
      const {
        insurance_kind: _kind,
        insurance_valid_until: _until,
        iin_sealed: _sealed,
        iin_index: iin,
        erasure_requested_at: _asked,
        erased_at: _erased,
        erased_by: _by,
        documents_erased_at: _docs,
        ...older
      } = row(i + 1, s);
      await db.db
        .insertInto("requests")
        .values({ ...older, person_iin: iin } as never)
        .execute();
    }
    const migrator = new Migrator({ db: db.db, provider: { getMigrations: () => Promise.resolve(migrations) } });
    expect((await migrator.migrateToLatest()).error).toBeUndefined();
    await expectSameAsScan(db.db);
  });

  it("take the median of a histogram as of the values, odd and even counts", () => {
    expect(histogramMedian([])).toBeNull();
    expect(
      histogramMedian([
        { tenths: 40, n: 1 },
        { tenths: 480, n: 1 },
        { tenths: 100, n: 1 },
      ]),
    ).toBe(10);
    expect(
      histogramMedian([
        { tenths: 10, n: 2 },
        { tenths: 30, n: 2 },
      ]),
    ).toBe(2);
    expect(
      histogramMedian([
        { tenths: 10, n: 0 },
        { tenths: 30, n: 1 },
      ]),
    ).toBe(3);
  });
});
