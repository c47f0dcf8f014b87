import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { ageOn, iinCheckDigit, isChild, maskIin, parseIin } from "../../../rules/index.js";
import { almaty, makeIin } from "./helpers.js";

describe("R18: IIN", () => {
  it("R18: the domain test vector 061211600012 is a woman born 2006-12-11", () => {
    expect(parseIin("061211600012")).toEqual({ ok: true, birthDate: "2006-12-11", sex: "female" });
  });

  it.each([
    ["06121160001", "length"],
    ["0612116000123", "length"],
    ["", "length"],
    ["06121160001a", "not_digits"],
    ["0612 1600012", "not_digits"],
    ["061211000012", "century"],
    ["061211700012", "century"],
    ["061211900012", "century"],
    ["061311600012", "date"],
    ["061200600012", "date"],
    ["060231600012", "date"],
    ["061211600013", "checksum"],
  ])("R18: %s → %s", (iin, error) => {
    expect(parseIin(iin)).toEqual({ ok: false, error });
  });

  it.each([
    ["1800s male", "1850-03-01", "male"],
    ["1900s female", "1975-07-31", "female"],
    ["2000s male", "2010-12-31", "male"],
  ] as const)("R18: century digit — %s", (_label, birth, sex) => {
    const parsed = parseIin(makeIin(birth, sex));
    expect(parsed).toEqual({ ok: true, birthDate: birth, sex });
  });

  it("R18: leap-day IINs: 29 Feb 2000 and 1996 are real, 29 Feb 1900 and 2001 are not", () => {
    expect(parseIin(makeIin("2000-02-29"))).toMatchObject({ ok: true, birthDate: "2000-02-29" });
    expect(parseIin(makeIin("1996-02-29", "female"))).toMatchObject({ ok: true, birthDate: "1996-02-29" });
    // 000229 with century digit 3 = 1900-02-29 (1900 is not a leap year).
    expect(parseIin("000229300000")).toEqual({ ok: false, error: "date" });
    expect(parseIin("010229500010")).toEqual({ ok: false, error: "date" });
  });

  it("R18: a birth date after now is impossible", () => {
    const iin = makeIin("2026-03-10");
    expect(parseIin(iin, almaty("2026-03-09", "23:59"))).toEqual({ ok: false, error: "date" });
    expect(parseIin(iin, almaty("2026-03-10", "00:01"))).toMatchObject({ ok: true });
  });

  it("R18: a number whose both weight passes give 10 is invalid whatever the last digit", () => {
    // Search a first-11 with both passes = 10, then no 12th digit validates it.
    let found: string | undefined;
    for (let s = 0; s < 10000 && !found; s++) {
      const first11 = `900101${3}${String(s).padStart(4, "0")}`;
      if (iinCheckDigit([...first11].map(Number)) === null) found = first11;
    }
    expect(found).toBeDefined();
    for (let d = 0; d <= 9; d++) expect(parseIin(`${found}${d}`)).toEqual({ ok: false, error: "checksum" });
  });

  it("R18: property — generated IINs are valid; a wrong check digit or a single-digit typo is caught", () => {
    const firstPass = (d: number[]) => d.slice(0, 11).reduce((s, x, i) => s + x * (i + 1), 0) % 11;
    fc.assert(
      fc.property(
        fc.date({ min: new Date("1900-01-01T00:00:00Z"), max: new Date("2099-12-31T00:00:00Z"), noInvalidDate: true }),
        fc.constantFrom("male" as const, "female" as const),
        fc.integer({ min: 0, max: 9899 }),
        // Not position 10: its first-pass weight is 11 ≡ 0 (mod 11), a blind spot of the algorithm itself.
        fc.constantFrom(0, 3, 7, 8, 9, 11),
        fc.integer({ min: 1, max: 9 }),
        (date, sex, serial, pos, delta) => {
          const birthDate = date.toISOString().slice(0, 10);
          const iin = makeIin(birthDate, sex, serial);
          expect(parseIin(iin)).toEqual({ ok: true, sex, birthDate });
          const digits = [...iin].map(Number);
          const before = firstPass(digits);
          digits[pos] = ((digits[pos] ?? 0) + delta) % 10;
          // Weights 1..11 are invertible mod 11, so a typo always moves the first-pass sum; when neither sum
          // falls back to the second pass, the stated check digit can no longer match.
          if (pos === 11 || (before !== 10 && firstPass(digits) !== 10)) {
            // A typo in the date part may also make an impossible date: rejected either way.
            expect(parseIin(digits.join(""))).toMatchObject({ ok: false });
            if (pos >= 7) expect(parseIin(digits.join(""))).toEqual({ ok: false, error: "checksum" });
          }
        },
      ),
      { numRuns: 500 },
    );
  });

  // The IIN algorithm's weights for the second pass, written as a formula rather than copied: 3, 4, …, 11, 1, 2.
  const secondWeight = (i: number) => ((i + 2) % 11) + 1;
  const secondPass = (d: readonly number[]) => d.reduce((s, x, i) => s + x * secondWeight(i), 0) % 11;

  it("R18: property — the check digit is the first pass, or when that gives 10 the second pass (null if 10 again)", () => {
    let secondPassRuns = 0;
    fc.assert(
      fc.property(fc.array(fc.integer({ min: 0, max: 9 }), { minLength: 11, maxLength: 11 }), (first11) => {
        const check = iinCheckDigit(first11);
        const first = first11.reduce((s, d, i) => s + d * (i + 1), 0) % 11;
        if (first !== 10) return void expect(check).toBe(first);
        secondPassRuns++;
        const second = secondPass(first11);
        expect(check).toBe(second === 10 ? null : second);
      }),
      { numRuns: 2000 },
    );
    // About 1 in 11 draws reaches the second pass: the branch that matters is really exercised.
    expect(secondPassRuns).toBeGreaterThan(50);
  });

  it("R18: second-pass example: a first pass of 10 falls back to the weights 3…11, 1, 2", () => {
    // Digit 10 (weight 10 in the first pass, 1 in the second): first pass 10, second pass 1.
    expect(iinCheckDigit([0, 0, 0, 0, 0, 0, 0, 0, 0, 1, 0])).toBe(1);
    // A real person's number that needs the second pass.
    for (let s = 0; s < 10000; s++) {
      const first11 = [...`900101${3}${String(s).padStart(4, "0")}`].map(Number);
      const first = first11.reduce((sum, d, i) => sum + d * (i + 1), 0) % 11;
      const second = secondPass(first11);
      if (first !== 10 || second === 10) continue;
      expect(parseIin(`${first11.join("")}${second}`)).toEqual({ ok: true, birthDate: "1990-01-01", sex: "male" });
      expect(parseIin(`${first11.join("")}${(second + 1) % 10}`)).toEqual({ ok: false, error: "checksum" });
      return;
    }
    throw new Error("no second-pass IIN found");
  });

  it("R18: the IIN is masked on screen: first 4 and last 3 kept", () => {
    expect(maskIin("900115300123")).toBe("9001•••••123");
    expect(maskIin("123")).toBe("•••");
  });
});

