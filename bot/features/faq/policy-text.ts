import type { BaseContext } from "../../context.js";
import type { T } from "../../i18n.js";
import { almatyDate, campaignAnnouncement, type Policy } from "../../../rules/index.js";
import { campaignLine, quotaLine } from "../../ui/policy-words.js";

/**
 * The policy facts the FAQ states (policy data, never constants): this year's window and effective date (R7),
 * the yearly quota (R9), the end of the working day and the decision term (R10).
 */
export function faqVars(policy: Policy, now: Date): Record<string, string | number> {
  const year = Number(almatyDate(now).slice(0, 4));
  const c = policy.campaign;
  return {
    year,
    quota: policy.freeChangesPerYear,
    ends: policy.workingDayEnds,
    days: policy.decisionWorkingDays,
    ...(c
      ? {
          start: `${year}-${c.start}`,
          end: `${year}-${c.end}`,
          effective: `${year + c.effectiveFrom.yearOffset}-${c.effectiveFrom.monthDay}`,
        }
      : {}),
  };
}

/**
 * Which text answers an item under this policy: the campaign item by what may be said of the campaign (R7:
 * confirmed dates, expected but unconfirmed, none, not announced); the grounds item without a campaign; the
 * item on small children when the policy attaches them at the actual residence (R11) or not.
 */
export function faqKey(id: string, policy: Pick<Policy, "campaign" | "status" | "actualResidenceUnderAge">): string {
  if (id === "campaign") {
    const kind = campaignAnnouncement(policy);
    if (kind === "expected") return "faq.campaign_expected";
    if (kind === "none") return "faq.campaign_all_year";
    if (kind === "not_announced") return "faq.campaign_not_announced";
  }
  if (id === "change_outside_campaign" && !policy.campaign) return "faq.change_no_campaign";
  if (id === "child_under_five" && policy.actualResidenceUnderAge === null) return "faq.child_under_five_none";
  return `faq.items.${id}.a`;
}

/** R8: the grounds the policy accepts outside the window (all year without one), one line each. */
function groundLines(t: T, policy: Policy, locale: string): string {
  const lower = (s: string) => s.charAt(0).toLocaleLowerCase(locale) + s.slice(1);
  return policy.groundsOutsideCampaign
    .map((g) => `• ${t(`rules.grounds.${g}.title`)} — ${lower(t(`rules.grounds.${g}.hint`))}`)
    .join("\n");
}

/** Answers that say themselves the year's rules are not confirmed (with 1414): the quota needs no second caveat. */
const SAY_PROVISIONAL: ReadonlySet<string> = new Set(["faq.campaign_expected", "faq.campaign_not_announced"]);

/** One FAQ answer with the policy in effect now. */
export async function faqAnswer(ctx: BaseContext, id: string): Promise<string> {
  const now = ctx.deps.clock.now();
  const policy = await ctx.deps.rules.policyFor(now);
  const t = ctx.t;
  const key = faqKey(id, policy);
  return t(key, {
    ...faqVars(policy, now),
    // The term in words, with its plural ("1 рабочий день", "2 рабочих дня").
    days: t("common.working_days", { count: policy.decisionWorkingDays }),
    // Sentences of our own texts, already HTML: not escaped a second time (no value here comes from a person).
    campaign: campaignLine(t, now, policy),
    quota_rule: quotaLine(t, policy, { caveat: !SAY_PROVISIONAL.has(key) }),
    grounds: groundLines(t, policy, ctx.locale),
    under: policy.actualResidenceUnderAge ?? "",
    interpolation: { escapeValue: false },
  });
}
