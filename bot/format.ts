import { almatyDate, almatyMinutes } from "../rules/index.js";

/** Almaty calendar date "YYYY-MM-DD" shown as "DD.MM.YYYY" (the form used on both languages' documents). */
export function formatDate(isoDate: string | null | undefined): string {
  if (!isoDate) return "—";
  const m = /^(\d{4})-(\d{2})-(\d{2})/.exec(isoDate);
  return m ? `${m[3]}.${m[2]}.${m[1]}` : isoDate;
}

/** An instant shown in Almaty time (R17, the rules' own conversion): "DD.MM.YYYY HH:MM". */
export function formatInstant(iso: string | null | undefined): string {
  if (!iso) return "—";
  const at = new Date(iso);
  if (Number.isNaN(at.getTime())) return "—";
  const minutes = almatyMinutes(at);
  const p = (n: number) => String(n).padStart(2, "0");
  return `${formatDate(almatyDate(at))} ${p(Math.floor(minutes / 60))}:${p(minutes % 60)}`;
}

// Telegram's limits for a message's text and a media caption (characters after entities parsing).
export const TEXT_LIMIT = 4096;
export const CAPTION_LIMIT = 1024;
