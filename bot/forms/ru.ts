/**
 * Russian forms of dates inside a sentence. A date written with digits reads the same after "с", "до", "по", "к"
 * or "не позднее": the month stays in the genitive ("с 1 сентября", "до 1 ноября 2026 года"), so the case lives in
 * the preposition the text writes. Counted nouns take their plural form from i18next's `_one/_few/_many` keys.
 */

export const RU_MONTHS_GENITIVE = [
  "января",
  "февраля",
  "марта",
  "апреля",
  "мая",
  "июня",
  "июля",
  "августа",
  "сентября",
  "октября",
  "ноября",
  "декабря",
] as const;

/** "1 сентября" or "1 сентября 2026 года" (the word, not "г.": a sentence's own full stop follows many dates). */
export function ruDate(year: number, month: number, day: number, withYear: boolean): string {
  return `${day} ${RU_MONTHS_GENITIVE[month - 1] ?? ""}${withYear ? ` ${year} года` : ""}`;
}
