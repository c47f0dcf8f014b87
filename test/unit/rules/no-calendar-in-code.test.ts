import { readdirSync, readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { calendarLiterals } from "./calendar-literals.js";

const rulesDir = new URL("../../../rules/", import.meta.url);
const sources = readdirSync(rulesDir)
  .filter((f) => f.endsWith(".ts"))
  .map((f) => ({ file: f, text: readFileSync(new URL(f, rulesDir), "utf8") }));

describe("R10: no day off (nor any calendar day) is written in rules/ code: the calendar is data", () => {
  it("R10: rules/*.ts hold no month-day literal, { month, day } object or Date built from a month and day", () => {
    expect(sources.length).toBeGreaterThan(10);
    const found = sources.flatMap(({ file, text }) =>
      calendarLiterals(text, file).map((l) => `rules/${file}:${l.line}: ${l.text}`),
    );
    expect(found).toEqual([]);
  });

  it("R10: a holiday list planted into rules/working-days.ts is caught, with its line", () => {
    const real = sources.find((s) => s.file === "working-days.ts")?.text ?? "";
    const lines = real.split("\n").length;
    const planted = `${real}\nexport const FIXED_HOLIDAYS = ["01-01", "01-07", "08-30", "12-16"] as const;\n`;
    expect(calendarLiterals(planted, "working-days.ts")).toEqual(
      ["01-01", "01-07", "08-30", "12-16"].map((md) => ({ line: lines + 1, text: `"${md}"` })),
    );
  });

  it.each([
    ["one ISO day", 'if (date === "2027-03-15") return false;'],
    ["a template with a year", "const constitution = `${year}-08-30`;"],
    ["a set of days", 'const NOT_TRANSFERRED = new Set<string>(["01-07"]);'],
    ["a { month, day } object", "const day = { month: 8, day: 30 };"],
    ["{ m, d } shorthand numbers", "holidays.push({ m: 3, d: 15 });"],
    ["new Date with month and day", "const d = new Date(2027, 2, 15);"],
    ["Date.UTC", "const ms = Date.UTC(year, 7, 30);"],
    ["formatDate", "const day = formatDate(year, 8, 30);"],
    ["day.month text", 'const label = "30.08";'],
    ["a day and a month name", 'const name = "30 августа";'],
    ["Kazakh month name", 'const name = "15 наурыз";'],
  ])("R10: a planted example is caught — %s", (_label, code) => {
    expect(calendarLiterals(code)).toHaveLength(1);
  });

  it("R10: code without calendar days passes: comments, times, regexes, data-driven templates", () => {
    const clean = [
      "// 30 August was Constitution Day until 2025: data/datasets/holidays/statutory.json says so",
      "/** a window like 09-01 … 11-01 comes from the policy */",
      'const end = "18:00";',
      "const re = /^\\d{2}-\\d{2}$/;",
      'const msg = "MM-DD";',
      "const date = `${year}-${entry.monthDay}`;",
      "const max = z.number().int().min(1).max(30);",
      "const day = addDays(date, 1);",
      "const x = isValidDate(2024, Number(s.slice(0, 2)), Number(s.slice(3, 5)));",
    ].join("\n");
    expect(calendarLiterals(clean)).toEqual([]);
  });
});
