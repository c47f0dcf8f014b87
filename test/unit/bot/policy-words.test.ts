import { beforeAll, describe, expect, it } from "vitest";
import { faqKey } from "../../../bot/features/faq/policy-text.js";
import { createI18n, LOCALES, type T } from "../../../bot/i18n.js";
import { campaignLine, dueLine, effectiveLine, quotaLine } from "../../../bot/ui/policy-words.js";
import { loadHolidayCalendar, policyForYear } from "../../../data/datasets/load-rules-data.js";
import type { Policy } from "../../../rules/index.js";

// What the bot says about a year's policy: a fact no official text confirms is said to be provisional, with 1414;
// a year without a campaign has no campaign dates at all.

const AUTUMN: NonNullable<Policy["campaign"]> = {
  start: "09-01",
  end: "11-01",
  effectiveFrom: { monthDay: "01-01", yearOffset: 1 },
};
const at = (iso: string) => new Date(iso);
const SPRING = at("2026-04-15T10:00:00+05:00");
const INSIDE = at("2026-09-15T10:00:00+05:00");
const AFTER = at("2026-11-23T11:00:00+05:00");

function policy(patch: Partial<Policy>): Policy {
  return { ...policyForYear(2026), ...patch };
}
const confirmed = policy({ status: "confirmed", campaign: AUTUMN });
const expected = policy({ status: "provisional", campaign: AUTUMN });
const none = policy({ status: "confirmed", campaign: null });
const notAnnounced = policy({ status: "provisional", campaign: null });

/** A campaign day shown to a person: "1 сентября", "1 қыркүйектен" (or a DD.MM day). */
const DATE = /\b\d{1,2} (сентябр|ноябр|қыркүйек|қараша)|\b\d{2}\.\d{2}\b/;

const ts: Partial<Record<(typeof LOCALES)[number], T>> = {};
beforeAll(async () => {
  const i18n = await createI18n();
  for (const l of LOCALES) ts[l] = i18n.t(l);
});

