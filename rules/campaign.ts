import type { Ground } from "./codes.js";
import { almatyDate, toInstant, yearOf, type IsoDate } from "./dates.js";
import type { Policy } from "./policy.js";

export type CampaignStatus =
  { kind: "all_year" } | { kind: "before" | "inside" | "after"; start: IsoDate; end: IsoDate };

/** R7: where now's Almaty day stands against this year's window (both ends inclusive). */
export function campaignStatus(now: Date | string, policy: Pick<Policy, "campaign">): CampaignStatus {
  if (!policy.campaign) return { kind: "all_year" };
  const today = almatyDate(toInstant(now));
  const y = yearOf(today);
  const start = `${y}-${policy.campaign.start}`;
  const end = `${y}-${policy.campaign.end}`;
  const kind = today < start ? "before" : today > end ? "after" : "inside";
  return { kind, start, end };
}

/** R7: true when free choice is open without the "outside the campaign" limits (inside the window, or all year). */
export function freeChoiceSeason(status: CampaignStatus): boolean {
  return status.kind === "all_year" || status.kind === "inside";
}

/**
 * R7, R8: the Almaty day a new attachment takes effect, or null for "on the decision".
 * The campaign date applies to personal choice made inside the window (and to a pre-check with no ground yet);
 * the necessity grounds (moving, closure, newborns…) follow `effectiveOutsideCampaign`, so nobody waits months
 * for a clinic after a move.
 */
export function effectiveFrom(now: Date | string, policy: Policy, ground?: Ground): IsoDate | null {
  const status = campaignStatus(now, policy);
  const today = almatyDate(toInstant(now));
  if (policy.campaign && status.kind === "inside" && (ground === undefined || ground === "free_choice")) {
    const { monthDay, yearOffset } = policy.campaign.effectiveFrom;
    return `${yearOf(today) + yearOffset}-${monthDay}`;
  }
  const outside = policy.effectiveOutsideCampaign;
  return outside === "on_decision" ? null : `${yearOf(today) + outside.yearOffset}-${outside.monthDay}`;
}

/**
 * R5: the year whose Fund contract the clinic needs: the year the attachment takes effect. "On the decision"
 * means the year of the decision; pass `decisionDue` (from decisionDueBy) to catch a filing on 31 December.
 */
export function effectiveYear(
  now: Date | string,
  policy: Policy,
  options: { ground?: Ground; decisionDue?: IsoDate } = {},
): number {
  const from = effectiveFrom(now, policy, options.ground);
  if (from) return yearOf(from);
  return yearOf(options.decisionDue ?? almatyDate(toInstant(now)));
}
