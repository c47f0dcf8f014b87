import type { RequestRow } from "../../../data/repositories/requests.js";
import {
  applicantReasons,
  CategorySchema,
  INSURED_CATEGORIES,
  REFUSAL_GROUNDS,
  type Category,
  type RefusalGround,
} from "../../../rules/index.js";

/** R2: the applicant as stored, with the insurance contract for the insured categories (null columns: not known). */
export function storedApplicant(r: RequestRow): {
  category: Category;
  insurance?: { kind: "voluntary" | "compulsory"; validUntil: string };
} {
  const parsed = CategorySchema.safeParse(r.applicant_category);
  const category = parsed.success ? parsed.data : "other";
  if (!INSURED_CATEGORIES.has(category) || !r.insurance_kind || !r.insurance_valid_until) return { category };
  return { category, insurance: { kind: r.insurance_kind, validUntil: r.insurance_valid_until } };
}

/** Why an approval would go against R2 now: the contract ended (or ends before the attachment starts), or is unknown. */
export type InsuranceBlock =
  | { reason: "insurance_expired"; until: string; effective: string | null; ended: boolean; ground: RefusalGround }
  | { reason: "insurance_term_missing"; ground: RefusalGround };

/** The R14 ground a reviewer refuses with for an engine reason ("not eligible" for both insurance reasons). */
function groundFor(code: "insurance_expired" | "insurance_term_missing"): RefusalGround {
  const entry = Object.entries(REFUSAL_GROUNDS).find(([, codes]) => (codes as readonly string[]).includes(code));
  return (entry?.[0] ?? "not_eligible") as RefusalGround;
}

/**
 * R2: an insured applicant may only be attached while the contract runs, from the day the attachment takes effect
 * (the stored effective date; null = on the decision, i.e. today). The rules' own check, on the stored term.
 */
export function insuranceBlock(r: RequestRow, today: string): InsuranceBlock | null {
  const applicant = storedApplicant(r);
  if (!INSURED_CATEGORIES.has(applicant.category)) return null;
  if (!applicant.insurance) return { reason: "insurance_term_missing", ground: groundFor("insurance_term_missing") };
  if (!applicantReasons(applicant, today, r.effective_from).includes("insurance_expired")) return null;
  const until = applicant.insurance.validUntil;
  return {
    reason: "insurance_expired",
    until,
    effective: r.effective_from,
    ended: until < today,
    ground: groundFor("insurance_expired"),
  };
}
