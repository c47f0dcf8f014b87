import { specialCategoryDocuments, statusDocuments } from "./applicant.js";
import { DOCUMENTS, type DocumentCode } from "./codes.js";
import { satisfiedBy, type Policy } from "./policy.js";
import type { EvaluationInput } from "./schemas.js";

/** R11: whether a child of this age attaches at the actual residence (policy.actualResidenceUnderAge). */
export function attachesAtActualResidence(
  age: number | null,
  policy: Pick<Policy, "actualResidenceUnderAge">,
): boolean {
  return age !== null && policy.actualResidenceUnderAge !== null && age < policy.actualResidenceUnderAge;
}

/**
 * What this application must carry (in this order, each once), as policy.documents lists it: R11 a child's documents,
 * R1/R2 residence permit or insurance contract, R13 the special category's own documents, R12 proof of temporary
 * residence when policy asks for it — except for a child young enough to attach at the actual residence (R11).
 * `childAge`: the child's age in years when the IIN gave it (null: an adult, or unknown).
 */
export function requiredDocuments(
  input: Pick<EvaluationInput, "applicant" | "residence">,
  child: boolean,
  policy: Policy,
  childAge: number | null = null,
): DocumentCode[] {
  const docs: DocumentCode[] = [];
  if (child) docs.push(...policy.documents.child);
  docs.push(...statusDocuments(input.applicant.category));
  docs.push(...specialCategoryDocuments(input.applicant, policy));
  if (
    input.residence?.kind === "temporary" &&
    policy.requireProofForTemporaryResidence &&
    !(child && attachesAtActualResidence(childAge, policy))
  )
    docs.push("residence_proof");
  return [...new Set(docs)];
}

const KNOWN: ReadonlySet<string> = new Set<string>(DOCUMENTS);

/** The required documents not among those uploaded or declared (unknown strings are ignored). */
export function missingDocuments(
  required: readonly DocumentCode[],
  provided: readonly string[],
  policy: Pick<Policy, "documents">,
): DocumentCode[] {
  const have = new Set(provided.filter((p) => KNOWN.has(p)));
  return required.filter((r) => !satisfiedBy(r, policy).some((alt) => have.has(alt)));
}
