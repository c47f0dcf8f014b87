import { campaignStatus, freeChoiceSeason, type CampaignStatus } from "./campaign.js";
import { GROUNDS, type Ground, type ReasonCode } from "./codes.js";
import { almatyDate, toInstant, yearOf } from "./dates.js";
import type { Policy } from "./policy.js";
import type { EvaluationInput, HistoryEntry } from "./schemas.js";

/** What the ground rules look at: the moment, the current attachment and the approved changes. */
export type GroundContext = Pick<EvaluationInput, "currentAttachment" | "history"> & { now: Date | string };

/** R9: whether an earlier change was a campaign application: filed (or, without that, decided) inside the window. */
function campaignApplication(h: HistoryEntry, policy: Pick<Policy, "campaign">): boolean {
  return campaignStatus(h.submittedAt ?? h.decidedAt, policy).kind === "inside";
}

/**
 * R9: personal-choice changes already approved in now's Almaty calendar year. A campaign application counts (in the
 * year it was decided) only when policy says so (`campaignCountsTowardQuota`).
 */
export function freeChangesUsed(ctx: GroundContext, policy: Policy): number {
  const year = yearOf(almatyDate(toInstant(ctx.now)));
  return (ctx.history ?? []).filter(
    (h) =>
      h.ground === "free_choice" &&
      yearOf(almatyDate(toInstant(h.decidedAt))) === year &&
      (policy.campaignCountsTowardQuota || !campaignApplication(h, policy)),
  ).length;
}

/** Why this ground cannot be used now (empty = it can). */
export function groundReasons(
  ground: Ground,
  ctx: GroundContext,
  policy: Policy,
  status?: CampaignStatus,
): ReasonCode[] {
  const st = status ?? campaignStatus(ctx.now, policy);
  const listed = policy.groundsOutsideCampaign.includes(ground);
  // R8: a newborn or a new resident; someone already attached changes clinic on another ground.
  if (ground === "first_attachment" && ctx.currentAttachment) return ["not_first_attachment"];
  if (ground === "free_choice") {
    // R7: inside the window (or all year) personal choice is open; outside it only if policy allows it (R8).
    if (!freeChoiceSeason(st) && !listed) return ["outside_campaign"];
    // R9: inside the window the quota limits a campaign application only when it counts towards it.
    if (st.kind === "inside" && !policy.campaignCountsTowardQuota) return [];
    return freeChangesUsed(ctx, policy) >= policy.freeChangesPerYear ? ["quota_used"] : [];
  }
  if (listed) return [];
  // R8: a necessity ground policy does not list (e.g. legacy work/study switched off).
  return freeChoiceSeason(st) ? ["ground_not_allowed"] : ["outside_campaign"];
}

/** R7–R9: the grounds open to this person now, in a stable order (personal choice first). */
export function allowedGrounds(ctx: GroundContext, policy: Policy): Ground[] {
  const status = campaignStatus(ctx.now, policy);
  return GROUNDS.filter((g) => groundReasons(g, ctx, policy, status).length === 0);
}
