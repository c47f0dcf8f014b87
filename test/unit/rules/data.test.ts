import { describe, expect, it } from "vitest";
import {
  loadHolidayLaw,
  loadHolidayYears,
  loadPolicies,
  policyForYear,
} from "../../../data/datasets/load-rules-data.js";
import {
  campaignAnnouncement,
  campaignConfirmed,
  HolidayLawSchema,
  HolidayYearSchema,
  parsePolicy,
  PolicySchema,
  SPECIAL_CATEGORIES,
} from "../../../rules/index.js";

const CAMPAIGN = { start: "09-01", end: "11-01", effectiveFrom: { monthDay: "01-01", yearOffset: 1 } };
const BY_RESIDENCE = ["residence_change", "moved_settlement", "clinic_closed", "free_choice", "first_attachment"];

describe("shipped policy data, per year, confirmed or provisional", () => {
  it("R7–R12: every year's policy validates and governs its year; each says its status and dated sources", () => {
    const all = loadPolicies();
    expect([...all.keys()]).toEqual([2025, 2026, 2027]);
    for (const [year, p] of all) {
      expect(PolicySchema.safeParse(p).success).toBe(true);
      expect(p.year).toBe(year);
      expect(p.sources.length).toBeGreaterThan(0);
      expect(p.workingDayEnds).toBe("18:00");
      expect(p.decisionWorkingDays).toBe(1);
      expect(p.borderTerritories).toEqual([]);
      expect(p.effectiveOutsideCampaign).toBe("on_decision");
      // R9: a campaign application counts towards the quota only in a news article: off.
      expect(p.campaignCountsTowardQuota).toBe(false);
      // R11 (Order № 44): children under five at the actual residence; a birth certificate for a child.
      expect(p.actualResidenceUnderAge).toBe(5);
      expect(p.documents.child).toEqual(["birth_certificate"]);
      expect(p.documents.inPerson).toEqual(["identity_document"]);
      expect(Object.keys(p.documents.specialCategories).sort()).toEqual([...SPECIAL_CATEGORIES].sort());
    }
  });

  it("R7, R8, R9, R12: 2025 as held — confirmed campaign 1 Sep – 1 Nov, one free change, work/study grounds, proof asked", () => {
    const p = policyForYear(2025);
    expect(p.status).toBe("confirmed");
    expect(p.campaign).toEqual(CAMPAIGN);
    expect(campaignAnnouncement(p)).toBe("confirmed");
    expect(p.freeChangesPerYear).toBe(1);
    expect(p.groundsOutsideCampaign).toEqual(expect.arrayContaining(["work_change", "study_change"]));
    expect(p.requireProofForTemporaryResidence).toBe(true);
  });

  it("R7, R8, R9, R12: 2026 provisional — the campaign window not confirmed, two free changes, grounds by residence only, no proof", () => {
    const p = policyForYear(2026);
    expect(p.status).toBe("provisional");
    expect(p.campaign).toEqual(CAMPAIGN);
    expect(campaignAnnouncement(p)).toBe("expected");
    expect(campaignConfirmed(p)).toBe(false);
    expect(p.freeChangesPerYear).toBe(2);
    expect(p.groundsOutsideCampaign).toEqual(BY_RESIDENCE);
    expect(p.requireProofForTemporaryResidence).toBe(false);
  });

  it("R7, R8, R9, R12: 2027 provisional — no campaign announced (none in the data), two free changes, grounds by residence", () => {
    const p = policyForYear(2027);
    expect(p.status).toBe("provisional");
    expect(p.campaign).toBeNull();
    expect(campaignAnnouncement(p)).toBe("not_announced");
    expect(campaignConfirmed(p)).toBe(false);
    expect(p.freeChangesPerYear).toBe(2);
    expect(p.groundsOutsideCampaign).toEqual(BY_RESIDENCE);
    expect(p.requireProofForTemporaryResidence).toBe(false);
  });

  it("R7: a year without a file borrows the latest earlier policy, provisional and without a campaign", () => {
    const p2030 = policyForYear(2030);
    expect(p2030.year).toBe(2030);
    expect(p2030.status).toBe("provisional");
    expect(p2030.campaign).toBeNull();
    expect(p2030.freeChangesPerYear).toBe(2);
    const p2020 = policyForYear(2020);
    expect(p2020.year).toBe(2020);
    expect(p2020.status).toBe("provisional");
    expect(p2020.freeChangesPerYear).toBe(1); // the earliest we have: 2025's
  });

  it("R7: campaignAnnouncement covers the four cases the bot words differently", () => {
    const p = policyForYear(2025);
    expect(campaignAnnouncement({ ...p, status: "confirmed" })).toBe("confirmed");
    expect(campaignAnnouncement({ ...p, status: "provisional" })).toBe("expected");
    expect(campaignAnnouncement({ ...p, campaign: null, status: "confirmed" })).toBe("none");
    expect(campaignAnnouncement({ ...p, campaign: null, status: "provisional" })).toBe("not_announced");
  });

  it("R7: a policy is validated: a broken window, time, unknown ground, status or undated source is rejected", () => {
    const good = policyForYear(2026);
    expect(PolicySchema.safeParse({ ...good, campaign: { ...CAMPAIGN, end: "02-30" } }).success).toBe(false);
    expect(
      PolicySchema.safeParse({
        ...good,
        campaign: { start: "11-01", end: "09-01", effectiveFrom: { monthDay: "01-01", yearOffset: 1 } },
      }).success,
    ).toBe(false);
    expect(PolicySchema.safeParse({ ...good, workingDayEnds: "25:00" }).success).toBe(false);
    expect(PolicySchema.safeParse({ ...good, groundsOutsideCampaign: ["vacation"] }).success).toBe(false);
    expect(PolicySchema.safeParse({ ...good, status: "maybe" }).success).toBe(false);
    expect(PolicySchema.safeParse({ ...good, sources: [] }).success).toBe(false);
    expect(PolicySchema.safeParse({ ...good, sources: [{ source: "gov.kz" }] }).success).toBe(false);
    expect(PolicySchema.safeParse({ ...good, sources: [{ source: "gov.kz", date: "2026-13" }] }).success).toBe(false);
    expect(PolicySchema.safeParse({ ...good, campaignCountsTowardQuota: undefined }).success).toBe(false);
    const docs = {
      ...good.documents,
      specialCategories: { ...good.documents.specialCategories, pensioner: ["passport"] },
    };
    expect(PolicySchema.safeParse({ ...good, documents: docs }).success).toBe(false);
    expect(PolicySchema.safeParse({ ...good, campaign: null }).success).toBe(true);
    expect(() => parsePolicy(good, 2027)).toThrow(/2026/);
  });
});

