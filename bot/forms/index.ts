import { almatyDate, almatyMinutes } from "../../rules/index.js";
import { kkDate, kkNumber, type KkCase, type KkNumberForm } from "./kk.js";
import { ruDate } from "./ru.js";

/**
 * The formats a text may put on a variable, for dates and numbers inside sentences (one implementation per
 * language; Russian needs no case form with digits, Kazakh does):
 * - `{{x, date}}`, `{{x, date_abl}}`… a calendar day with its year: "1 сентября 2026 года" / "2026 жылғы 1 қыркүйектен";
 * - `{{x, day}}`, `{{x, day_dat}}`… the same without the year (the text names the year, or it is this year's);
 * - `{{x, time}}` an instant as its Almaty day and wall time: "15 сентября, 14:03" / "15 қыркүйек, 14:03";
 * - `{{n, num_abl}}`, `{{n, num_dat}}`, `{{n, num_poss}}`, `{{n, num_ord}}`… a number with its Kazakh ending
 *   ("3-тен", "40-қа", "2-сі", "5-ші"); Russian shows the number alone.
 * A date value is "YYYY-MM-DD" or an ISO instant (shown as its Almaty day, R17). A value that is neither (a word
 * such as "on the decision day") is shown as it is.
 */
export const CASES = ["gen", "acc", "dat", "loc", "abl", "ins"] as const satisfies readonly KkCase[];
export const NUMBER_FORMS = [...CASES, "poss", "ord"] as const satisfies readonly KkNumberForm[];

export const FORMAT_NAMES: readonly string[] = [
  "date",
  "day",
  "time",
  ...CASES.flatMap((c) => [`date_${c}`, `day_${c}`]),
  ...NUMBER_FORMS.map((f) => `num_${f}`),
];

function calendarDay(value: unknown): { y: number; m: number; d: number } | null {
  if (typeof value !== "string") return null;
  let iso = value;
  if (!/^\d{4}-\d{2}-\d{2}$/.test(value)) {
    if (!/^\d{4}-\d{2}-\d{2}T/.test(value)) return null;
    const at = new Date(value);
    if (Number.isNaN(at.getTime())) return null;
    iso = almatyDate(at);
  }
  const [y, m, d] = iso.split("-").map(Number);
  if (!y || !m || !d || m > 12 || d > 31) return null;
  return { y, m, d };
}

/** ", HH:MM" in Almaty for an instant; nothing for a bare day. */
function clock(value: unknown): string {
  if (typeof value !== "string" || !value.includes("T")) return "";
  const minutes = almatyMinutes(new Date(value));
  const p = (n: number) => String(n).padStart(2, "0");
  return `, ${p(Math.floor(minutes / 60))}:${p(minutes % 60)}`;
}

/** One value in one format for one language: what i18next calls for `{{value, format}}`. */
export function formatValue(value: unknown, format: string, lng: string | undefined): string {
  const kk = lng === "kk";
  const [kind = "", form = "nom"] = format.toLowerCase().trim().split("_");
  if (kind === "num") {
    const ok = (typeof value === "number" && Number.isFinite(value)) || (typeof value === "string" && /\d/.test(value));
    if (!ok || !kk) return String(value);
    return kkNumber(value, form as KkNumberForm);
  }
  const day = calendarDay(value);
  if (!day) return String(value);
  if (kind === "time") return `${formatValue(value, "day", lng)}${clock(value)}`;
  const withYear = kind === "date";
  return kk ? kkDate(day.y, day.m, day.d, form as KkCase, withYear) : ruDate(day.y, day.m, day.d, withYear);
}

interface FormatterHost {
  services: { formatter?: { add(name: string, fc: (value: unknown, lng: string | undefined) => string): void } };
}

/** Registers every format on an i18next instance (after init). */
export function registerForms(instance: FormatterHost): void {
  const formatter = instance.services.formatter;
  if (!formatter) throw new Error("i18next has no formatter service");
  for (const name of FORMAT_NAMES) formatter.add(name, (value, lng) => formatValue(value, name, lng));
}
