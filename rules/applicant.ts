import type { Category, DocumentCode, ReasonCode, SpecialCategory } from "./codes.js";
import type { IsoDate } from "./dates.js";
import type { Policy } from "./policy.js";
import type { EvaluationInput } from "./schemas.js";

type Applicant = EvaluationInput["applicant"];

/** R1: may attach on their own status. */
const PERMANENT: ReadonlySet<Category> = new Set(["citizen", "kandas", "refugee", "residence_permit"]);
/** R2: temporarily staying foreigners and EAEU labour migrants with families: only with an insurance contract. */
export const INSURED_CATEGORIES: ReadonlySet<Category> = new Set(["eaeu_worker", "eaeu_family", "foreign_insured"]);

/** R2: the contract's term is part of the application for these categories; without it the check is skipped. */
export function needsInsuranceTerm(applicant: Applicant): boolean {
  return INSURED_CATEGORIES.has(applicant.category) && applicant.insurance === undefined;
}

/**
 * R1, R2: whether this category may attach at all. `effectiveFrom` (null = on the decision) catches a contract
 * that ends before the attachment would start. A contract valid until `today` inclusive is still valid today.
 */
export function applicantReasons(applicant: Applicant, today: IsoDate, effectiveFrom: IsoDate | null): ReasonCode[] {
  if (PERMANENT.has(applicant.category)) return [];
  if (!INSURED_CATEGORIES.has(applicant.category)) return ["category_not_eligible"]; // R1/R2: "other"
  const until = applicant.insurance?.validUntil;
  if (until !== undefined && (until < today || (effectiveFrom !== null && until < effectiveFrom)))
    return ["insurance_expired"];
  return [];
}

/** R2: an attachment on insurance ends with the contract. */
export function attachmentEndsOn(applicant: Applicant): IsoDate | null {
  return INSURED_CATEGORIES.has(applicant.category) ? (applicant.insurance?.validUntil ?? null) : null;
}

/** R1, R2: the status documents this category files with the application. */
export function statusDocuments(category: Category): DocumentCode[] {
  if (category === "residence_permit") return ["residence_permit"];
  if (INSURED_CATEGORIES.has(category)) return ["insurance_contract"];
  return [];
}

/** R13: the declared category, or "holder of a ДМС contract" implied by a voluntary contract. */
function specialCategoryOf(applicant: Applicant): SpecialCategory | undefined {
  return applicant.specialCategory ?? (applicant.insurance?.kind === "voluntary" ? "dms_holder" : undefined);
}

/**
 * R13: the documents that prove the applicant's special category (a rector's letter, a commission protocol, a court
 * decision…; policy.documents.specialCategories): whatever the channel, the application stands on them. The identity
 * document is not among them: the bot takes the IIN, and the ID is shown at the clinic (`inPersonChannel`'s list).
 */
export function specialCategoryDocuments(applicant: Applicant, policy: Pick<Policy, "documents">): DocumentCode[] {
  const special = specialCategoryOf(applicant);
  return special ? [...policy.documents.specialCategories[special]] : [];
}

/**
 * R13: the categories that may file a written application at the clinic without an ЭЦП signature. A voluntary
 * (ДМС) contract counts as the "holder of a ДМС contract" category even when not declared.
 */
export function inPersonChannel(
  applicant: Applicant,
  policy: Pick<Policy, "documents">,
): { allowed: boolean; documents: DocumentCode[] } {
  const special = specialCategoryOf(applicant);
  if (!special) return { allowed: false, documents: [] };
  const docs = [...policy.documents.inPerson, ...policy.documents.specialCategories[special]];
  return { allowed: true, documents: [...new Set(docs)] };
}
