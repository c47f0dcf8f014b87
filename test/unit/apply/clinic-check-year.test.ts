import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Deps } from "../../../bot/context.js";
import { clinicCheck } from "../../../bot/application/eligibility.js";
import { parseDraft } from "../../../bot/application/draft.js";
import { createRulesService } from "../../../bot/rules-service.js";
import { openDatabase, type OpenedDatabase } from "../../../data/db.js";
import { migrateToLatest } from "../../../data/migrate.js";
import { clinicReasons, evaluate } from "../../../rules/index.js";

let database: OpenedDatabase;
beforeAll(async () => {
  database = openDatabase(":memory:");
  await migrateToLatest(database.db);
});
afterAll(async () => {
  await database.close();
});

const depsAt = (iso: string): Deps => {
  const now = new Date(iso);
  return { db: database.db, clock: { now: () => now }, rules: createRulesService(database.db) } as unknown as Deps;
};

// A clinic with a Fund contract for 2026 only.
const clinic = {
  id: "c1",
  atuCode: "751110000",
  licensed: true,
  contractYears: [2026],
  capacity: 100,
  attached: 0,
  active: true,
};

describe("R5, R10: the clinic list's contract year is the engine's, around 31 December", () => {
  it("filed on Thursday 31 December 2026 (after the campaign, on the decision): the decision falls in 2027, so 2027's contract is needed", async () => {
    const deps = depsAt("2026-12-31T10:00:00+05:00");
    const draft = parseDraft({ ground: "residence_change" });
    const check = await clinicCheck(deps, draft);
    const policy = await deps.rules.policyFor(deps.clock.now());
    const engine = evaluate(
      {
        now: deps.clock.now().toISOString(),
        applicant: { category: "citizen" },
        person: { forChild: false },
        ground: "residence_change",
        clinic,
      },
      policy,
      await deps.rules.calendar(),
    );
    expect(engine.decisionDueBy.startsWith("2027-")).toBe(true);
    expect(check.year).toBe(engine.effectiveYear);
    expect(check.year).toBe(2027);
    expect(clinicReasons(clinic, check)).toEqual(["clinic_no_contract"]);
    expect(engine.reasons).toContain("clinic_no_contract");
  });

  it("a week earlier the decision is due in 2026 and the clinic can be chosen", async () => {
    const deps = depsAt("2026-12-24T10:00:00+05:00");
    const check = await clinicCheck(deps, parseDraft({ ground: "residence_change" }));
    expect(check.year).toBe(2026);
    expect(clinicReasons(clinic, check)).toEqual([]);
  });
});
