import { describe, expect, it } from "vitest";
import {
  allowedGrounds,
  campaignStatus,
  effectiveFrom,
  effectiveYear,
  evaluate,
  freeChangesUsed,
  groundReasons,
  type Ground,
} from "../../../rules/index.js";
import { allYear2026, almaty, baseInput, calendar, policy2025, policy2026, policy2027, withPolicy } from "./helpers.js";

describe("R7: campaign window 1 Sep – 1 Nov inclusive, Almaty days", () => {
  it.each([
    ["31 Aug 23:59", almaty("2025-08-31", "23:59"), "before", 2025],
    ["1 Sep 00:00", almaty("2025-09-01", "00:00"), "inside", 2025],
    ["31 Aug 19:00 UTC = 1 Sep 00:00 Almaty", new Date("2025-08-31T19:00:00Z"), "inside", 2025],
    ["1 Nov 23:59", almaty("2025-11-01", "23:59"), "inside", 2025],
    ["2 Nov 00:00", almaty("2025-11-02", "00:00"), "after", 2025],
    ["31 Dec 23:59", almaty("2025-12-31", "23:59"), "after", 2025],
    ["1 Jan 00:30 (New Year)", almaty("2026-01-01", "00:30"), "before", 2026],
  ] as const)("R7: %s → %s", (_label, now, kind, year) => {
    expect(campaignStatus(now, policy2025)).toEqual({ kind, start: `${year}-09-01`, end: `${year}-11-01` });
  });

  it("R7: no campaign in policy → all year", () => {
    expect(campaignStatus(almaty("2026-05-05"), allYear2026)).toEqual({ kind: "all_year" });
  });

  it("R7: inside the window free choice takes effect 1 January next year; outside, on the decision (R8)", () => {
    expect(effectiveFrom(almaty("2025-09-01"), policy2025, "free_choice")).toBe("2026-01-01");
    expect(effectiveFrom(almaty("2025-11-01"), policy2025, "free_choice")).toBe("2026-01-01");
    expect(effectiveFrom(almaty("2025-11-02"), policy2025, "free_choice")).toBeNull();
    expect(effectiveFrom(almaty("2025-08-31"), policy2025, "free_choice")).toBeNull();
    // A pre-check with no ground yet assumes personal choice.
    expect(effectiveFrom(almaty("2025-10-10"), policy2025)).toBe("2026-01-01");
  });

  it("R7, R8: inside the window, necessity grounds still take effect on the decision", () => {
    expect(effectiveFrom(almaty("2025-10-10"), policy2025, "moved_settlement")).toBeNull();
    expect(effectiveFrom(almaty("2025-10-10"), policy2025, "first_attachment")).toBeNull();
  });

  it("R7, R5: the contract year is the effective year; a 31 Dec evening filing is decided next year", () => {
    expect(effectiveYear(almaty("2025-10-10"), policy2025)).toBe(2026);
    expect(
      effectiveYear(almaty("2025-12-31", "20:00"), policy2025, {
        ground: "residence_change",
        decisionDue: "2026-01-06",
      }),
    ).toBe(2026);
    expect(effectiveYear(almaty("2025-12-10"), policy2025, { ground: "residence_change" })).toBe(2025);
  });

  it("R7: the window and effective date are policy — same day, two policies", () => {
    const oldWindow = withPolicy(policy2025, {
      campaign: { start: "09-15", end: "11-15", effectiveFrom: { monthDay: "01-01", yearOffset: 1 } },
    });
    const day = almaty("2025-11-10");
    expect(campaignStatus(day, policy2025).kind).toBe("after");
    expect(campaignStatus(day, oldWindow).kind).toBe("inside");
    expect(effectiveFrom(day, policy2025, "free_choice")).toBeNull();
    expect(effectiveFrom(day, oldWindow, "free_choice")).toBe("2026-01-01");
    expect(
      effectiveFrom(
        day,
        withPolicy(policy2025, { effectiveOutsideCampaign: { monthDay: "01-01", yearOffset: 1 } }),
        "residence_change",
      ),
    ).toBe("2026-01-01");
  });
});

