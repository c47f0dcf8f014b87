import { specialCategoryDocuments, statusDocuments } from "./applicant.js";
import { DOCUMENTS, type DocumentCode } from "./codes.js";
import type { Policy } from "./policy.js";
import type { EvaluationInput } from "./schemas.js";

/** Codes that stand in for a required one: R12 accepts either a rental contract or an akimat certificate. */
const SATISFIED_BY: Partial<Record<DocumentCode, readonly DocumentCode[]>> = {
  residence_proof: ["residence_proof", "rental_contract", "akimat_certificate"],
};

/**
 * What this application must carry (in this order, each once): R11 birth certificate for a child, R1/R2 residence
 * permit or insurance contract, R13 the special category's own documents, R12 proof of temporary residence when
 * policy asks for it.
 */
export function requiredDocuments(
  input: Pick<EvaluationInput, "applicant" | "residence">,
  child: boolean,
  policy: Policy,
): DocumentCode[] {
  const docs: DocumentCode[] = [];
  if (child) docs.push("birth_certificate");
  docs.push(...statusDocuments(input.applicant.category));
  docs.push(...specialCategoryDocuments(input.applicant));
  if (input.residence?.kind === "temporary" && policy.requireProofForTemporaryResidence) docs.push("residence_proof");
  return [...new Set(docs)];
}

const KNOWN = new Set<string>(DOCUMENTS);

/** The required documents not among those uploaded or declared (unknown strings are ignored). */
export function missingDocuments(required: readonly DocumentCode[], provided: readonly string[]): DocumentCode[] {
  const have = new Set(provided.filter((p) => KNOWN.has(p)));
  return required.filter((r) => !(SATISFIED_BY[r] ?? [r]).some((alt) => have.has(alt)));
}