describe("shipped holiday data (R10)", () => {
  it("R10: the holiday law and the tables for 2025–2027 load and validate; 2025–2026 confirmed, 2027 provisional", () => {
    expect(HolidayLawSchema.safeParse(loadHolidayLaw()).success).toBe(true);
    const tables = loadHolidayYears();
    expect(tables.map((t) => t.year)).toEqual([2025, 2026, 2027]);
    for (const t of tables) expect(HolidayYearSchema.safeParse(t).success).toBe(true);
    expect(tables.map((t) => t.status)).toEqual(["confirmed", "confirmed", "provisional"]);
  });

  it("R10: the law holds Constitution Day on 30 August until 2025 and on 15 March from 2027; 7 Jan and Kurban Ait do not move", () => {
    const law = loadHolidayLaw();
    const constitution = law.holidays.filter((h) => h.name === "День Конституции");
    expect(constitution).toEqual([
      expect.objectContaining({ monthDay: "03-15", from: 2027 }),
      expect.objectContaining({ monthDay: "08-30", until: 2025 }),
    ]);
    const fixed = law.holidays.filter((h) => !h.movesOffWeekend);
    expect(fixed.map((h) => ("monthDay" in h ? h.monthDay : h.lunar))).toEqual(["01-07", "kurbanAit"]);
  });

  it("R10: a table is validated: a date of another year, a weekday 'working_day', a missing status or Kurban Ait not listed", () => {
    const t = loadHolidayYears()[1];
    if (!t) throw new Error("no 2026 table");
    expect(
      HolidayYearSchema.safeParse({ ...t, days: [...t.days, { date: "2027-01-04", kind: "holiday" }] }).success,
    ).toBe(false);
    expect(
      HolidayYearSchema.safeParse({ ...t, days: [...t.days, { date: "2026-06-03", kind: "working_day" }] }).success,
    ).toBe(false);
    expect(HolidayYearSchema.safeParse({ ...t, status: undefined }).success).toBe(false);
    expect(HolidayYearSchema.safeParse({ ...t, kurbanAit: "2026-05-28" }).success).toBe(false);
  });
});
