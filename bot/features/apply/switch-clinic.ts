import type { Clinic } from "../../../data/repositories/clinics.js";
import { stepIndex, type Draft } from "../../application/draft.js";
import { clinicCheck, clinicProblem } from "../../application/eligibility.js";
import type { Deps } from "../../context.js";

/**
 * What became of the clinic: `taken` into the draft; offered first at the clinic step, `later` (not reached yet)
 * or `now` (the step is asked at once, and says why the clinic cannot be taken).
 */
export type ClinicSwitch = "taken" | "later" | "now";

/**
 * A clinic chosen mid-application (by its link): what the draft becomes. Every other answer stays. Before the clinic
 * step (or on it) the clinic is only offered first there; after it, the clinic is taken at once when the clinic step
 * would take it (R4: the settlement of the residence; R5, R6: contract, licence, places), and otherwise the clinic
 * step is asked again, which says why (another settlement, no places…) and comes back to where the person was.
 */
export async function draftWithClinic(
  deps: Deps,
  draft: Draft,
  clinic: Clinic,
): Promise<{ draft: Draft; outcome: ClinicSwitch }> {
  const preferred: Draft = { ...draft, preferredClinicId: clinic.id, preferredByLink: true };
  if (stepIndex(draft.step) < stepIndex("clinic")) return { draft: preferred, outcome: "later" };
  if (draft.step === "clinic" || draft.clinicId === undefined) return { draft: preferred, outcome: "now" };
  const fits =
    clinic.settlementId === draft.settlementId && clinicProblem(clinic, await clinicCheck(deps, draft)) === null;
  if (fits) return { draft: { ...preferred, clinicId: clinic.id }, outcome: "taken" };
  return { draft: { ...preferred, step: "clinic", returnToSummary: true, editFrom: "clinic" }, outcome: "now" };
}
