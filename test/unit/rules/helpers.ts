import { loadHolidayCalendar, loadHolidayLaw, policyForYear } from "../../../data/datasets/load-rules-data.js";
import { iinCheckDigit, type EvaluationInput, type Policy } from "../../../rules/index.js";

export const calendar = loadHolidayCalendar();
export const law = loadHolidayLaw();
/** 2025 as held: a confirmed campaign 1 Sep – 1 Nov, one free change, work and study still grounds. */
export const policy2025 = policyForYear(2025);
/** 2026: provisional, the 2025 window unconfirmed, two free changes, grounds by residence only (R8, R9, R12). */
export const policy2026 = policyForYear(2026);
/** 2027: provisional, no campaign announced (all year as far as is known). */
export const policy2027 = policyForYear(2027);

/** A policy variant: same case, other data (changes need no code). */
export function withPolicy(base: Policy, patch: Partial<Policy>): Policy {
  return { ...base, ...patch };
}

/** The all-year regime the Ministry announced for the future, confirmed: no campaign, 2 free changes a year. */
export const allYear2026 = withPolicy(policy2026, { campaign: null, freeChangesPerYear: 2, status: "confirmed" });

/** An instant at Almaty wall-clock time (UTC+5). */
export function almaty(date: string, time = "12:00"): Date {
  return new Date(`${date}T${time}:00+05:00`);
}

/** A valid IIN for a birth date and sex (serial bumped until the check digit exists). */
export function makeIin(birthDate: string, sex: "male" | "female" = "male", serial = 1): string {
  const [y, m, d] = birthDate.split("-");
  const year = Number(y);
  const base = year >= 2000 ? 5 : year >= 1900 ? 3 : 1;
  const century = base + (sex === "female" ? 1 : 0);
  for (let s = serial; s < serial + 100; s++) {
    const first11 = `${(y ?? "").slice(2)}${m}${d}${century}${String(s).padStart(4, "0")}`;
    const check = iinCheckDigit([...first11].map(Number));
    if (check !== null) return `${first11}${check}`;
  }
  throw new Error("no valid serial");
}

export const ALMATY_ATU = "751110000";
export const ASTANA_ATU = "711110000";

export const goodClinic = {
  id: "alm-pol-4",
  atuCode: ALMATY_ATU,
  licensed: true,
  contractYears: [2025, 2026, 2027],
  capacity: 30000,
  attached: 25000,
  active: true,
};

/** A complete, acceptable application of an adult citizen; tests override one thing at a time. */
export function baseInput(now: Date, patch: Partial<EvaluationInput> = {}): EvaluationInput {
  return {
    now: now.toISOString(),
    applicant: { category: "citizen" },
    person: { iin: makeIin("1990-01-15"), forChild: false },
    residence: { kind: "registered", atuCode: ALMATY_ATU },
    clinic: goodClinic,
    ground: "residence_change",
    currentAttachment: { clinicId: "alm-pol-7", since: "2020-01-01" },
    history: [],
    documents: [],
    ...patch,
  };
}
