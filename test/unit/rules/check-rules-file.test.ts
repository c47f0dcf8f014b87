import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { checkRulesFile } from "../../../data/datasets/check-rules-file.js";
import { jsonLines } from "../../../data/datasets/json-lines.js";
import { loadHolidayYears } from "../../../data/datasets/load-rules-data.js";
import { law } from "./helpers.js";

const shipped = (path: string) => readFileSync(new URL(`../../../data/datasets/${path}`, import.meta.url), "utf8");
const edit = (path: string, change: (data: Record<string, unknown>) => void): string => {
  const data = JSON.parse(shipped(path)) as Record<string, unknown>;
  change(data);
  return JSON.stringify(data, null, 2);
};

describe("policy and holiday files are checked whole, every problem with its line", () => {
  it.each([
    ["policy/2025.json", "policy"],
    ["policy/2026.json", "policy"],
    ["policy/2027.json", "policy"],
    ["holidays/2025.json", "holidays"],
    ["holidays/2026.json", "holidays"],
    ["holidays/2027.json", "holidays"],
    ["holidays/statutory.json", "holiday_law"],
  ])("R7–R12, R10: the shipped %s passes as a %s", (path, kind) => {
    expect(checkRulesFile(shipped(path), { fileName: path })).toMatchObject({ ok: true, kind });
  });

  it("R7, R9: a policy with several errors is refused with each one, its path and its line", () => {
    const text = edit("policy/2027.json", (p) => {
      p.freeChangesPerYear = -1;
      (p.groundsOutsideCampaign as string[]).push("vacation");
      delete p.status;
    });
    const r = checkRulesFile(text, { fileName: "2027.json" });
    expect(r.ok).toBe(false);
    if (r.ok) return;
    const lines = text.split("\n");
    const lineOfKey = (key: string) => lines.findIndex((l) => l.includes(`"${key}"`)) + 1;
    expect(r.problems.map((p) => [p.path, p.line])).toEqual([
      ["status", 1],
      ["freeChangesPerYear", lineOfKey("freeChangesPerYear")],
      ["groundsOutsideCampaign.5", lineOfKey("groundsOutsideCampaign") + 6],
    ]);
    expect(r.problems[0]?.message).toMatch(/^missing/);
    expect(lines[(r.problems[2]?.line ?? 0) - 1]).toContain('"vacation"');
  });

  it("R7: the file named for a year must hold that year's policy", () => {
    const r = checkRulesFile(shipped("policy/2026.json"), { fileName: "data/datasets/policy/2027.json" });
    expect(r).toMatchObject({ ok: false, problems: [{ path: "year", line: 2 }] });
  });

  it("R10: a holiday table that leaves out a holiday of the law, or adds one, is refused with the day's line", () => {
    const text = edit("holidays/2027.json", (t) => {
      const days = t.days as { date: string; kind: string }[];
      t.days = [...days.filter((d) => d.date !== "2027-03-15"), { date: "2027-08-30", kind: "holiday" }];
    });
    const r = checkRulesFile(text, { fileName: "2027.json", law });
    expect(r.ok).toBe(false);
    if (r.ok) return;
    expect(r.problems.map((p) => p.message)).toEqual([
      "the holiday law makes 2027-03-15 a holiday; the table does not list it",
      "2027-08-30 is no holiday in the holiday law in force in 2027",
    ]);
    expect(text.split("\n")[(r.problems[1]?.line ?? 0) - 1]).toContain("{");
    expect(r.problems[1]?.path).toBe("days.18");
  });

  it("R10: a law that would leave a shipped table wrong is refused (30 August back in 2026)", () => {
    const text = edit("holidays/statutory.json", (l) => {
      for (const h of l.holidays as { monthDay?: string; until?: number }[]) if (h.monthDay === "08-30") delete h.until;
    });
    const r = checkRulesFile(text, { tables: loadHolidayYears() });
    expect(r.ok).toBe(false);
    if (r.ok) return;
    expect(r.problems.map((p) => p.message)).toContain(
      "the 2026 table would no longer follow this law: the holiday law makes 2026-08-30 a holiday; the table does not list it",
    );
  });

  it("broken JSON is refused with the line of the break; an unknown document says what it is not", () => {
    expect(checkRulesFile('{\n  "year": 2027,\n  "campaign": null\n  "status": "x"\n}')).toMatchObject({
      ok: false,
      problems: [{ line: 4, message: expect.stringMatching(/^not valid JSON/) as string }],
    });
    expect(checkRulesFile("[1, 2]")).toMatchObject({
      ok: false,
      problems: [{ path: "", message: expect.stringMatching(/not a policy/) as string }],
    });
  });

  it("jsonLines finds every value's line, nested and in arrays", () => {
    const lines = jsonLines('{\n "a": [\n  1,\n  { "b": "x\\"y" }\n ],\n "c": null\n}');
    expect(Object.fromEntries(lines)).toEqual({ "": 1, a: 2, "a.0": 3, "a.1": 4, "a.1.b": 4, c: 6 });
    expect(() => jsonLines('{ "a": 1, }')).toThrow(/property name/);
    expect(() => jsonLines('{ "a": 01 }')).toThrow();
  });
});