describe("R11: children and adults around the 18th birthday", () => {
  const birth = "2008-03-10";
  it.each([
    ["the day before the 18th birthday (Almaty)", almaty("2026-03-09", "23:59"), 17, true],
    ["the 18th birthday, 00:00 Almaty (still 9 Mar in UTC)", almaty("2026-03-10", "00:00"), 18, false],
    ["the day after", almaty("2026-03-11"), 18, false],
  ])("R11: %s", (_label, now, age, child) => {
    expect(ageOn(birth, now)).toBe(age);
    expect(isChild(birth, now)).toBe(child);
  });

  it("R11, R17: age counts Almaty days, not UTC: 19:30 UTC on 9 Mar is already 10 Mar in Almaty", () => {
    expect(ageOn(birth, new Date("2026-03-09T19:30:00Z"))).toBe(18);
    expect(ageOn(birth, new Date("2026-03-09T18:59:00Z"))).toBe(17);
  });

  it("R11: born on 29 Feb — 18 on 1 Mar in a common year, on 29 Feb in a leap year", () => {
    expect(ageOn("2008-02-29", "2026-02-28")).toBe(17);
    expect(ageOn("2008-02-29", "2026-03-01")).toBe(18);
    expect(ageOn("2012-02-29", "2030-02-28")).toBe(17);
    expect(ageOn("2012-02-29", "2030-03-01")).toBe(18);
    expect(ageOn("2008-02-29", "2028-02-29")).toBe(20);
  });
});
