import { loadDraft, saveDraft } from "../../../data/repositories/drafts.js";
import type { BaseContext } from "../../context.js";
import type { ApplyConversation } from "./ask.js";
import {
  firstUnanswered,
  needsInsurance,
  parseDraft,
  STEPS,
  type Draft,
  type StepId,
} from "../../application/draft.js";
import { documentsFor } from "../../application/eligibility.js";
import type { StepHandler, StepResult } from "./step.js";
import { clinicStep } from "./steps/clinic.js";
import { documentsStep } from "./steps/documents.js";
import { groundStep, residenceStep } from "./steps/ground.js";
import { iinStep } from "./steps/iin.js";
import { insuranceStep } from "./steps/insurance.js";
import { regionStep, settlementStep } from "./steps/place.js";
import { summaryStep } from "./steps/summary.js";
import { categoryStep, whoStep } from "./steps/who.js";

export const APPLY_ID = "apply";

const HANDLERS: Record<StepId, StepHandler> = {
  who: whoStep,
  category: categoryStep,
  insurance: insuranceStep,
  iin: iinStep,
  region: regionStep,
  settlement: settlementStep,
  clinic: clinicStep,
  ground: groundStep,
  residence: residenceStep,
  documents: documentsStep,
  summary: summaryStep,
};

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

/**
 * The application. Progress lives in the `drafts` row: each pass loads it, asks the current
 * step's question, saves the answer and rewinds the replay log to the top. The stored state is then one step long
 * whatever the depth of the flow (flat replay cost), and a restart, an expired wait or a new version of this code
 * resumes at the same step.
 */
export async function applyConversation(conversation: ApplyConversation, ctx: BaseContext): Promise<void> {
  const top = conversation.checkpoint();
  let draft = parseDraft(
    await conversation.external(async (o) => (await loadDraft(o.deps, o.from?.id ?? 0))?.data ?? null),
  );
  const result = await HANDLERS[draft.step]({ conversation, ctx, draft });
  const c = result.ctx;
  if (result.kind === "cancel") {
    await c.reply(c.t("apply.cancelled"), { reply_markup: { remove_keyboard: true } });
    return;
  }
  // submitDraft removed the draft in the same external call that stored the request.
  if (result.kind === "submitted") return;
  draft = advance(draft, result);
  if (draft.residenceKind) {
    // Any answer may change what must be brought (child, category, residence): recompute, drop files no longer needed.
    const current = draft;
    const requiredDocs = await conversation.external((o) => documentsFor(o.deps, current));
    draft = { ...draft, requiredDocs, documents: draft.documents.filter((d) => requiredDocs.includes(d.kind)) };
  }
  draft = settle(draft);
  const saved = draft;
  await conversation.external(async (o) => {
    await saveDraft(o.deps, o.from?.id ?? 0, saved, o.deps.clock.now().toISOString());
  });
  await conversation.rewind(top);
}
