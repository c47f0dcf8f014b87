import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Logger } from "../../../bot/logger.js";
import { createRulesService, holidaysKey, policyKey } from "../../../bot/rules-service.js";
import { openDatabase, type OpenedDatabase } from "../../../data/db.js";
import { migrateToLatest } from "../../../data/migrate.js";
import { deleteSetting, putSetting } from "../../../data/repositories/settings.js";
import { loadHolidayYears, policyForYear } from "../../../data/datasets/load-rules-data.js";
import { decisionDueBy, isWorkingDay } from "../../../rules/index.js";

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

  it("R7: next year's policy is read the same way (override first), for the admins' view of the next year", async () => {
    const rules = createRulesService(database.db);
    expect(await rules.policyOf(2028)).toEqual(policyForYear(2028));
    const own = { ...policyForYear(2028), freeChangesPerYear: 3 };
    await putSetting(database.db, policyKey(2028), own, "2027-05-01T05:00:00.000Z", 1);
    expect(await rules.policyOf(2028)).toEqual(own);
    await deleteSetting(database.db, policyKey(2028));
  });

  it("R10: an admin's holiday table replaces the shipped one for its year, from the next evaluation on", async () => {
    const rules = createRulesService(database.db);
    const shipped = loadHolidayYears().find((t) => t.year === 2027);
    if (!shipped) throw new Error("no shipped 2027 table");
    // Friday 12 March 2027 after 18:00: Monday 15 March is Constitution Day, so the decision is due Wednesday 17th.
    const friday = "2027-03-12T13:30:00.000Z";
    const policy = policyForYear(2027);
    expect(decisionDueBy(friday, policy, await rules.calendar())).toBe("2027-03-17");
    // The Ministry adds Tuesday 16 March as a transferred day off: the next decision moves to Thursday.
    const published = {
      ...shipped,
      status: "confirmed",
      days: [...shipped.days, { date: "2027-03-16", kind: "transferred_day_off" }],
    };
    await putSetting(database.db, holidaysKey(2027), published, friday, 1);
    const calendar = await rules.calendar();
    expect(isWorkingDay("2027-03-16", calendar)).toBe(false);
    expect(calendar.provisionalYears.has(2027)).toBe(false);
    expect(decisionDueBy(friday, policy, calendar)).toBe("2027-03-18");
    expect((await rules.holidayTable(2027))?.status).toBe("confirmed");
    // Read once per change: the same object while nothing changes.
    expect(await rules.calendar()).toBe(calendar);
    await deleteSetting(database.db, holidaysKey(2027));
    expect(decisionDueBy(friday, policy, await rules.calendar())).toBe("2027-03-17");
  });

  it("R10: a stored table that does not validate, or sits under another year's key, is ignored", async () => {
    const rules = createRulesService(database.db);
    const shipped = loadHolidayYears().find((t) => t.year === 2027);
    if (!shipped) throw new Error("no shipped 2027 table");
    await putSetting(database.db, holidaysKey(2027), { ...shipped, kurbanAit: "2027-02-30" }, "2027-01-01", 1);
    await putSetting(database.db, holidaysKey(2028), { ...shipped, days: [] }, "2027-01-01", 1);
    const calendar = await rules.calendar();
    expect(calendar.provisionalYears.has(2027)).toBe(true);
    expect(calendar.years.has(2028)).toBe(false);
    expect(await rules.holidayTable(2027)).toEqual(shipped);
    await deleteSetting(database.db, holidaysKey(2027));
    await deleteSetting(database.db, holidaysKey(2028));
  });
});