describe("R8: grounds inside and outside the window", () => {
  const necessity: Ground[] = ["residence_change", "moved_settlement", "clinic_closed", "work_change", "study_change"];
  const ctx = (now: Date) => ({ now, currentAttachment: { clinicId: "x", since: "2020-01-01" }, history: [] });

  it.each([
    ["inside", almaty("2025-10-01")],
    ["outside (spring)", almaty("2025-04-15")],
    ["outside (December)", almaty("2025-12-15")],
  ])("R8: %s the window, the 2025 policy accepts every change ground", (_label, now) => {
    for (const g of [...necessity, "free_choice" as const])
      expect(groundReasons(g, ctx(now), policy2025), g).toEqual([]);
  });

  const strict = withPolicy(policy2025, {
    groundsOutsideCampaign: ["residence_change", "moved_settlement", "clinic_closed", "first_attachment"],
  });

  it("R8: a stricter policy (no free choice, no work/study outside) → outside_campaign outside, ground_not_allowed inside", () => {
    expect(groundReasons("free_choice", ctx(almaty("2025-04-15")), strict)).toEqual(["outside_campaign"]);
    expect(groundReasons("free_choice", ctx(almaty("2025-10-15")), strict)).toEqual([]);
    expect(groundReasons("work_change", ctx(almaty("2025-04-15")), strict)).toEqual(["outside_campaign"]);
    expect(groundReasons("work_change", ctx(almaty("2025-10-15")), strict)).toEqual(["ground_not_allowed"]);
    expect(groundReasons("moved_settlement", ctx(almaty("2025-04-15")), strict)).toEqual([]);
  });

  it("R8: same case under two policies — the legacy work/study flag changes the offered grounds, not the code", () => {
    const now = almaty("2025-04-15");
    expect(allowedGrounds(ctx(now), policy2025)).toContain("work_change");
    expect(allowedGrounds(ctx(now), strict)).toEqual(["residence_change", "moved_settlement", "clinic_closed"]);
  });

  it("R8: from 2026 work and study are no ground (attachment is by residence): outside_campaign outside the window, ground_not_allowed inside or all year", () => {
    for (const g of ["work_change", "study_change"] as const) {
      expect(groundReasons(g, ctx(almaty("2026-04-15")), policy2026), g).toEqual(["outside_campaign"]);
      expect(groundReasons(g, ctx(almaty("2026-10-15")), policy2026), g).toEqual(["ground_not_allowed"]);
      expect(groundReasons(g, ctx(almaty("2027-04-15")), policy2027), g).toEqual(["ground_not_allowed"]);
    }
    for (const p of [policy2026, policy2027])
      expect(allowedGrounds(ctx(almaty(`${p.year}-04-15`)), p)).toEqual([
        "free_choice",
        "residence_change",
        "moved_settlement",
        "clinic_closed",
      ]);
  });

  it("R8: first attachment only for someone not attached (newborns, new residents)", () => {
    const now = almaty("2025-04-15");
    expect(groundReasons("first_attachment", { now, currentAttachment: null }, policy2025)).toEqual([]);
    expect(groundReasons("first_attachment", { now }, policy2025)).toEqual([]);
    expect(groundReasons("first_attachment", ctx(now), policy2025)).toEqual(["not_first_attachment"]);
    expect(allowedGrounds(ctx(now), policy2025)).not.toContain("first_attachment");
  });

  it("R8, R14: evaluate refuses outside the window without a ground", () => {
    const d = evaluate(baseInput(almaty("2025-04-15"), { ground: "free_choice" }), strict, calendar);
    expect(d.outcome).toBe("refused");
    expect(d.reasons).toEqual(["outside_campaign"]);
  });
});

