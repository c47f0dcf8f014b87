import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { loadHolidayYears } from "../../../data/datasets/load-rules-data.js";
import {
  addDays,
  almatyDate,
  buildWorkingCalendar,
  clockStartDay,
  decisionDueBy,
  isWeekend,
  isWorkingDay,
  statutoryHolidayYear,
} from "../../../rules/index.js";
import { almaty, calendar, law, policy2025, policy2026, withPolicy } from "./helpers.js";

describe("R17: Almaty calendar days (UTC+5, no DST)", () => {
  it.each([
    ["2026-03-09T18:59:59Z", "2026-03-09"],
    ["2026-03-09T19:00:00Z", "2026-03-10"],
    ["2025-12-31T19:00:00Z", "2026-01-01"],
    ["2026-06-30T19:00:00Z", "2026-07-01"], // summer: still +5, no DST
  ])("R17: %s is %s in Almaty", (instant, day) => {
    expect(almatyDate(new Date(instant))).toBe(day);
  });
});

describe("R10: the 2026 calendar matches the published one exactly (no Constitution Day: 30 and 31 August working)", () => {
  const listed = [
    "2026-01-01",
    "2026-01-02",
    "2026-01-03",
    "2026-01-04",
    "2026-01-07",
    "2026-03-09",
    "2026-03-21",
    "2026-03-22",
    "2026-03-23",
    "2026-03-24",
    "2026-03-25",
    "2026-05-01",
    "2026-05-07",
    "2026-05-11",
    "2026-05-27",
    "2026-07-06",
    "2026-10-26",
    "2026-12-16",
  ];
  it("R10: every listed day is a day off", () => {
    for (const d of listed) expect(isWorkingDay(d, calendar), d).toBe(false);
  });
  it("R10: the weekdays off in 2026 are exactly the listed weekdays", () => {
    const offWeekdays: string[] = [];
    for (let d = "2026-01-01"; d <= "2026-12-31"; d = addDays(d, 1)) {
      if (!isWeekend(d) && !isWorkingDay(d, calendar)) offWeekdays.push(d);
    }
    expect(offWeekdays).toEqual(listed.filter((d) => !isWeekend(d)));
  });
  it("R10: no weekend is a working day in 2026 (no decree transfers known)", () => {
    for (let d = "2026-01-01"; d <= "2026-12-31"; d = addDays(d, 1))
      if (isWeekend(d)) expect(isWorkingDay(d, calendar), d).toBe(false);
  });
});

describe("R10: datasets follow the statutory rules (the holiday law file, not code)", () => {
  it.each(loadHolidayYears().map((t) => [t.year, t] as const))(
    "R10: %i = the law's table for that year + transfer entries only",
    (_year, table) => {
      const statutory = statutoryHolidayYear(table.year, law, table.kurbanAit);
      const byDate = new Map(table.days.map((d) => [d.date, d.kind]));
      for (const s of statutory) expect(byDate.get(s.date), s.date).toBe(s.kind);
      const extra = table.days.filter((d) => !statutory.some((s) => s.date === d.date));
      // Only decree transfers may be added: a day off on a weekday, or a working weekend.
      for (const e of extra) expect(e.kind === "working_day" ? isWeekend(e.date) : !isWeekend(e.date)).toBe(true);
    },
  );

  it("R10: 7 January and Kurban Ait on a weekend give no extra day off; other holidays move to the next working day", () => {
    // 2024: 7 Jan is a Sunday → no transfer; 2027: Kurban Ait (16 May) is a Sunday → no transfer.
    expect(statutoryHolidayYear(2024, law, null).some((d) => d.date === "2024-01-08")).toBe(false);
    expect(
      statutoryHolidayYear(2027, law, "2027-05-16")
        .filter((d) => d.kind === "transferred_day_off")
        .map((d) => d.date),
    ).toEqual(["2027-01-04", "2027-03-24", "2027-05-03", "2027-05-10"]);
    // Two Nauryz days on a weekend (2026) → two weekdays after the third Nauryz day.
    expect(
      statutoryHolidayYear(2026, law, "2026-05-27")
        .filter((d) => d.date.startsWith("2026-03"))
        .map((d) => d.date),
    ).toEqual(["2026-03-08", "2026-03-09", "2026-03-21", "2026-03-22", "2026-03-23", "2026-03-24", "2026-03-25"]);
  });

  it("R10: a decree makes a weekend working and a weekday off (2025: 3 Jan off, Sunday 5 Jan working)", () => {
    expect(isWorkingDay("2025-01-03", calendar)).toBe(false);
    expect(isWorkingDay("2025-01-05", calendar)).toBe(true);
  });

  it("R10: a year without a table falls back to weekends and statutory holidays", () => {
    const empty = buildWorkingCalendar([], law);
    expect(isWorkingDay("2030-01-01", empty)).toBe(false);
    expect(isWorkingDay("2030-01-03", empty)).toBe(true);
    expect(isWorkingDay("2026-03-09", empty)).toBe(false); // 8 Mar 2026 is a Sunday → Monday off
  });
});

