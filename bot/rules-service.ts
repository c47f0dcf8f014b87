import type { Db } from "../data/db.js";
import { loadHolidayCalendar, policyForYear } from "../data/datasets/load-rules-data.js";
import { getSetting } from "../data/repositories/settings.js";
import { almatyDate, PolicySchema, type Policy, type WorkingCalendar } from "../rules/index.js";

/** Policy and working-day calendar for the bot: the shipped per-year data, with admins' overrides from settings. */
export interface RulesService {
  policyFor(now: Date): Promise<Policy>;
  readonly calendar: WorkingCalendar;
}

export function policyKey(year: number): string {
  return `policy:${year}`;
}

export function createRulesService(db: Db): RulesService {
  const calendar = loadHolidayCalendar();
  return {
    calendar,
    async policyFor(now) {
      const year = Number(almatyDate(now).slice(0, 4));
      return (await getSetting(db, policyKey(year), PolicySchema)) ?? policyForYear(year);
    },
  };
}
