/**
 * Russian forms of dates inside a sentence. A date written with digits reads the same after "с", "до", "по", "к"
 * or "не позднее": the month stays in the genitive ("с 1 сентября", "до 1 ноября 2026 г."), so the case lives in
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

/** "1 сентября" or "1 сентября 2026 г.". */
export function ruDate(year: number, month: number, day: number, withYear: boolean): string {
  return `${day} ${RU_MONTHS_GENITIVE[month - 1] ?? ""}${withYear ? ` ${year} г.` : ""}`;
}