describe.each(LOCALES)("policy words (%s)", (lng) => {
  const t = (): T => ts[lng] as T;

  it("R7: a confirmed campaign is stated as fact, with its dates, and no 1414", () => {
    expect(campaignLine(t(), SPRING, confirmed)).toBe(
      t()("rules.campaign.before", { start: "2026-09-01", end: "2026-11-01" }),
    );
    expect(campaignLine(t(), INSIDE, confirmed)).toBe(t()("rules.campaign.inside", { end: "2026-11-01" }));
    expect(campaignLine(t(), AFTER, confirmed)).toBe(t()("rules.campaign.after", { end: "2026-11-01" }));
    for (const now of [SPRING, INSIDE, AFTER]) expect(campaignLine(t(), now, confirmed)).not.toContain("1414");
  });

  it("R7: an expected (provisional) window keeps its dates, says it is not confirmed and points to 1414", () => {
    for (const [now, kind] of [
      [SPRING, "before"],
      [INSIDE, "inside"],
      [AFTER, "after"],
    ] as const) {
      const line = campaignLine(t(), now, expected);
      expect(line).toBe(t()(`policy.campaign.expected_${kind}`, { start: "2026-09-01", end: "2026-11-01" }));
      expect(line).toContain(lng === "ru" ? "1 ноября" : "1 қарашаға");
      expect(line).toContain("1414");
    }
  });

  it("R7: no campaign: attachment all year, no dates; not announced (provisional) also points to 1414", () => {
    const officially = campaignLine(t(), SPRING, none);
    expect(officially).toBe(t()("policy.campaign.none", { year: 2026 }));
    expect(officially).not.toMatch(DATE);
    expect(officially).not.toContain("1414");
    const unknown = campaignLine(t(), INSIDE, notAnnounced);
    expect(unknown).toBe(t()("policy.campaign.not_announced", { year: 2026 }));
    expect(unknown).not.toMatch(DATE);
    expect(unknown).toContain("1414");
  });

  it("R7, R8: the effective date: plain when confirmed; an unconfirmed window's date holds 'if the campaign goes as expected'", () => {
    expect(effectiveLine(t(), INSIDE, confirmed)).toBe(t()("rules.notes.effective_from", { date: "2027-01-01" }));
    expect(effectiveLine(t(), INSIDE, expected)).toBe(t()("policy.effective_if_campaign", { date: "2027-01-01" }));
    // The request confirmation has no campaign line of its own: the caveat carries 1414.
    const standalone = effectiveLine(t(), INSIDE, expected, { standalone: true });
    expect(standalone).toContain(lng === "ru" ? "1 января 2027 года" : "2027 жылғы 1 қаңтардан");
    expect(standalone).toContain("1414");
    // On the decision: nothing to confirm, whatever the status (a move is not the campaign's).
    for (const p of [expected, notAnnounced])
      expect(effectiveLine(t(), SPRING, p)).toBe(t()("rules.notes.effective_on_decision"));
    expect(effectiveLine(t(), INSIDE, expected, { ground: "residence_change" })).toBe(
      t()("rules.notes.effective_on_decision"),
    );
    // A fixed day outside the window set by a provisional policy is provisional too.
    const fixed = policy({ status: "provisional", effectiveOutsideCampaign: { monthDay: "07-01", yearOffset: 0 } });
    const line = effectiveLine(t(), SPRING, fixed);
    expect(line).toContain(lng === "ru" ? "1 июля 2026 года" : "2026 жылғы 1 шілдеден");
    expect(line).toContain("1414");
  });

  it("R9: the quota, whether a campaign change counts, and 1414 only for a provisional figure", () => {
    const plain = quotaLine(t(), { ...none, freeChangesPerYear: 2 });
    expect(plain).toBe(t()("policy.quota", { year: 2026, quota: 2 }));
    expect(quotaLine(t(), confirmed)).toContain(t()("policy.quota_not_counts"));
    expect(quotaLine(t(), { ...confirmed, campaignCountsTowardQuota: true })).toContain(t()("policy.quota_counts"));
    expect(quotaLine(t(), notAnnounced)).toContain("1414");
    expect(quotaLine(t(), notAnnounced, { caveat: false })).not.toContain("1414");
    expect(quotaLine(t(), { ...none, freeChangesPerYear: 0 })).toBe(t()("policy.quota_zero", { year: 2026 }));
  });

  it("R10: a due day through a provisional holiday table says it may move (2027), not through a confirmed one (2026)", () => {
    const calendar = loadHolidayCalendar();
    expect(dueLine(t(), "2026-09-15T05:00:00.000Z", "2026-09-16", calendar)).toBeNull();
    const line = dueLine(t(), "2027-03-12T13:30:00.000Z", "2027-03-17", calendar);
    expect(line).toContain("2027");
    expect(line).toContain("1414");
  });
});

describe("which FAQ answer the policy picks", () => {
  it("R7: the campaign item by what may be said of the campaign", () => {
    expect(faqKey("campaign", confirmed)).toBe("faq.items.campaign.a");
    expect(faqKey("campaign", expected)).toBe("faq.campaign_expected");
    expect(faqKey("campaign", none)).toBe("faq.campaign_all_year");
    expect(faqKey("campaign", notAnnounced)).toBe("faq.campaign_not_announced");
  });

  it("R8, R11: grounds without a campaign, small children without attachment at the actual residence", () => {
    expect(faqKey("change_outside_campaign", expected)).toBe("faq.items.change_outside_campaign.a");
    expect(faqKey("change_outside_campaign", none)).toBe("faq.change_no_campaign");
    expect(faqKey("child_under_five", expected)).toBe("faq.items.child_under_five.a");
    expect(faqKey("child_under_five", { ...expected, actualResidenceUnderAge: null })).toBe(
      "faq.child_under_five_none",
    );
    expect(faqKey("safety", expected)).toBe("faq.items.safety.a");
  });
});