describe("R9: yearly quota of personal-choice changes", () => {
  const history = [{ decidedAt: "2025-03-02T06:00:00.000Z", ground: "free_choice" }];
  const counting2025 = withPolicy(policy2025, { campaignCountsTowardQuota: true });

  it("R9: counts only personal choice in the same Almaty calendar year", () => {
    const now = almaty("2025-05-01");
    expect(freeChangesUsed({ now, history }, policy2025)).toBe(1);
    const at = (decidedAt: string, ground = "free_choice") =>
      freeChangesUsed({ now, history: [{ decidedAt, ground }] }, policy2025);
    expect(at("2024-12-31T18:59:00Z")).toBe(0);
    // 31 Dec 19:00 UTC is already 1 Jan in Almaty: counts for the new year.
    expect(at("2024-12-31T19:00:00Z")).toBe(1);
    expect(at("2025-02-01", "moved_settlement")).toBe(0);
  });

  it("R9: quota used → free choice refused outside the window; moving still allowed", () => {
    const now = almaty("2025-05-01");
    expect(groundReasons("free_choice", { now, history }, policy2025)).toEqual(["quota_used"]);
    expect(groundReasons("moved_settlement", { now, history }, policy2025)).toEqual([]);
  });

  it("R9: inside the window the quota limits a campaign application only when policy says it counts (off by default)", () => {
    const now = almaty("2025-10-01");
    expect(policy2025.campaignCountsTowardQuota).toBe(false);
    expect(groundReasons("free_choice", { now, history }, policy2025)).toEqual([]);
    expect(groundReasons("free_choice", { now, history }, counting2025)).toEqual(["quota_used"]);
  });

  it("R9: a campaign application (filed and decided in October) uses a free change only when campaignCountsTowardQuota", () => {
    const now = almaty("2025-12-10");
    const campaign = [{ decidedAt: "2025-10-20T05:00:00Z", ground: "free_choice" }];
    expect(freeChangesUsed({ now, history: campaign }, policy2025)).toBe(0);
    expect(groundReasons("free_choice", { now, history: campaign }, policy2025)).toEqual([]);
    expect(groundReasons("free_choice", { now, history: campaign }, counting2025)).toEqual(["quota_used"]);
    // Filed on the window's last day, decided after it: still a campaign application (submittedAt decides).
    const late = [{ submittedAt: "2025-11-01T10:00:00Z", decidedAt: "2025-11-03T05:00:00Z", ground: "free_choice" }];
    expect(freeChangesUsed({ now, history: late }, policy2025)).toBe(0);
    expect(freeChangesUsed({ now, history: late }, counting2025)).toBe(1);
    // …and the next calendar year starts afresh.
    expect(groundReasons("free_choice", { now: almaty("2026-01-02"), history: campaign }, counting2025)).toEqual([]);
  });

  it("R9: from 2026 two free changes a year (the service card): the second is accepted, a third refused; quota 1 refuses the second", () => {
    const now = almaty("2026-05-01");
    expect(policy2026.freeChangesPerYear).toBe(2);
    expect(policy2027.freeChangesPerYear).toBe(2);
    const h = [{ decidedAt: "2026-02-01T05:00:00Z", ground: "free_choice" }];
    const second = evaluate(baseInput(now, { ground: "free_choice", history: h }), policy2026, calendar);
    expect(second.outcome).toBe("accepted");
    expect(second.effectiveFrom).toBeNull();
    expect(
      evaluate(
        baseInput(now, { ground: "free_choice", history: h }),
        withPolicy(policy2026, { freeChangesPerYear: 1 }),
        calendar,
      ).reasons,
    ).toEqual(["quota_used"]);
    const two = [...h, { decidedAt: "2026-03-01T05:00:00Z", ground: "free_choice" }];
    expect(evaluate(baseInput(now, { ground: "free_choice", history: two }), allYear2026, calendar).reasons).toEqual([
      "quota_used",
    ]);
    expect(
      evaluate(baseInput(almaty("2027-05-01"), { ground: "free_choice", history: [] }), policy2027, calendar).outcome,
    ).toBe("accepted");
  });
});
