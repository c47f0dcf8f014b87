import { describe, expect, it } from "vitest";
import { loadHolidayYears, loadPolicies, policyForYear } from "../../../data/datasets/load-rules-data.js";
import { parsePolicy, PolicySchema } from "../../../rules/index.js";

describe("shipped policy data (domain §2)", () => {
  it("R7, R8, R9, R10, R12: 2025, 2026 and 2027 ship the 2025 values", () => {
    const all = loadPolicies();
    expect([...all.keys()]).toEqual([2025, 2026, 2027]);
    for (const [year, p] of all) {
      expect(p.year).toBe(year);
      expect(p.campaign).toEqual({ start: "09-01", end: "11-01", effectiveFrom: { monthDay: "01-01", yearOffset: 1 } });
      expect(p.freeChangesPerYear).toBe(1);
      expect(p.requireProofForTemporaryResidence).toBe(true);
      expect(p.workingDayEnds).toBe("18:00");
      expect(p.decisionWorkingDays).toBe(1);
      expect(p.borderTerritories).toEqual([]);
      expect(p.groundsOutsideCampaign).toEqual(
        expect.arrayContaining([
          "residence_change",
          "moved_settlement",
          "clinic_closed",
          "free_choice",
          "work_change",
          "study_change",
        ]),
      );
    }
  });

  it("R7: a year without a file uses the latest earlier policy", () => {
    expect(policyForYear(2030).year).toBe(2027);
    expect(policyForYear(2020).year).toBe(2025);
  });

  it("R7: a policy is validated: a broken window, time or unknown ground is rejected", () => {
    const good = policyForYear(2026);
    expect(PolicySchema.safeParse({ ...good, campaign: { ...good.campaign, end: "02-30" } }).success).toBe(false);
    expect(
      PolicySchema.safeParse({
        ...good,
        campaign: { start: "11-01", end: "09-01", effectiveFrom: { monthDay: "01-01", yearOffset: 1 } },
      }).success,
    ).toBe(false);
    expect(PolicySchema.safeParse({ ...good, workingDayEnds: "25:00" }).success).toBe(false);
    expect(PolicySchema.safeParse({ ...good, groundsOutsideCampaign: ["vacation"] }).success).toBe(false);
    expect(PolicySchema.safeParse({ ...good, campaign: null }).success).toBe(true);
    expect(() => parsePolicy(good, 2027)).toThrow(/2026/);
  });

  it("R10: holiday tables for 2025–2027 load and validate", () => {
    expect(loadHolidayYears().map((t) => t.year)).toEqual([2025, 2026, 2027]);
  });
});