describe("R10: decision due by", () => {
  it.each([
    ["Monday 10:00 → Tuesday", almaty("2026-02-02", "10:00"), "2026-02-03"],
    ["Monday 17:59 → Tuesday", almaty("2026-02-02", "17:59"), "2026-02-03"],
    [
      "Monday 18:00 (end of the working day) → clock starts Tuesday → Wednesday",
      almaty("2026-02-02", "18:00"),
      "2026-02-04",
    ],
    ["Monday 23:30 → Wednesday", almaty("2026-02-02", "23:30"), "2026-02-04"],
    ["Friday 11:00 → next Monday", almaty("2026-02-06", "11:00"), "2026-02-09"],
    ["Friday 19:00 → clock starts Monday → Tuesday", almaty("2026-02-06", "19:00"), "2026-02-10"],
    ["Saturday → clock starts Monday → Tuesday", almaty("2026-02-07", "10:00"), "2026-02-10"],
    ["Sunday → Tuesday", almaty("2026-02-08", "10:00"), "2026-02-10"],
    [
      "on the holiday Friday 1 May 2026 → clock starts Monday 4 May → Tuesday 5 May",
      almaty("2026-05-01", "10:00"),
      "2026-05-05",
    ],
    [
      "Thursday 30 Apr 2026 10:00, before the holiday Friday → Monday 4 May",
      almaty("2026-04-30", "10:00"),
      "2026-05-04",
    ],
    [
      "Thursday 30 Apr 2026 18:30 → clock starts Monday 4 May → Tuesday 5 May",
      almaty("2026-04-30", "18:30"),
      "2026-05-05",
    ],
    ["New Year's Eve 31 Dec 2025 10:00 → Monday 5 Jan 2026", almaty("2025-12-31", "10:00"), "2026-01-05"],
    ["31 Dec 2025 20:00 → clock starts 5 Jan → Tuesday 6 Jan", almaty("2025-12-31", "20:00"), "2026-01-06"],
    ["Friday 20 Mar 2026 10:00 → over Nauryz to Thursday 26 Mar", almaty("2026-03-20", "10:00"), "2026-03-26"],
    ["Sunday 5 Jan 2025 (a decree working day) 10:00 → Monday 6 Jan", almaty("2025-01-05", "10:00"), "2025-01-06"],
    ["Wednesday 6 Jan 2027 10:00 → over Christmas to Friday 8 Jan", almaty("2027-01-06", "10:00"), "2027-01-08"],
  ])("R10: filed %s", (_label, at, due) => {
    expect(decisionDueBy(at, policy2026, calendar)).toBe(due);
  });

  it("R10, R17: the 18:00 boundary is Almaty time (13:00 UTC)", () => {
    expect(clockStartDay(new Date("2026-02-02T12:59:59Z"), policy2026, calendar)).toBe("2026-02-02");
    expect(clockStartDay(new Date("2026-02-02T13:00:00Z"), policy2026, calendar)).toBe("2026-02-03");
    expect(decisionDueBy(new Date("2026-02-02T12:59:59Z"), policy2026, calendar)).toBe("2026-02-03");
    expect(decisionDueBy(new Date("2026-02-02T13:00:00Z"), policy2026, calendar)).toBe("2026-02-04");
  });

  it("R10: decisionWorkingDays and workingDayEnds are policy (same filing, different policies)", () => {
    const at = almaty("2026-02-02", "17:30");
    expect(decisionDueBy(at, policy2025, calendar)).toBe("2026-02-03");
    expect(decisionDueBy(at, withPolicy(policy2025, { decisionWorkingDays: 3 }), calendar)).toBe("2026-02-05");
    expect(decisionDueBy(at, withPolicy(policy2025, { workingDayEnds: "17:00" }), calendar)).toBe("2026-02-04");
    expect(
      decisionDueBy(at, withPolicy(policy2025, { workingDayEnds: "17:00", decisionWorkingDays: 3 }), calendar),
    ).toBe("2026-02-06");
  });

  it("R10: property — the due date is a working day, never before the filing day, within a bounded span", () => {
    fc.assert(
      fc.property(
        fc.date({ min: new Date("2024-12-01T00:00:00Z"), max: new Date("2028-01-31T00:00:00Z"), noInvalidDate: true }),
        fc.integer({ min: 1, max: 5 }),
        (at, n) => {
          const due = decisionDueBy(at, withPolicy(policy2026, { decisionWorkingDays: n }), calendar);
          const filed = almatyDate(at);
          expect(isWorkingDay(due, calendar)).toBe(true);
          expect(due >= filed).toBe(true);
          expect(due <= addDays(filed, 7 * n + 10)).toBe(true);
          // n working days after the clock starts: n in (start, due], and the start is the filing day or the next working day.
          const start = clockStartDay(at, policy2026, calendar);
          expect(start >= filed && isWorkingDay(start, calendar)).toBe(true);
          let count = 0;
          for (let d = addDays(start, 1); d <= due; d = addDays(d, 1)) if (isWorkingDay(d, calendar)) count++;
          expect(count).toBe(n);
        },
      ),
      { numRuns: 1000 },
    );
  });
});

