import { readdirSync, readFileSync } from "node:fs";
import {
  buildWorkingCalendar,
  HolidayLawSchema,
  HolidayYearSchema,
  parsePolicy,
  type HolidayLaw,
  type HolidayYear,
  type Policy,
  type WorkingCalendar,
} from "../../rules/index.js";

// The shipped per-year policy (R7–R13), working-day tables and the holiday law (R10), validated by the rules'
// schemas. A malformed file throws at load with the file name: better than a silently wrong deadline.

const policyDir = new URL("./policy/", import.meta.url);
const holidayDir = new URL("./holidays/", import.meta.url);
/** The holiday law in force (which days, from which year, which move off a weekend). */
export const HOLIDAY_LAW_FILE = new URL("./holidays/statutory.json", import.meta.url);

function yearFiles(dir: URL): { year: number; url: URL }[] {
  return readdirSync(dir)
    .filter((f) => /^\d{4}\.json$/.test(f))
    .map((f) => ({ year: Number(f.slice(0, 4)), url: new URL(f, dir) }))
    .sort((a, b) => a.year - b.year);
}

function readJson(url: URL): unknown {
  return JSON.parse(readFileSync(url, "utf8")) as unknown;
}

function withFile<T>(url: URL, parse: () => T): T {
  try {
    return parse();
  } catch (err) {
    throw new Error(`${url.pathname}: ${err instanceof Error ? err.message : String(err)}`, { cause: err });
  }
}

// module-state: shipped files do not change while the process runs, so they are read once; nothing else is kept.
let policies: Map<number, Policy> | undefined;
let calendar: WorkingCalendar | undefined;
let law: HolidayLaw | undefined;

/** Every shipped policy, by the year it governs. */
export function loadPolicies(): Map<number, Policy> {
  policies ??= new Map(
    yearFiles(policyDir).map(({ year, url }) => [year, withFile(url, () => parsePolicy(readJson(url), year))]),
  );
  return policies;
}

/**
 * The shipped policy for a year. A year without a file takes the latest earlier one (or the earliest we have) as
 * its provisional policy: nothing about a year without its own data is confirmed, and no campaign is announced for
 * it (R7: a campaign copied from another year would be announced as fact).
 */
export function policyForYear(year: number): Policy {
  const all = loadPolicies();
  const own = all.get(year);
  if (own) return own;
  const years = [...all.keys()];
  const pick = years.filter((y) => y <= year).at(-1) ?? years[0];
  const policy = pick === undefined ? undefined : all.get(pick);
  if (!policy) throw new Error("no attachment policy is shipped in data/datasets/policy/");
  return {
    ...policy,
    year,
    status: "provisional",
    campaign: null,
    note: `No policy file for ${year}: the ${pick} policy without a campaign, provisional.`,
  };
}

/** The holiday law (data/datasets/holidays/statutory.json). */
export function loadHolidayLaw(): HolidayLaw {
  law ??= withFile(HOLIDAY_LAW_FILE, () => HolidayLawSchema.parse(readJson(HOLIDAY_LAW_FILE)));
  return law;
}

export function loadHolidayYears(): HolidayYear[] {
  return yearFiles(holidayDir).map(({ year, url }) =>
    withFile(url, () => {
      const table = HolidayYearSchema.parse(readJson(url));
      if (table.year !== year) throw new Error(`table for ${table.year} in the file for ${year}`);
      return table;
    }),
  );
}

/** The working-day calendar built from every shipped year and the holiday law (R10). */
export function loadHolidayCalendar(): WorkingCalendar {
  calendar ??= buildWorkingCalendar(loadHolidayYears(), loadHolidayLaw());
  return calendar;
}

/** Names the bot already uses. */
export const shippedPolicies = loadPolicies;
export const holidayCalendar = loadHolidayCalendar;
