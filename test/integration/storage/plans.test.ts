import SQLite from "better-sqlite3";
import { Kysely, SqliteDialect, type SqliteDatabase } from "kysely";
import { describe, expect, it } from "vitest";
import { migrateToLatest } from "../../../data/migrate.js";
import type { Database } from "../../../data/schema.js";
import { exportRows } from "../../../data/repositories/export.js";
import { findRequests, queuePage, requestStats, type Scope } from "../../../data/repositories/stats.js";
import type { IinKey } from "../../../data/vault.js";

// The staff read side must stay an index lookup as requests pile up (bench/ measures it at a million): every query it
// runs on requests and the tallies goes through an index, none reads a whole table.

const STATUSES = ["pending", "needs_documents", "approved", "rejected", "withdrawn"];

/** A database whose statements are recorded with their parameters, to ask SQLite how it runs them. */
function recording(sqlite: SQLite.Database, log: { sql: string; params: readonly unknown[] }[]): SqliteDatabase {
  return {
    close: () => sqlite.close(),
    prepare(sql) {
      const stmt = sqlite.prepare(sql);
      const keep = (params: readonly unknown[]) => log.push({ sql, params });
      return {
        reader: stmt.reader,
        all: (params) => (keep(params), stmt.all(...params)),
        run: (params) => (keep(params), stmt.run(...params)),
        iterate: (params) => stmt.iterate(...params),
      };
    },
  };
}

describe("query plans of the staff read side", () => {
  it("queue, search, statistics and exports search indexes in every scope, never scan requests or tallies", async () => {
    const sqlite = new SQLite(":memory:");
    const log: { sql: string; params: readonly unknown[] }[] = [];
    const db = new Kysely<Database>({ dialect: new SqliteDialect({ database: recording(sqlite, log) }) });
    await migrateToLatest(db);
    const insert =
      sqlite.prepare(`insert into requests (number, user_id, iin_index, iin_sealed, person_birth_date, for_child, applicant_category,
      region_id, settlement_id, clinic_id, ground, residence_kind, status, submitted_at, decision_due, outcome_at_submission, locale,
      decided_at, source_key) values (?, ?, ?, 'sealed', '1990-01-01', 0, 'citizen', 'r', ?, ?, 'free_choice', 'registered', ?, ?, ?, '{}', 'ru', ?, ?)`);
    sqlite.transaction(() => {
      for (let i = 0; i < 3000; i++) {
        const at = Date.parse("2026-08-20T05:00:00Z") + i * 37 * 60_000;
        const status = i > 2800 ? STATUSES[i % 2] : STATUSES[2 + (i % 3)];
        const decided = status === "approved" || status === "rejected" ? new Date(at + 7_200_000).toISOString() : null;
        insert.run(
          `A-2026-${String(i + 1).padStart(6, "0")}`,
          1000 + i,
          `iin-${i}`,
          `s${i % 4}`,
          `c${i % 12}`,
          status,
          new Date(at).toISOString(),
          new Date(at + 86_400_000).toISOString().slice(0, 10),
          decided,
          `k${i}`,
        );
      }
    })();
    sqlite.exec("analyze");
    log.length = 0;
    const scopes: Scope[] = [
      { clinicIds: null, settlementId: null },
      { clinicIds: ["c3"], settlementId: null },
      { clinicIds: ["c3", "c5"], settlementId: null },
      { clinicIds: null, settlementId: "s1" },
    ];
    for (const scope of scopes) {
      await queuePage(db, scope, "2026-10-25", 0, 5);
      await queuePage(db, scope, "2026-10-25", 30, 5);
      await requestStats(db, scope, { from: "2026-09-01", to: "2026-11-01" }, "2026-10-25");
      await requestStats(db, scope, { from: "2026-10-24", to: "2026-10-24" }, "2026-10-25");
      await findRequests(db, scope, { by: "iin", key: "iin-7" as IinKey });
      await findRequests(db, scope, { by: "number", number: "A-2026-000007" });
      await exportRows(db, scope, { from: "2026-09-01", to: "2026-09-30" });
    }
    const reads = log.filter(
      (q) => /^\s*(select|with)/i.test(q.sql) && /"?(requests|request_tally|request_decision_tally)"?/.test(q.sql),
    );
    expect(reads.length).toBeGreaterThan(40);
    for (const q of reads) {
      const plan = (sqlite.prepare(`explain query plan ${q.sql}`).all(...q.params) as { detail: string }[]).map(
        (r) => r.detail,
      );
      // A table read whole; walking an index in order (the queue, stopping at its LIMIT) is allowed.
      const whole = plan.filter((d) =>
        /^SCAN (requests|request_tally|request_decision_tally)\b(?! USING (COVERING )?INDEX)/.test(d),
      );
      expect(whole, `${q.sql}\n${plan.join("\n")}`).toEqual([]);
    }
    await db.destroy();
  });
});
