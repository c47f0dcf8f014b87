import { almatyMinutes } from "../../../rules/index.js";

// People are not messaged at night: a send outside 09:00–21:00 Almaty (R17: UTC+5) asks the operator to confirm.
export const QUIET_FROM = 21 * 60;
export const QUIET_UNTIL = 9 * 60;
const OFFSET_MS = 5 * 3600_000;

const hhmm = (minutes: number) =>
  `${String(Math.floor(minutes / 60)).padStart(2, "0")}:${String(minutes % 60).padStart(2, "0")}`;
/** The quiet hours as the texts show them. */
export const QUIET_HOURS = { from: hhmm(QUIET_FROM), until: hhmm(QUIET_UNTIL) };

/** True when this instant falls in Almaty's night (21:00 up to 09:00). */
export function isQuietHour(iso: string): boolean {
  const m = almatyMinutes(new Date(iso));
  return m >= QUIET_FROM || m < QUIET_UNTIL;
}

/** The first 09:00 Almaty at or after this instant (the same morning before 09:00, the next one after 21:00). */
export function nextMorning(iso: string): string {
  const at = new Date(iso).getTime();
  const local = new Date(at + OFFSET_MS);
  const morning =
    Date.UTC(local.getUTCFullYear(), local.getUTCMonth(), local.getUTCDate()) + QUIET_UNTIL * 60_000 - OFFSET_MS;
  return new Date(morning >= at ? morning : morning + 24 * 3600_000).toISOString();
}
