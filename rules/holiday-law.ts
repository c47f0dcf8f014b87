import { z } from "zod";
import { addDays, isValidDate, isWeekend, type IsoDate } from "./dates.js";
import { DataStatusSchema, SourceSchema } from "./schemas.js";

// R10: the holiday law itself is data (data/datasets/holidays/statutory.json): which days are holidays, from which
// year and until which, and which of them move off a weekend. A change of the law is a change of that file.

const YearSchema = z.number().int().min(1991).max(2100);

const MonthDaySchema = z
  .string()
  .regex(/^\d{2}-\d{2}$/, "MM-DD")
  .refine((s) => isValidDate(2024, Number(s.slice(0, 2)), Number(s.slice(3, 5))), "no such day");

const entryBase = {
  name: z.string().trim().min(1),
  /** The first year the holiday holds (absent: in force for every year the bot handles). */
  from: YearSchema.optional(),
  /** The last year it held (absent: still in force). */
  until: YearSchema.optional(),
  /** A holiday on a Saturday or Sunday gives the next working day off (false: 7 January, Kurban Ait). */
  movesOffWeekend: z.boolean(),
};

export const HolidayLawEntrySchema = z.union([
  z.object({ ...entryBase, monthDay: MonthDaySchema }).strict(),
  /** A lunar holiday: its date is set yearly, so each year's table gives it (`kurbanAit`). */
  z.object({ ...entryBase, lunar: z.literal("kurbanAit") }).strict(),
]);
export type HolidayLawEntry = z.infer<typeof HolidayLawEntrySchema>;

export const HolidayLawSchema = z
  .object({
    status: DataStatusSchema,
    sources: z.array(SourceSchema).min(1),
    note: z.string().optional(),
    holidays: z.array(HolidayLawEntrySchema).min(1),
  })
  .superRefine((law, ctx) => {
    law.holidays.forEach((h, i) => {
      if (h.from !== undefined && h.until !== undefined && h.from > h.until)
        ctx.addIssue({ code: "custom", path: ["holidays", i, "until"], message: "ends before it starts" });
    });
  });
export type HolidayLaw = z.infer<typeof HolidayLawSchema>;

/** The law's entries in force in `year`. */
export function holidaysInForce(law: HolidayLaw, year: number): HolidayLawEntry[] {
  return law.holidays.filter((h) => (h.from ?? -Infinity) <= year && year <= (h.until ?? Infinity));
}

/**
 * R10: the table the law implies for a year: its holidays (Kurban Ait when its date is given) and, for each holiday
 * on a Saturday or Sunday that moves off a weekend, a day off on the next working day. Decree transfers are not
 * knowable: data only. Used to check the shipped tables and as the fallback for a year without one.
 */
export function statutoryHolidayYear(
  year: number,
  law: HolidayLaw,
  kurbanAit: IsoDate | null,
): { date: IsoDate; kind: "holiday" | "transferred_day_off" }[] {
  const holidays: { date: IsoDate; moves: boolean }[] = [];
  for (const h of holidaysInForce(law, year)) {
    const date = "monthDay" in h ? `${year}-${h.monthDay}` : kurbanAit;
    // 29 February in a common year, or a lunar holiday without its date: nothing that year.
    if (date === null || !isValidDate(year, Number(date.slice(5, 7)), Number(date.slice(8, 10)))) continue;
    holidays.push({ date, moves: h.movesOffWeekend });
  }
  holidays.sort((a, b) => (a.date < b.date ? -1 : 1));
  const holidaySet = new Set(holidays.map((h) => h.date));
  const transferred = new Set<IsoDate>();
  for (const h of holidays) {
    if (!isWeekend(h.date) || !h.moves) continue;
    let d = addDays(h.date, 1);
    while (isWeekend(d) || holidaySet.has(d) || transferred.has(d)) d = addDays(d, 1);
    transferred.add(d);
  }
  return [
    ...[...holidaySet].map((date) => ({ date, kind: "holiday" as const })),
    ...[...transferred].map((date) => ({ date, kind: "transferred_day_off" as const })),
  ].sort((a, b) => (a.date < b.date ? -1 : 1));
}
