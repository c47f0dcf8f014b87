import type { Db } from "../data/db.js";
import { loadHolidayCalendar, policyForYear } from "../data/datasets/load-rules-data.js";
import { StoredPolicySchema } from "../data/datasets/policy-overrides.js";
import { getSetting } from "../data/repositories/settings.js";
import { addDays, almatyDate, missingHolidayYears, type Policy, type WorkingCalendar } from "../rules/index.js";
import type { Logger } from "./logger.js";

/** Policy and working-day calendar for the bot: the shipped per-year data, with admins' overrides from settings. */
export interface RulesService {
  policyFor(now: Date): Promise<Policy>;
  readonly calendar: WorkingCalendar;
}

export function policyKey(year: number): string {
  return `policy:${year}`;
}

/** Decisions are due within days; a month ahead covers any policy's decisionWorkingDays across New Year. */
const LOOKAHEAD_DAYS = 31;

/**
 * R10: a year without a holiday table makes due dates provisional (no Kurban Ait, no decrees): say so in the log,
 * once per year and process, with the year only (decisions carry the note decision_due_provisional).
 */
export function calendarGapWarner(
  calendar: WorkingCalendar,
  log: Pick<Logger, "warn"> | undefined,
): (now: Date) => void {
  const warned = new Set<number>();
  return (now) => {
    const today = almatyDate(now);
    for (const year of missingHolidayYears(today, addDays(today, LOOKAHEAD_DAYS), calendar)) {
      if (warned.has(year)) continue;
      warned.add(year);
      log?.warn(
        { year },
        "holiday table missing: due dates that year ignore Kurban Ait and decrees; add data/datasets/holidays/<year>.json",
      );
    }
  };
}

export function createRulesService(db: Db, log?: Pick<Logger, "warn">): RulesService {
  const calendar = loadHolidayCalendar();
  const checkCalendar = calendarGapWarner(calendar, log);
  return {
    calendar,
    async policyFor(now) {
      checkCalendar(now);
      const year = Number(almatyDate(now).slice(0, 4));
      return (await getSetting(db, policyKey(year), StoredPolicySchema)) ?? policyForYear(year);
    },
  };
}
