import { describe, expect, it } from "vitest";
import { advance, following, settle } from "../../../bot/features/apply/progress.js";
import { firstUnanswered, parseDraft, type Draft } from "../../../bot/application/draft.js";
import type { StepResult } from "../../../bot/features/apply/step.js";
import { parseContractDate } from "../../../bot/features/apply/steps/insurance.js";
import { makeIin } from "../../../scripts/stack/people.js";
import { IN_CAMPAIGN_DAY } from "../../dates.js";

const TODAY = IN_CAMPAIGN_DAY;

describe("R2: the contract's last day as typed", () => {
  it("R2: DD.MM.YYYY (with . / or -, two-digit years), YYYY-MM-DD, and a date inside a sentence", () => {
    expect(parseContractDate("31.12.2027", TODAY)).toEqual({ ok: true, date: "2027-12-31" });
    expect(parseContractDate("до 31.12.2027 года", TODAY)).toEqual({ ok: true, date: "2027-12-31" });
    expect(parseContractDate("1/2/28", TODAY)).toEqual({ ok: true, date: "2028-02-01" });
    expect(parseContractDate("05-06-2027", TODAY)).toEqual({ ok: true, date: "2027-06-05" });
    expect(parseContractDate("2027-12-31", TODAY)).toEqual({ ok: true, date: "2027-12-31" });
    expect(parseContractDate("29.02.2028", TODAY)).toEqual({ ok: true, date: "2028-02-29" });
  });

  it("R2: a day that does not exist, or no date at all", () => {
    expect(parseContractDate("31.02.2027", TODAY)).toEqual({ ok: false, error: "no_such_day" });
    expect(parseContractDate("29.02.2027", TODAY)).toEqual({ ok: false, error: "no_such_day" });
    expect(parseContractDate("12.13.2027", TODAY)).toEqual({ ok: false, error: "no_such_day" });
    for (const text of ["завтра", "31 декабря", "123.12.2027", "31.12.20277", ""])
      expect(parseContractDate(text, TODAY), text).toEqual({ ok: false, error: "format" });
  });

  it("R2, R17: a contract that ended before today's Almaty day is expired; valid through today is valid", () => {
    expect(parseContractDate("14.09.2026", TODAY)).toEqual({ ok: false, error: "expired", date: "2026-09-14" });
    expect(parseContractDate("15.09.2026", TODAY)).toEqual({ ok: true, date: "2026-09-15" });
  });
});

const pass = (d: Draft, r: StepResult) => settle(advance(d, r));
const insured = parseDraft({
  step: "summary",
  forChild: false,
  category: "eaeu_worker",
  insurance: { kind: "voluntary", validUntil: "2027-12-31" },
  iin: makeIin("900101", 3, 7),
  regionId: "almaty",
  settlementId: "almaty",
  clinicId: "almaty-gp-1",
  ground: "free_choice",
  residenceKind: "registered",
});

describe("R2: the insurance step is asked only of the insured categories", () => {
  it("R2: after the status comes the contract for an EAEU worker, the IIN for a citizen; Back the same way", () => {
    expect(following("category", { ...insured, insurance: undefined }, 1)).toBe("insurance");
    expect(following("category", { ...insured, category: "citizen" }, 1)).toBe("iin");
    expect(following("iin", insured, -1)).toBe("insurance");
    expect(following("iin", { ...insured, category: "kandas" }, -1)).toBe("category");
    expect(firstUnanswered({ ...insured, insurance: undefined })).toBe("insurance");
    expect(firstUnanswered({ ...insured, category: "citizen", insurance: undefined })).toBeUndefined();
  });

  it("R2: a status edited to a citizen drops the contract; edited to an insured one, the summary sends to the contract first", () => {
    const citizen = pass(pass(insured, { kind: "edit", step: "category" }), {
      kind: "next",
      patch: { category: "citizen" },
    });
    expect(citizen).toMatchObject({ step: "summary", category: "citizen", insurance: undefined });
    const back = pass(pass(citizen, { kind: "edit", step: "category" }), {
      kind: "next",
      patch: { category: "eaeu_family" },
    });
    expect(back).toMatchObject({ step: "insurance", category: "eaeu_family", returnToSummary: true });
    const done = pass(back, { kind: "next", patch: { insurance: { kind: "compulsory", validUntil: "2028-06-30" } } });
    expect(done).toMatchObject({ step: "summary", insurance: { kind: "compulsory", validUntil: "2028-06-30" } });
  });

  it("R2, R11: who self → child drops the status, the contract and the IIN", () => {
    const d = pass(pass(insured, { kind: "edit", step: "who" }), { kind: "next", patch: { forChild: true } });
    expect(d).toMatchObject({ step: "category", category: undefined, insurance: undefined, iin: undefined });
  });

  it("R2: a stored contract that no longer validates is dropped and asked again, the rest kept", () => {
    const d = parseDraft({ ...insured, insurance: { kind: "voluntary", validUntil: "2027-02-30" } });
    expect(d.insurance).toBeUndefined();
    expect(d).toMatchObject({ step: "insurance", category: "eaeu_worker", clinicId: "almaty-gp-1" });
  });
});
