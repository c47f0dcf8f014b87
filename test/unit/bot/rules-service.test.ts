import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Logger } from "../../../bot/logger.js";
import { createRulesService, policyKey } from "../../../bot/rules-service.js";
import { openDatabase, type OpenedDatabase } from "../../../data/db.js";
import { migrateToLatest } from "../../../data/migrate.js";
import { putSetting } from "../../../data/repositories/settings.js";
import { policyForYear } from "../../../data/datasets/load-rules-data.js";

let database: OpenedDatabase;
beforeAll(async () => {
  database = openDatabase(":memory:");
  await migrateToLatest(database.db);
});
afterAll(async () => {
  await database.close();
});

function recorder() {
  const lines: { obj: unknown; msg: string }[] = [];
  // pino's warn has many overloads; the service only ever calls warn(object, message).
  const warn = (obj: unknown, msg: string) => void lines.push({ obj, msg });
  return { lines, log: { warn } as unknown as Pick<Logger, "warn"> };
}

describe("rules service", () => {
  it("R10: warns once per year without a holiday table, with the year only", async () => {
    const { lines, log } = recorder();
    const rules = createRulesService(database.db, log);
    await rules.policyFor(new Date("2026-04-15T05:00:00Z"));
    expect(lines).toEqual([]);
    await rules.policyFor(new Date("2028-03-01T05:00:00Z"));
    await rules.policyFor(new Date("2028-06-01T05:00:00Z"));
    expect(lines).toHaveLength(1);
    expect(lines[0]?.obj).toEqual({ year: 2028 });
    expect(lines[0]?.msg).toMatch(/holiday table missing/);
  });

  it("R10: warns ahead when the decision may fall into next year's missing table", async () => {
    const { lines, log } = recorder();
    await createRulesService(database.db, log).policyFor(new Date("2027-12-20T05:00:00Z"));
    expect(lines.map((l) => l.obj)).toEqual([{ year: 2028 }]);
  });

  it("R7: an admin's policy override for the year wins over the shipped file", async () => {
    const rules = createRulesService(database.db);
    const now = new Date("2026-05-01T05:00:00Z");
    expect((await rules.policyFor(now)).campaign?.start).toBe("09-01");
    await putSetting(database.db, policyKey(2026), { ...policyForYear(2026), campaign: null }, now.toISOString(), 1);
    expect((await rules.policyFor(now)).campaign).toBeNull();
  });

  it("R7, R9: an override stored before policies had a status keeps its campaign, on today's law for the year", async () => {
    const rules = createRulesService(database.db);
    const now = new Date("2027-05-01T05:00:00Z");
    // What /settings campaign wrote then: the whole shipped policy of the time, with the admin's window.
    const legacy = {
      year: 2027,
      campaign: { start: "09-15", end: "11-15", effectiveFrom: { monthDay: "01-01", yearOffset: 1 } },
      effectiveOutsideCampaign: "on_decision",
      freeChangesPerYear: 1,
      groundsOutsideCampaign: ["residence_change", "moved_settlement", "clinic_closed", "free_choice", "work_change"],
      requireProofForTemporaryResidence: true,
      workingDayEnds: "18:00",
      decisionWorkingDays: 1,
      borderTerritories: [],
    };
    await putSetting(database.db, policyKey(2027), legacy, now.toISOString(), 1);
    const policy = await rules.policyFor(now);
    expect(policy.campaign).toEqual(legacy.campaign);
    expect(policy.freeChangesPerYear).toBe(2);
    expect(policy.groundsOutsideCampaign).not.toContain("work_change");
    expect(policy.requireProofForTemporaryResidence).toBe(false);
    expect(policy.status).toBe(policyForYear(2027).status);
  });

  it("R7: a broken override (a new-style policy that does not validate) is ignored, not half-read", async () => {
    const rules = createRulesService(database.db);
    const now = new Date("2027-05-01T05:00:00Z");
    await putSetting(
      database.db,
      policyKey(2027),
      { ...policyForYear(2027), freeChangesPerYear: -1 },
      now.toISOString(),
      1,
    );
    expect(await rules.policyFor(now)).toEqual(policyForYear(2027));
  });
});
