import type { Db } from "../data/db.js";
import { holidayCalendar, shippedPolicies } from "../data/datasets/load-rules-data.js";
import { getSetting } from "../data/repositories/settings.js";
import { almatyDate, PolicySchema, type Policy, type WorkingCalendar } from "../rules/index.js";

/** Policy and working-day calendar for the bot: shipped per-year data, with admins' overrides from settings. */
export interface RulesService {
  policyFor(now: Date): Promise<Policy>;
  readonly calendar: WorkingCalendar;
}

export function policyKey(year: number): string {
  return `policy:${year}`;
}

export function createRulesService(db: Db): RulesService {
  const shipped = shippedPolicies();
  const calendar = holidayCalendar();
  const years = [...shipped.keys()].sort((a, b) => a - b);
  return {
    calendar,
    async policyFor(now) {
      const year = Number(almatyDate(now).slice(0, 4));
      const override = await getSetting(db, policyKey(year), PolicySchema);
      if (override) return override;
      // A year without data uses the latest one we have: policy changes arrive as data, not code.
      const fallback = years.filter((y) => y <= year).at(-1) ?? years[0];
      const policy = fallback === undefined ? undefined : shipped.get(fallback);
      if (!policy) throw new Error("no attachment policy is shipped");
      return policy;
    },
  };
}
