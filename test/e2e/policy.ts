import Database from "better-sqlite3";
import { policyForYear } from "../../data/datasets/load-rules-data.js";
import type { Policy } from "../../rules/index.js";

/** The autumn window (R7) as held in 2025; the shipped 2026 policy carries it unconfirmed. */
export const AUTUMN_CAMPAIGN: NonNullable<Policy["campaign"]> = {
  start: "09-01",
  end: "11-01",
  effectiveFrom: { monthDay: "01-01", yearOffset: 1 },
};

/**
 * What a test needs of a year's policy, stated where it is needed: an admin's override (settings `policy:<year>`,
 * which the bot reads live) holding the shipped policy with `patch`. Call it after the stack has started (the
 * database is migrated then).
 */
export function overridePolicy(dbPath: string, year: number, patch: Partial<Policy>): void {
  const db = new Database(dbPath);
  try {
    db.pragma("busy_timeout = 5000");
    db.prepare(
      `insert into settings (key, value, updated_at, updated_by) values (?, ?, '2026-01-01T00:00:00.000Z', 1)
       on conflict (key) do update set value = excluded.value`,
    ).run(`policy:${year}`, JSON.stringify({ ...policyForYear(year), ...patch }));
  } finally {
    db.close();
  }
}
