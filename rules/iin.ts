import { almatyDate, formatDate, isValidDate, splitDate, type IsoDate } from "./dates.js";

export type IinError = "length" | "not_digits" | "century" | "date" | "checksum";
export type IinResult = { ok: true; birthDate: IsoDate; sex: "male" | "female" } | { ok: false; error: IinError };

/** R11: from this age people apply for themselves. */
export const ADULT_AGE = 18;

const SECOND_PASS_WEIGHTS = [3, 4, 5, 6, 7, 8, 9, 10, 11, 1, 2] as const;

/**
 * R18: the check digit of an IIN (or a BIN, same algorithm), from its first 11 digits; null when both weight
 * passes give 10, which makes the number invalid whatever its last digit.
 */
export function iinCheckDigit(first11: readonly number[]): number | null {
  const first = first11.reduce((sum, d, i) => sum + d * (i + 1), 0) % 11;
  if (first !== 10) return first;
  const second = first11.reduce((sum, d, i) => sum + d * (SECOND_PASS_WEIGHTS[i] ?? 0), 0) % 11;
  return second === 10 ? null : second;
}

/**
 * R18: validates an IIN and reads its birth date and sex. Digit 7 gives century and sex (1/2 = 1800s, 3/4 = 1900s,
 * 5/6 = 2000s; odd = male). With `now`, a birth date after now's Almaty day is rejected as impossible.
 */
export function parseIin(iin: string, now?: Date): IinResult {
  if (iin.length !== 12) return { ok: false, error: "length" };
  if (!/^\d{12}$/.test(iin)) return { ok: false, error: "not_digits" };
  const digits = [...iin].map(Number);
  const centuryDigit = digits[6] ?? 0;
  if (centuryDigit < 1 || centuryDigit > 6) return { ok: false, error: "century" };
  const century = 1800 + Math.floor((centuryDigit - 1) / 2) * 100;
  const year = century + Number(iin.slice(0, 2));
  const month = Number(iin.slice(2, 4));
  const day = Number(iin.slice(4, 6));
  // Leap years matter: 000229 is real in 2000 (digit 5/6) but not in 1900 (digit 3/4).
  if (!isValidDate(year, month, day)) return { ok: false, error: "date" };
  const birthDate = formatDate(year, month, day);
  if (now && birthDate > almatyDate(now)) return { ok: false, error: "date" };
  if (iinCheckDigit(digits.slice(0, 11)) !== digits[11]) return { ok: false, error: "checksum" };
  return { ok: true, birthDate, sex: centuryDigit % 2 === 1 ? "male" : "female" };
}

/** The IIN is personal data: shown as "9001•••••123" (first 4 and last 3 kept), never logged in full. */
/**
 * R18: the IIN beside its birth date (a staff card, an export): the birth date already gives digits 1–6, so only the
 * last two are shown. Digits 7–10 stay hidden: with the check digit shown, about 200 IINs fit, instead of the 20
 * that the first four and last three digits beside a birth date leave.
 */
export function maskIinBesideBirthDate(iin: string): string {
  if (iin.length <= 2) return "•".repeat(iin.length);
  return `${"•".repeat(iin.length - 2)}${iin.slice(-2)}`;
}

export function maskIin(iin: string): string {
  if (iin.length <= 7) return "•".repeat(iin.length);
  return `${iin.slice(0, 4)}${"•".repeat(iin.length - 7)}${iin.slice(-3)}`;
}

/** Full years on now's Almaty day (R17). Someone born on 29 Feb turns a year older on 1 Mar in common years. */
export function ageOn(birthDate: IsoDate, now: Date | IsoDate): number {
  const today = typeof now === "string" ? now : almatyDate(now);
  const b = splitDate(birthDate);
  const t = splitDate(today);
  const hadBirthday = t.m > b.m || (t.m === b.m && t.d >= b.d);
  return t.y - b.y - (hadBirthday ? 0 : 1);
}

/** R11: under 18 on now's Almaty day → a child, attached by a parent or legal representative. */
export function isChild(birthDate: IsoDate, now: Date | IsoDate): boolean {
  return ageOn(birthDate, now) < ADULT_AGE;
}
