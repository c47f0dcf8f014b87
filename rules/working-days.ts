import { z } from "zod";
import { addDays, almatyDate, almatyMinutes, isWeekend, minutesOf, toInstant, yearOf, type IsoDate } from "./dates.js";
import { IsoDateSchema } from "./schemas.js";
import type { Policy } from "./policy.js";

// R10: decisions are due in working days of the Kazakhstan calendar (domain §4).

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
    /** Kurban Ait day 1 (lunar, set yearly; never transferred). */
    kurbanAit: IsoDateSchema,
    days: z.array(HolidayDaySchema),
    note: z.string().optional(),
    sources: z.array(z.string()).optional(),
  })
  .refine(
    (h) => h.days.every((d) => yearOf(d.date) === h.year) && yearOf(h.kurbanAit) === h.year,
    "a date of another year",
  )
  .refine((h) => new Set(h.days.map((d) => d.date)).size === h.days.length, "a date listed twice");
export type HolidayYear = z.infer<typeof HolidayYearSchema>;

export interface WorkingCalendar {
  /** Years with an official table; other years fall back to the statutory rules without Kurban Ait or decrees. */
  readonly years: ReadonlySet<number>;
  readonly daysOff: ReadonlySet<IsoDate>;
  /** Weekend days made working by decree. */
  readonly workingWeekends: ReadonlySet<IsoDate>;
}

/** Fixed public holidays (law «О праздниках в РК», as listed in domain §4), MM-DD. */
export const FIXED_HOLIDAYS = [
  "01-01",
  "01-02",
  "01-07",
  "03-08",
  "03-21",
  "03-22",
  "03-23",
  "05-01",
  "05-07",
  "05-09",
  "07-06",
  "08-30",
  "10-25",
  "12-16",
] as const;
/** 7 January (and Kurban Ait) falling on a weekend give no extra day off. */
const NOT_TRANSFERRED = new Set<string>(["01-07"]);

/**
 * The statutory part of a year's table: fixed holidays, Kurban Ait, and a day off moved to the next working day for
 * each holiday on a Saturday or Sunday (except 7 Jan and Kurban Ait). Decree transfers are not knowable: data only.
 */
export function statutoryHolidayYear(year: number, kurbanAit: IsoDate | null): HolidayYear["days"] {
  const holidays = FIXED_HOLIDAYS.map((md) => `${year}-${md}`);
  if (kurbanAit) holidays.push(kurbanAit);
  holidays.sort();
  const holidaySet = new Set(holidays);
  const transferred = new Set<IsoDate>();
  for (const h of holidays) {
    if (!isWeekend(h) || h === kurbanAit || NOT_TRANSFERRED.has(h.slice(5))) continue;
    let d = addDays(h, 1);
    while (isWeekend(d) || holidaySet.has(d) || transferred.has(d)) d = addDays(d, 1);
    transferred.add(d);
  }
  return [
    ...holidays.map((date) => ({ date, kind: "holiday" as const })),
    ...[...transferred].map((date) => ({ date, kind: "transferred_day_off" as const })),
  ].sort((a, b) => (a.date < b.date ? -1 : 1));
}

export function buildWorkingCalendar(tables: readonly HolidayYear[]): WorkingCalendar {
  const daysOff = new Set<IsoDate>();
  const workingWeekends = new Set<IsoDate>();
  for (const t of tables) {
    for (const d of t.days) (d.kind === "working_day" ? workingWeekends : daysOff).add(d.date);
    daysOff.add(t.kurbanAit);
  }
  return { years: new Set(tables.map((t) => t.year)), daysOff, workingWeekends };
}

/**
 * R10: the years from `from` to `to` (inclusive) that have no holiday table: days there fall back to weekends and the
 * statutory holidays, without Kurban Ait or decrees, so a date computed through them is provisional.
 */
export function missingHolidayYears(from: IsoDate, to: IsoDate, calendar: WorkingCalendar): number[] {
  const years: number[] = [];
  for (let y = yearOf(from); y <= yearOf(to); y++) if (!calendar.years.has(y)) years.push(y);
  return years;
}

const fallbackCache = new Map<number, ReadonlySet<IsoDate>>();
function fallbackDaysOff(year: number): ReadonlySet<IsoDate> {
  let set = fallbackCache.get(year);
  if (!set) {
    set = new Set(statutoryHolidayYear(year, null).map((d) => d.date));
    fallbackCache.set(year, set);
  }
  return set;
}

/** R10: Mon–Fri that is not a holiday or a transferred day off, or a weekend day made working by decree. */
export function isWorkingDay(date: IsoDate, calendar: WorkingCalendar): boolean {
  if (calendar.workingWeekends.has(date)) return true;
  if (isWeekend(date)) return false;
  if (calendar.years.has(yearOf(date))) return !calendar.daysOff.has(date);
  return !fallbackDaysOff(yearOf(date)).has(date) && !calendar.daysOff.has(date);
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
