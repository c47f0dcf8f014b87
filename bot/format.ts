/** Almaty calendar date "YYYY-MM-DD" shown as "DD.MM.YYYY" (the form used on both languages' documents). */
export function formatDate(isoDate: string | null | undefined): string {
  if (!isoDate) return "—";
  const m = /^(\d{4})-(\d{2})-(\d{2})/.exec(isoDate);
  return m ? `${m[3]}.${m[2]}.${m[1]}` : isoDate;
}

const ALMATY_OFFSET_MS = 5 * 3600_000; // R17: UTC+5 all year

/** An instant shown in Almaty time: "DD.MM.YYYY HH:MM". */
export function formatInstant(iso: string | null | undefined): string {
  if (!iso) return "—";
  const d = new Date(new Date(iso).getTime() + ALMATY_OFFSET_MS);
  const p = (n: number) => String(n).padStart(2, "0");
  return `${p(d.getUTCDate())}.${p(d.getUTCMonth() + 1)}.${d.getUTCFullYear()} ${p(d.getUTCHours())}:${p(d.getUTCMinutes())}`;
}
