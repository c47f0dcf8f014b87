import { basename } from "node:path";
import type { z } from "zod";
import {
  HolidayLawSchema,
  HolidayYearSchema,
  isWeekend,
  PolicySchema,
  statutoryHolidayYear,
  type HolidayLaw,
  type HolidayYear,
  type Policy,
} from "../../rules/index.js";
import { JsonSyntaxError, jsonLines, lineOf } from "./json-lines.js";
import { loadHolidayLaw, loadHolidayYears } from "./load-rules-data.js";

// One check for a policy file, a year's holiday table or the holiday law, used by `npm run policy -- check` (and
// meant for a file an admin sends): the rules' own zod schemas, plus the checks the loader and the tests make.
// All or nothing: a file with any problem is not accepted, and every problem found is listed with its line.

export type RulesFileKind = "policy" | "holidays" | "holiday_law";

export interface RulesFileProblem {
  /** Dotted path in the file ("days.3.date"; "" = the whole file). */
  path: string;
  line?: number;
  message: string;
}

export type RulesFileCheck =
  | { ok: true; kind: "policy"; policy: Policy }
  | { ok: true; kind: "holidays"; table: HolidayYear }
  | { ok: true; kind: "holiday_law"; law: HolidayLaw }
  | { ok: false; kind?: RulesFileKind; problems: RulesFileProblem[] };

export interface CheckOptions {
  /** The file's name: "2027.json" must hold the year 2027. */
  fileName?: string;
  /** The law a holiday table must follow (default: the shipped one). */
  law?: HolidayLaw;
  /** The tables a law must keep valid (default: the shipped ones). */
  tables?: readonly HolidayYear[];
}

/** Which of the three a parsed file is, by its fields. */
function kindOf(data: unknown): RulesFileKind | undefined {
  if (typeof data !== "object" || data === null || Array.isArray(data)) return undefined;
  if ("holidays" in data) return "holiday_law";
  if ("days" in data) return "holidays";
  if ("campaign" in data || "freeChangesPerYear" in data || "groundsOutsideCampaign" in data) return "policy";
  return undefined;
}

/** R10: a table must be the law's table for its year plus transfer entries (the check of the shipped data). */
export function tableAgainstLaw(table: HolidayYear, law: HolidayLaw): { index?: number; message: string }[] {
  const out: { index?: number; message: string }[] = [];
  const statutory = statutoryHolidayYear(table.year, law, table.kurbanAit);
  const byDate = new Map(table.days.map((d, index) => [d.date, { kind: d.kind, index }]));
  for (const s of statutory) {
    const have = byDate.get(s.date);
    if (!have) out.push({ message: `the holiday law makes ${s.date} a ${s.kind}; the table does not list it` });
    else if (have.kind !== s.kind)
      out.push({ index: have.index, message: `the holiday law makes ${s.date} a ${s.kind}, not a ${have.kind}` });
  }
  const lawDays = new Set(statutory.map((s) => s.date));
  table.days.forEach((d, index) => {
    if (lawDays.has(d.date)) return;
    if (d.kind === "holiday")
      out.push({ index, message: `${d.date} is no holiday in the holiday law in force in ${table.year}` });
    else if (d.kind === "transferred_day_off" && isWeekend(d.date))
      out.push({ index, message: `${d.date} is a weekend day: a transferred day off falls on a weekday` });
  });
  return out;
}

export function checkRulesFile(text: string, opts: CheckOptions = {}): RulesFileCheck {
  let lines: Map<string, number>;
  let data: unknown;
  try {
    lines = jsonLines(text);
    data = JSON.parse(text.replace(/^\uFEFF/, "")) as unknown;
  } catch (err) {
    const line = err instanceof JsonSyntaxError ? err.line : undefined;
    const message = err instanceof Error ? err.message : String(err);
    return { ok: false, problems: [{ path: "", ...(line ? { line } : {}), message: `not valid JSON: ${message}` }] };
  }
  const at = (path: readonly PropertyKey[], message: string): RulesFileProblem => {
    const key = path.map(String).join(".");
    const line = lineOf(lines, path);
    // A field the file lacks has no line of its own: it is reported on its object's line, said to be missing.
    return { path: key, ...(line ? { line } : {}), message: lines.has(key) ? message : `missing: ${message}` };
  };
  const kind = kindOf(data);
  if (!kind) {
    return {
      ok: false,
      problems: [at([], "not a policy, a holiday table or the holiday law (no campaign, days or holidays field)")],
    };
  }
  const schema: z.ZodType = kind === "policy" ? PolicySchema : kind === "holidays" ? HolidayYearSchema : HolidayLawSchema;
  const parsed = schema.safeParse(data);
  if (!parsed.success) return { ok: false, kind, problems: parsed.error.issues.map((i) => at(i.path, i.message)) };

  const problems: RulesFileProblem[] = [];
  const fileYear = /^(\d{4})\.json$/.exec(basename(opts.fileName ?? ""))?.[1];
  if (kind === "policy") {
    const policy = parsed.data as Policy;
    if (fileYear && Number(fileYear) !== policy.year)
      problems.push(at(["year"], `the file ${fileYear}.json must hold the policy for ${fileYear}`));
    return problems.length ? { ok: false, kind, problems } : { ok: true, kind, policy };
  }
  if (kind === "holidays") {
    const table = parsed.data as HolidayYear;
    if (fileYear && Number(fileYear) !== table.year)
      problems.push(at(["year"], `the file ${fileYear}.json must hold the table for ${fileYear}`));
    for (const p of tableAgainstLaw(table, opts.law ?? loadHolidayLaw()))
      problems.push(at(p.index === undefined ? ["days"] : ["days", p.index], p.message));
    return problems.length ? { ok: false, kind, problems } : { ok: true, kind, table };
  }
  const law = parsed.data as HolidayLaw;
  for (const table of opts.tables ?? loadHolidayYears())
    for (const p of tableAgainstLaw(table, law))
      problems.push(at(["holidays"], `the ${table.year} table would no longer follow this law: ${p.message}`));
  return problems.length ? { ok: false, kind, problems } : { ok: true, kind, law };
}
