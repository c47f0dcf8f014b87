import { describe, expect, it } from "vitest";
import { formatDate, formatInstant } from "../../../bot/format.js";
import { validBin } from "../../../data/directory-import.js";
import { iinCheckDigit } from "../../../rules/index.js";

describe("dates shown to people (R17: Almaty time through the rules' helpers)", () => {
  it("R17: an instant is shown in Almaty wall time, across the UTC day boundary", () => {
    expect(formatInstant("2026-04-15T13:05:00Z")).toBe("15.04.2026 18:05");
    expect(formatInstant("2026-12-31T19:00:00Z")).toBe("01.01.2027 00:00");
    expect(formatInstant("2026-03-01T00:00:00+05:00")).toBe("01.03.2026 00:00");
    expect(formatInstant(null)).toBe("—");
    expect(formatInstant("not a date")).toBe("—");
  });

  it("R17: a calendar day is shown DD.MM.YYYY", () => {
    expect(formatDate("2027-01-01")).toBe("01.01.2027");
    expect(formatDate(undefined)).toBe("—");
  });
});

describe("clinic BINs use the rules' IIN/BIN check digit (R18)", () => {
  const withCheck = (first11: string) => `${first11}${iinCheckDigit([...first11].map(Number)) ?? "x"}`;
  it("R18: accepts a BIN whose check digit the rules compute, in both weight passes", () => {
    expect(validBin(withCheck("12034000123"))).toBe(true);
    // A number whose first pass gives 10: the second pass decides.
    const secondPass = [...Array(10000).keys()]
      .map((s) => `1203400${String(s).padStart(4, "0")}`)
      .find(
        (f) =>
          [...f].reduce((sum, d, i) => sum + Number(d) * (i + 1), 0) % 11 === 10 &&
          iinCheckDigit([...f].map(Number)) !== null,
      );
    expect(secondPass).toBeDefined();
    expect(validBin(withCheck(secondPass ?? ""))).toBe(true);
  });

  it("R18: refuses a wrong check digit, a short number or letters", () => {
    const good = withCheck("12034000123");
    expect(validBin(`${good.slice(0, 11)}${(Number(good[11]) + 1) % 10}`)).toBe(false);
    expect(validBin("12345")).toBe(false);
    expect(validBin("12034000123a")).toBe(false);
  });
});
