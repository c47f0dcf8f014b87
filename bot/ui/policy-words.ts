import {
  almatyDate,
  campaignAnnouncement,
  campaignStatus,
  effectiveFrom,
  provisionalHolidayYears,
  type Ground,
  type Policy,
  type WorkingCalendar,
} from "../../rules/index.js";
import type { T } from "../i18n.js";

// What the bot says about the year's policy, in one place: /check, the opening of /apply, the FAQ, the request
// confirmation and /status. A fact that no official text confirms (a provisional policy or holiday table) is said
// to be provisional, with 1414 to ask; a year without a campaign has no campaign dates anywhere.

/** R7: the year's campaign as it may be stated today (campaignAnnouncement: confirmed, expected, none, not_announced). */
export function campaignLine(t: T, now: Date, policy: Policy): string {
  const kind = campaignAnnouncement(policy);
  if (kind === "none" || kind === "not_announced") return t(`policy.campaign.${kind}`, { year: policy.year });
  const status = campaignStatus(now, policy);
  if (status.kind === "all_year") return t("policy.campaign.none", { year: policy.year });
  // Almaty days as ISO: the texts put them in their language's grammar.
  const vars = { start: status.start, end: status.end };
  return kind === "confirmed"
    ? t(`rules.campaign.${status.kind}`, vars)
    : t(`policy.campaign.expected_${status.kind}`, vars);
}

/**
 * R7, R8: why a day a change made today takes effect on may not hold: the policy is provisional, and the day is
 * the window's (a campaign nobody has confirmed) or the policy's own; null when it is confirmed or "on the decision".
 */
export function effectiveDoubt(
  now: Date,
  policy: Policy,
  ground: Ground = "free_choice",
): "campaign" | "policy" | null {
  if (policy.status === "confirmed" || !effectiveFrom(now, policy, ground)) return null;
  // effectiveFrom gives personal choice inside the window the campaign's date.
  return ground === "free_choice" && campaignStatus(now, policy).kind === "inside" ? "campaign" : "policy";
}

/**
 * R7, R8: when a change made today takes effect, said to be provisional where it is: the window's date holds only
 * if the campaign goes as expected (`standalone` adds 1414 for a message without a campaign line of its own: the
 * request confirmation); another date set by a provisional policy, with 1414.
 */
export function effectiveLine(
  t: T,
  now: Date,
  policy: Policy,
  opts: { ground?: Ground; standalone?: boolean } = {},
): string {
  const from = effectiveFrom(now, policy, opts.ground ?? "free_choice");
  if (!from) return t("rules.notes.effective_on_decision");
  const date = from;
  const plain = t("rules.notes.effective_from", { date });
  const doubt = effectiveDoubt(now, policy, opts.ground);
  if (!doubt) return plain;
  if (doubt === "policy") return `${plain} ${t("policy.effective_provisional")}`;
  return opts.standalone
    ? `${plain} ${t("policy.effective_unconfirmed")}`
    : t("policy.effective_if_campaign", { date });
}

/**
 * R9: the yearly quota of free changes, whether a campaign change counts toward it, and that the figure is
 * provisional (unless `caveat: false`: the text around it says so already).
 */
export function quotaLine(t: T, policy: Policy, opts: { caveat?: boolean } = {}): string {
  const vars = { year: policy.year, quota: policy.freeChangesPerYear };
  const parts = [t(policy.freeChangesPerYear === 0 ? "policy.quota_zero" : "policy.quota", vars)];
  if (policy.campaign)
    parts.push(t(policy.campaignCountsTowardQuota ? "policy.quota_counts" : "policy.quota_not_counts"));
  if (policy.status === "provisional" && opts.caveat !== false)
    parts.push(t("policy.quota_provisional", { year: policy.year }));
  return parts.join(" ");
}

/** R10: the years whose holiday table is provisional (or missing) between the filing day and the due day. */
export function dueDoubtYears(submittedAt: string, due: string, calendar: WorkingCalendar): number[] {
  return provisionalHolidayYears(almatyDate(new Date(submittedAt)), due, calendar);
}

/**
 * R10: a due day computed through a year whose holiday table is provisional (or missing) may move: the sentence
 * that says so, or null when the calendar of every day up to it is confirmed.
 */
export function dueLine(t: T, submittedAt: string, due: string, calendar: WorkingCalendar): string | null {
  const years = dueDoubtYears(submittedAt, due, calendar);
  return years.length ? t("policy.due_provisional", { year: years.join(", ") }) : null;
}
