import { firstUnanswered, needsInsurance, STEPS, type Draft, type StepId } from "../../application/draft.js";
import type { StepResult } from "./step.js";

/** Steps that do not apply to this draft are passed over in both directions. */
function applies(step: StepId, draft: Draft): boolean {
  if (step === "insurance") return needsInsurance(draft); // R2
  if (step === "documents") return draft.requiredDocs.length > 0;
  return true;
}

export function following(step: StepId, draft: Draft, direction: 1 | -1): StepId {
  let i = STEPS.indexOf(step) + direction;
  while (i > 0 && i < STEPS.length - 1 && !applies(STEPS[i] as StepId, draft)) i += direction;
  return STEPS[Math.max(0, Math.min(STEPS.length - 1, i))] as StepId;
}

/**
 * Answers that stand on another one are dropped when it changes, so the flow asks them again: the status, its
 * insurance contract and the IIN were given for "self" or for "a child"; a contract only for an insured status (R2);
 * a clinic (and a shared point) belongs to one settlement (R4).
 */
function dropDependents(before: Draft, after: Draft, patch: Partial<Draft>): Draft {
  let d = after;
  const kept = <K extends keyof Draft>(k: K): Draft[K] => (k in patch ? patch[k] : undefined) as Draft[K];
  if (before.forChild !== undefined && after.forChild !== before.forChild) {
    d = { ...d, category: kept("category"), iin: kept("iin"), insurance: kept("insurance") };
  }
  if (!needsInsurance(d)) d = { ...d, insurance: undefined };
  if (after.settlementId !== before.settlementId) {
    d = {
      ...d,
      clinicId: "clinicId" in patch ? patch.clinicId : undefined,
      location: "location" in patch ? patch.location : undefined,
    };
  }
  return d;
}

function editDone(d: Draft): Draft {
  return { ...d, returnToSummary: false, editFrom: undefined };
}

export function advance(draft: Draft, result: StepResult): Draft {
  switch (result.kind) {
    case "next":
    case "goto": {
      const patch = result.patch ?? {};
      const next = dropDependents(draft, { ...draft, ...patch }, patch);
      // An edit goes back to the summary, which sends on to whatever the edit left unanswered (settle).
      if (next.returnToSummary) return { ...next, step: "summary" };
      return { ...next, step: result.kind === "goto" ? result.step : following(draft.step, next, 1) };
    }
    case "edit":
      return { ...draft, step: result.step, returnToSummary: true, editFrom: result.step };
    case "back":
      if (
        draft.returnToSummary &&
        (draft.editFrom === undefined || STEPS.indexOf(draft.step) <= STEPS.indexOf(draft.editFrom))
      ) {
        return { ...draft, step: "summary" };
      }
      return { ...draft, step: following(draft.step, draft, -1) };
    default:
      return draft;
  }
}

/**
 * The summary only once every step that applies is answered: otherwise the first unanswered one comes first (an
 * edit that dropped dependent answers, new documents after a changed residence). Reaching the summary ends an edit.
 */
export function settle(draft: Draft): Draft {
  if (draft.step !== "summary") return draft;
  const missing = firstUnanswered(draft);
  return missing ? { ...draft, step: missing } : editDone(draft);
}
