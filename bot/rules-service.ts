import type { Db } from "../data/db.js";
import {
  loadHolidayCalendar,
  loadHolidayLaw,
  loadHolidayYears,
  policyForYear,
} from "../data/datasets/load-rules-data.js";
import { StoredPolicySchema } from "../data/datasets/policy-overrides.js";
import { getSetting, settingsWithPrefix } from "../data/repositories/settings.js";
import {
  addDays,
  almatyDate,
  buildWorkingCalendar,
  HolidayYearSchema,
  missingHolidayYears,
  type HolidayYear,
  type Policy,
  type WorkingCalendar,
} from "../rules/index.js";
import type { PinnedReads } from "../data/shared-reads.js";
import type { Logger } from "./logger.js";

/**
 * Policy and working-day calendar for the bot: the shipped per-year data, with admins' overrides from settings
 * (a year's policy, a year's holiday table), read on every evaluation so a change applies to the next one.
 */
export interface RulesService {
  /** The policy of now's Almaty year; `calendar`, when the caller has read it already, is not read again. */
  policyFor(now: Date, calendar?: WorkingCalendar): Promise<Policy>;
  /** A year's policy: the admin's override, else the shipped file (or its provisional stand-in). */
  policyOf(year: number): Promise<Policy>;
  /** A year's holiday table in force: the admin's, else the shipped one; undefined = the holiday law only. */
  holidayTable(year: number): Promise<HolidayYear | undefined>;
  /** R10: the calendar of the shipped tables with the admins' tables in their years' place. */
  calendar(): Promise<WorkingCalendar>;
}

export function policyKey(year: number): string {
  return `policy:${year}`;
}

const HOLIDAYS_PREFIX = "holidays:";

/** An admin's holiday table for a year (settings), which replaces the shipped one for that year. */
export function holidaysKey(year: number): string {
  return `${HOLIDAYS_PREFIX}${year}`;
}

/** Decisions are due within days; a month ahead covers any policy's decisionWorkingDays across New Year. */
const LOOKAHEAD_DAYS = 31;

/**
 * R10: a year without a holiday table makes due dates provisional (no Kurban Ait, no decrees): say so in the log,
 * once per year and process, with the year only (decisions carry the note decision_due_provisional).
 */
export function calendarGapWarner(
  log: Pick<Logger, "warn"> | undefined,
): (now: Date, calendar: WorkingCalendar) => void {
  const warned = new Set<number>();
  return (now, calendar) => {
    const today = almatyDate(now);
    for (const year of missingHolidayYears(today, addDays(today, LOOKAHEAD_DAYS), calendar)) {
      if (warned.has(year)) continue;
      warned.add(year);
      log?.warn(
        { year },
        "holiday table missing: due dates that year ignore Kurban Ait and decrees; add data/datasets/holidays/<year>.json",
      );
    }
  };
}

/** The admins' holiday tables that validate and sit under their own year's key; others are ignored. */
function overrideTables(rows: readonly { key: string; value: string }[]): HolidayYear[] {
  return rows.flatMap(({ key, value }) => {
    try {
      const table = HolidayYearSchema.safeParse(JSON.parse(value));
      return table.success && holidaysKey(table.data.year) === key ? [table.data] : [];
    } catch {
      return [];
    }
  });
}

export function createRulesService(db: Db, log?: Pick<Logger, "warn">): RulesService {
  const shipped = loadHolidayCalendar();
  const checkCalendar = calendarGapWarner(log);
  // This bot's calendar, rebuilt only when the admins' tables change (their stored text is the signature).
  let built: { signature: string; calendar: WorkingCalendar } = { signature: "", calendar: shipped };

  async function calendar(): Promise<WorkingCalendar> {
    const rows = await settingsWithPrefix(db, HOLIDAYS_PREFIX);
    const signature = rows.map((r) => `${r.key}\n${r.value}`).join("\n");
    if (signature !== built.signature) {
      const own = overrideTables(rows);
      const years = new Set(own.map((t) => t.year));
      const tables = [...loadHolidayYears().filter((t) => !years.has(t.year)), ...own];
      built = { signature, calendar: own.length ? buildWorkingCalendar(tables, loadHolidayLaw()) : shipped };
    }
    return built.calendar;
  }

  async function policyOf(year: number): Promise<Policy> {
    return (await getSetting(db, policyKey(year), StoredPolicySchema)) ?? policyForYear(year);
  }

  return {
    policyOf,
    calendar,
    async policyFor(now, known) {
      checkCalendar(now, known ?? (await calendar()));
      return policyOf(Number(almatyDate(now).slice(0, 4)));
    },
    async holidayTable(year) {
      const own = await getSetting(db, holidaysKey(year), HolidayYearSchema);
      if (own?.year === year) return own;
      return loadHolidayYears().find((t) => t.year === year);
    },
  };
}

/**
 * One update's view of the rules (bot/middleware/dedupe.ts): the policy in force and the calendar are read at most
 * once per update, however many questions, checks and replays ask for them. With the bot's kept reads, they are read
 * once per change of the settings instead: every admin's change raises the settings' counter, and the first update
 * after it reads them again. A year's policy and holiday table as such (what the admins' screens show and compare
 * against before writing) are read afresh each time.
 */
export function rulesForOneUpdate(inner: RulesService, kept?: PinnedReads): RulesService {
  const values = new Map<string, Promise<unknown>>();
  const once = <T>(key: string, read: () => Promise<T>): Promise<T> => {
    if (kept) return kept.read("settings", key, read);
    let p = values.get(key) as Promise<T> | undefined;
    if (!p) {
      p = read();
      values.set(key, p);
      // A failed read is not kept: the next caller tries again.
      const failed = p;
      void p.catch(() => values.get(key) === failed && values.delete(key));
    }
    return p;
  };
  const service: RulesService = {
    policyOf: (year) => inner.policyOf(year),
    holidayTable: (year) => inner.holidayTable(year),
    calendar: () => once("calendar", () => inner.calendar()),
    policyFor(now) {
      // The update's calendar, read once, serves the policy's check too.
      return once(`policy:${almatyDate(now).slice(0, 4)}`, async () => inner.policyFor(now, await service.calendar()));
    },
  };
  return service;
}
