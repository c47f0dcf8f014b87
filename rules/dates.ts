// R17: all of Kazakhstan is on UTC+5 (Asia/Almaty) since 1 Mar 2024, with no DST, so a fixed offset is exact.
// Calendar days travel as "YYYY-MM-DD" strings; instants as Date (or ISO strings in zod inputs).
const ALMATY_OFFSET_MS = 5 * 60 * 60 * 1000;
const DAY_MS = 24 * 60 * 60 * 1000;

export type IsoDate = string;

/** The Almaty calendar day of an instant (R17). */
export function almatyDate(instant: Date): IsoDate {
  return new Date(instant.getTime() + ALMATY_OFFSET_MS).toISOString().slice(0, 10);
}

/** Minutes since Almaty midnight of an instant (R10 compares it with the end of the working day). */
export function almatyMinutes(instant: Date): number {
  const shifted = new Date(instant.getTime() + ALMATY_OFFSET_MS);
  return shifted.getUTCHours() * 60 + shifted.getUTCMinutes();
}

/** Accepts a Date or an ISO instant string; throws on garbage because a silent NaN date would poison every rule. */
export function toInstant(value: Date | string): Date {
  const d = typeof value === "string" ? new Date(value) : value;
  if (Number.isNaN(d.getTime())) throw new RangeError(`not an instant: ${String(value)}`);
  return d;
}

export function isValidDate(y: number, m: number, d: number): boolean {
  if (!Number.isInteger(y) || !Number.isInteger(m) || !Number.isInteger(d)) return false;
  if (m < 1 || m > 12 || d < 1) return false;
  return d <= daysInMonth(y, m);
}

export function daysInMonth(y: number, m: number): number {
  return new Date(Date.UTC(y, m, 0)).getUTCDate();
}

export function isLeapYear(y: number): boolean {
  return (y % 4 === 0 && y % 100 !== 0) || y % 400 === 0;
}

export function formatDate(y: number, m: number, d: number): IsoDate {
  return `${String(y).padStart(4, "0")}-${String(m).padStart(2, "0")}-${String(d).padStart(2, "0")}`;
}

export function splitDate(date: IsoDate): { y: number; m: number; d: number } {
  const [y, m, d] = date.split("-").map(Number);
  return { y: y ?? NaN, m: m ?? NaN, d: d ?? NaN };
}

export function yearOf(date: IsoDate): number {
  return Number(date.slice(0, 4));
}

function toUtcMs(date: IsoDate): number {
  const { y, m, d } = splitDate(date);
  return Date.UTC(y, m - 1, d);
}

export function addDays(date: IsoDate, days: number): IsoDate {
  return new Date(toUtcMs(date) + days * DAY_MS).toISOString().slice(0, 10);
}

/** 0 = Sunday … 6 = Saturday. */
export function weekday(date: IsoDate): number {
  return new Date(toUtcMs(date)).getUTCDay();
}

export function isWeekend(date: IsoDate): boolean {
  const w = weekday(date);
  return w === 0 || w === 6;
}

/** "HH:MM" → minutes since midnight. */
export function minutesOf(hhmm: string): number {
  const [h, m] = hhmm.split(":").map(Number);
  return (h ?? 0) * 60 + (m ?? 0);
}
