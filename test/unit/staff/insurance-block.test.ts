import { describe, expect, it } from "vitest";
import { insuranceBlock, storedApplicant } from "../../../bot/features/staff/insurance.js";
import type { RequestRow } from "../../../data/repositories/requests.js";
import { IN_CAMPAIGN_DAY } from "../../dates.js";

const TODAY = IN_CAMPAIGN_DAY;
const base = {
  applicant_category: "eaeu_worker",
  effective_from: "2027-01-01",
  insurance_kind: "voluntary",
  insurance_valid_until: "2027-12-31",
} as const;
const req = (over: Partial<RequestRow>) => ({ ...base, ...over }) as RequestRow;

describe("R2: approving an insured request needs a contract that runs from the day the attachment starts", () => {
  it("R2: a running contract, or another category, does not block", () => {
    expect(insuranceBlock(req({}), TODAY)).toBeNull();
    expect(insuranceBlock(req({ effective_from: null, insurance_valid_until: TODAY }), TODAY)).toBeNull();
    expect(
      insuranceBlock(req({ applicant_category: "citizen", insurance_kind: null, insurance_valid_until: null }), TODAY),
    ).toBeNull();
  });

  it("R2 R14: ended, ending before the effective date, or unknown: blocked, with the 'not eligible' ground", () => {
    expect(insuranceBlock(req({ insurance_valid_until: "2026-09-14" }), TODAY)).toEqual({
      reason: "insurance_expired",
      until: "2026-09-14",
      effective: "2027-01-01",
      ended: true,
      ground: "not_eligible",
    });
    expect(insuranceBlock(req({ insurance_valid_until: "2026-12-31" }), TODAY)).toMatchObject({
      reason: "insurance_expired",
      ended: false,
    });
    expect(insuranceBlock(req({ insurance_kind: null, insurance_valid_until: null }), TODAY)).toEqual({
      reason: "insurance_term_missing",
      ground: "not_eligible",
    });
  });

  it("R2: the stored contract goes to the rules only for the insured categories", () => {
    expect(storedApplicant(req({}))).toEqual({
      category: "eaeu_worker",
      insurance: { kind: "voluntary", validUntil: "2027-12-31" },
    });
    expect(storedApplicant(req({ applicant_category: "kandas" }))).toEqual({ category: "kandas" });
    expect(storedApplicant(req({ applicant_category: "martian" }))).toEqual({ category: "other" });
  });
});
