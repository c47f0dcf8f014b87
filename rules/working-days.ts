import { z } from "zod";
import { addDays, almatyDate, almatyMinutes, isWeekend, minutesOf, toInstant, yearOf, type IsoDate } from "./dates.js";
import { statutoryHolidayYear, type HolidayLaw } from "./holiday-law.js";
import { DataStatusSchema, IsoDateSchema, SourceSchema } from "./schemas.js";
import type { Policy } from "./policy.js";

// R10: decisions are due in working days of the Kazakhstan calendar. No day off is written here: the days come from
// the per-year tables and, for a year without one, from the holiday law, both data (data/datasets/holidays/).

export const HolidayDaySchema = z.object({
  date: IsoDateSchema,
  /** holiday: a public holiday; transferred_day_off: a weekday off instead of a holiday on a weekend, or by decree;
   *  working_day: a weekend day made working by decree. */
  kind: z.enum(["holiday", "transferred_day_off", "working_day"]),
  name: z.string().optional(),
});

export const HolidayYearSchema = z
  .object({
    year: z.number().int().min(2020).max(2100),
    /** confirmed: the official calendar of the year (law, Kurban Ait, transfers published); provisional: estimated. */
    status: DataStatusSchema,
    /** What the table rests on (the law, the Ministry of Labour's transfer order, press reports), each dated. */
    sources: z.array(SourceSchema).min(1),
    /** Kurban Ait day 1 (lunar, set yearly; never transferred). */
    kurbanAit: IsoDateSchema,
    days: z.array(HolidayDaySchema),
    note: z.string().optional(),
  })
  .superRefine((h, ctx) => {
    const issue = (path: (string | number)[], message: string) => ctx.addIssue({ code: "custom", path, message });
    if (yearOf(h.kurbanAit) !== h.year) issue(["kurbanAit"], `a date of another year than ${h.year}`);
    if (!h.days.some((d) => d.date === h.kurbanAit && d.kind === "holiday"))
      issue(["kurbanAit"], "Kurban Ait is not listed as a holiday in days");
    const seen = new Set<string>();
    h.days.forEach((d, i) => {
      if (yearOf(d.date) !== h.year) issue(["days", i, "date"], `a date of another year than ${h.year}`);
      if (seen.has(d.date)) issue(["days", i, "date"], `${d.date} is listed twice`);
      seen.add(d.date);
      if (d.kind === "working_day" && !isWeekend(d.date))
        issue(["days", i, "kind"], "a working_day must be a Saturday or Sunday (a weekday is working anyway)");
    });
  });
export type HolidayYear = z.infer<typeof HolidayYearSchema>;

export interface WorkingCalendar {
  /** Years with a table; other years fall back to the holiday law without Kurban Ait or transfers. */
  readonly years: ReadonlySet<number>;
  /** Years whose table is marked provisional: dates computed through them may move. */
  readonly provisionalYears: ReadonlySet<number>;
  readonly daysOff: ReadonlySet<IsoDate>;
  /** Weekend days made working by decree. */
  readonly workingWeekends: ReadonlySet<IsoDate>;
  /** The law the fallback applies to a year without a table. */
  readonly law: HolidayLaw;
  /** The days off the law implies for a year without a table (kept per calendar, computed once a year). */
  readonly statutoryDaysOff: (year: number) => ReadonlySet<IsoDate>;
}

/** R10: the calendar of the given per-year tables, with the holiday law as the fallback for other years. */
export function buildWorkingCalendar(tables: readonly HolidayYear[], law: HolidayLaw): WorkingCalendar {
  const daysOff = new Set<IsoDate>();
  const workingWeekends = new Set<IsoDate>();
  for (const t of tables) {
    for (const d of t.days) (d.kind === "working_day" ? workingWeekends : daysOff).add(d.date);
  }
  const fallback = new Map<number, ReadonlySet<IsoDate>>();
  return {
    years: new Set(tables.map((t) => t.year)),
    provisionalYears: new Set(tables.filter((t) => t.status === "provisional").map((t) => t.year)),
    daysOff,
    workingWeekends,
    law,
    statutoryDaysOff(year) {
      let set = fallback.get(year);
      if (!set) {
        set = new Set(statutoryHolidayYear(year, law, null).map((d) => d.date));
        fallback.set(year, set);
      }
      return set;
    },
  };
}

/**
 * R10: the years from `from` to `to` (inclusive) that have no holiday table: days there fall back to weekends and the
 * holiday law, without Kurban Ait or transfers, so a date computed through them is provisional.
 */
export function missingHolidayYears(from: IsoDate, to: IsoDate, calendar: WorkingCalendar): number[] {
  const years: number[] = [];
  for (let y = yearOf(from); y <= yearOf(to); y++) if (!calendar.years.has(y)) years.push(y);
  return years;
}

/** R10: the years from `from` to `to` whose days off are not confirmed: no table, or a table marked provisional. */
export function provisionalHolidayYears(from: IsoDate, to: IsoDate, calendar: WorkingCalendar): number[] {
  const years: number[] = [];
  for (let y = yearOf(from); y <= yearOf(to); y++)
    if (!calendar.years.has(y) || calendar.provisionalYears.has(y)) years.push(y);
  return years;
}

/** R10: Mon–Fri that is not a holiday or a transferred day off, or a weekend day made working by decree. */
export function isWorkingDay(date: IsoDate, calendar: WorkingCalendar): boolean {
  if (calendar.workingWeekends.has(date)) return true;
  if (isWeekend(date)) return false;
  if (calendar.years.has(yearOf(date))) return !calendar.daysOff.has(date);
  return !calendar.statutoryDaysOff(yearOf(date)).has(date) && !calendar.daysOff.has(date);
}

/** The first working day strictly after `date`. */
export function nextWorkingDay(date: IsoDate, calendar: WorkingCalendar): IsoDate {
  let d = addDays(date, 1);
  // A year has at most ~20 days off in a row nowhere near; the bound only guards against a broken table.
  for (let i = 0; i < 366 && !isWorkingDay(d, calendar); i++) d = addDays(d, 1);
  return d;
}

/** The n-th working day after `date` (n ≥ 0; 0 → `date` itself). */
export function addWorkingDays(date: IsoDate, n: number, calendar: WorkingCalendar): IsoDate {
  let d = date;
  for (let i = 0; i < n; i++) d = nextWorkingDay(d, calendar);
  return d;
}

/**
 * R10: the day the clock starts: the filing day if it is a working day and the filing came before
 * `workingDayEnds`; otherwise (after hours, a weekend, a holiday) the next working day.
 */
export function clockStartDay(
  submittedAt: Date | string,
  policy: Pick<Policy, "workingDayEnds">,
  calendar: WorkingCalendar,
): IsoDate {
  const at = toInstant(submittedAt);
  const day = almatyDate(at);
  const inHours = isWorkingDay(day, calendar) && almatyMinutes(at) < minutesOf(policy.workingDayEnds);
  return inHours ? day : nextWorkingDay(day, calendar);
}

/**
 * R10: the Almaty day by which the decision is due: `decisionWorkingDays` working days after the clock starts.
 * Deliberately the later reading of "within 1 working day" (Monday 10:00 → Tuesday, Monday 19:00 → Wednesday):
 * a request from the bot is registered by staff first, so the date we promise must not come too early.
 */
export function decisionDueBy(
  submittedAt: Date | string,
  policy: Pick<Policy, "workingDayEnds" | "decisionWorkingDays">,
  calendar: WorkingCalendar,
): IsoDate {
  return addWorkingDays(clockStartDay(submittedAt, policy, calendar), policy.decisionWorkingDays, calendar);
}
