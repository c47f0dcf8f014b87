import { readdirSync, readFileSync } from "node:fs";
import { buildWorkingCalendar, HolidayYearSchema, parsePolicy, type HolidayYear, type Policy, type WorkingCalendar } from "../../rules/index.js";

// The shipped per-year policy (domain §2) and working-day tables (domain §4, R10), validated by the rules' schemas.
// A malformed file throws at load with the file name: better than a silently wrong deadline.

const policyDir = new URL("./policy/", import.meta.url);
const holidayDir = new URL("./holidays/", import.meta.url);

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

let policies: Map<number, Policy> | undefined;
let calendar: WorkingCalendar | undefined;

/** Every shipped policy, by the year it governs. */
export function loadPolicies(): Map<number, Policy> {
  policies ??= new Map(yearFiles(policyDir).map(({ year, url }) => [year, withFile(url, () => parsePolicy(readJson(url), year))]));
  return policies;
}

/** The shipped policy for a year; a year without a file uses the latest earlier one (or the earliest we have). */
export function policyForYear(year: number): Policy {
  const all = loadPolicies();
  const years = [...all.keys()];
  const pick = years.filter((y) => y <= year).at(-1) ?? years[0];
  const policy = pick === undefined ? undefined : all.get(pick);
  if (!policy) throw new Error("no attachment policy is shipped in data/datasets/policy/");
  return policy;
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

/** The working-day calendar built from every shipped year (R10). */
export function loadHolidayCalendar(): WorkingCalendar {
  calendar ??= buildWorkingCalendar(loadHolidayYears());
  return calendar;
}

/** Names the bot already uses. */
export const shippedPolicies = loadPolicies;
export const holidayCalendar = loadHolidayCalendar;