describe("R10: 2027 — Constitution Day on 15 March, not 30 August (the 2026 Constitution), a provisional table", () => {
  it("R10: filed Friday 12 March 2027 after 18:00 → the clock starts Tuesday 16 March (15 March is Constitution Day) → due Wednesday 17 March", () => {
    const at = almaty("2027-03-12", "18:30");
    expect(clockStartDay(at, policy2026, calendar)).toBe("2027-03-16");
    expect(decisionDueBy(at, policy2026, calendar)).toBe("2027-03-17");
    expect(isWorkingDay("2027-03-15", calendar)).toBe(false);
    expect(isWorkingDay("2027-08-30", calendar)).toBe(true);
    expect(isWorkingDay("2026-08-31", calendar)).toBe(true);
  });

  it("R10: without the 2027 table the law file gives the same answer (15 March off, 30 August working)", () => {
    const lawOnly = buildWorkingCalendar(
      loadHolidayYears().filter((t) => t.year !== 2027),
      law,
    );
    expect(decisionDueBy(almaty("2027-03-12", "18:30"), policy2026, lawOnly)).toBe("2027-03-17");
    expect(isWorkingDay("2027-08-30", lawOnly)).toBe(true);
  });

  it("R10: the 2027 table is provisional, so the calendar knows it (due dates through it are flagged)", () => {
    expect(calendar.provisionalYears.has(2027)).toBe(true);
    expect(calendar.provisionalYears.has(2026)).toBe(false);
  });
});

describe("R10: the calendar is built only from data", () => {
  const noHolidays = { ...law, holidays: [] };

  it("R10: with no tables and a law without holidays, every weekday of the year is working: nothing comes from code", () => {
    const bare = buildWorkingCalendar([], noHolidays);
    for (let d = "2027-01-01"; d <= "2027-12-31"; d = addDays(d, 1))
      expect(isWorkingDay(d, bare), d).toBe(!isWeekend(d));
  });

  it("R10: a change of the law is a data change — an entry ending or starting moves the fallback's days off", () => {
    const keptAugust = {
      ...law,
      holidays: law.holidays.map((h) => ("monthDay" in h && h.monthDay === "08-30" ? { ...h, until: undefined } : h)),
    };
    // 30 August 2030 is a Friday: a day off only while the entry holds.
    expect(isWorkingDay("2030-08-30", buildWorkingCalendar([], law))).toBe(true);
    expect(isWorkingDay("2030-08-30", buildWorkingCalendar([], keptAugust))).toBe(false);
    // 15 March 2031 is a Saturday: the law moves it to Monday 17 March.
    expect(
      statutoryHolidayYear(2031, law, null).filter((d) => d.date >= "2031-03-14" && d.date <= "2031-03-20"),
    ).toEqual([
      { date: "2031-03-15", kind: "holiday" },
      { date: "2031-03-17", kind: "transferred_day_off" },
    ]);
  });
});
