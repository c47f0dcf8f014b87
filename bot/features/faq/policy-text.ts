import type { BaseContext } from "../../context.js";
import { almatyDate, type Policy } from "../../../rules/index.js";

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

/** One FAQ answer with the policy in effect now; without a campaign the campaign item says so. */
export async function faqAnswer(ctx: BaseContext, id: string): Promise<string> {
  const now = ctx.deps.clock.now();
  const policy = await ctx.deps.rules.policyFor(now);
  const key = id === "campaign" && !policy.campaign ? "faq.campaign_all_year" : `faq.items.${id}.a`;
  // The term in words, with its plural ("1 рабочий день", "2 рабочих дня").
  return ctx.t(key, {
    ...faqVars(policy, now),
    days: ctx.t("common.working_days", { count: policy.decisionWorkingDays }),
  });
}
