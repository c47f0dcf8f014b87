import { loadDraft, deleteDraft } from "../../../data/repositories/drafts.js";
import { createRequest } from "../../../data/repositories/requests.js";
import { GroundSchema, parseIin } from "../../../rules/index.js";
import type { Deps } from "../../context.js";
import type { Locale } from "../../i18n.js";
import { needsInsurance, type Draft } from "../../application/draft.js";
import { evaluateDraft, settlementOf } from "../../application/eligibility.js";
import { dueDoubtYears, effectiveDoubt } from "../../ui/policy-words.js";

export type SubmitOutcome =
  | { kind: "refused"; reasons: string[] }
  | { kind: "open_request"; number: string }
  | {
      kind: "stored";
      created: boolean;
      requestId: number;
      number: string;
      decisionDue: string;
      effectiveFrom: string | null;
      /** Advice and information from the rules (R3, R15, R16…), as codes with their variables. */
      notes: { code: string; vars?: Record<string, string> }[];
      /** What may still move (locales policy.<code>): an effective date or a due day set by provisional data. */
      provisional: { code: string; vars?: Record<string, string> }[];
    };

/**
 * Confirm: the rules run again on the current clock (the window may have closed since the first check), then the
 * request and its documents are stored in one transaction. The draft's submission key (its token and revision) makes it idempotent.
 */
export async function submitDraft(deps: Deps, userId: number, draft: Draft, locale: Locale): Promise<SubmitOutcome> {
  const now = deps.clock.now();
  const decision = await evaluateDraft(deps, draft, now, true);
  if (decision.outcome === "refused") return { kind: "refused", reasons: decision.reasons };
  const iin = draft.iin ?? "";
  const parsed = parseIin(iin, now);
  const settlement = await settlementOf(deps, draft.settlementId);
  if (!parsed.ok || !settlement || !draft.clinicId || !draft.ground || !draft.category || !draft.residenceKind) {
    return { kind: "refused", reasons: ["incomplete"] };
  }
  // R2: the rules refused an insured category without its contract; the attachment ends on its last day.
  const insurance = needsInsurance(draft) ? (draft.insurance ?? null) : null;
  const saved = await loadDraft(deps, userId);
  const at = now.toISOString();
  const result = await createRequest(
    deps,
    {
      user_id: userId,
      iin,
      person_birth_date: parsed.birthDate,
      for_child: draft.forChild ? 1 : 0,
      applicant_category: draft.category,
      special_category: null,
      region_id: settlement.regionId,
      settlement_id: settlement.id,
      clinic_id: draft.clinicId,
      ground: draft.ground,
      residence_kind: draft.residenceKind,
      status: decision.outcome === "needsDocuments" ? "needs_documents" : "pending",
      submitted_at: at,
      decision_due: decision.decisionDueBy,
      effective_from: decision.effectiveFrom,
      outcome_at_submission: JSON.stringify(decision),
      locale,
      decided_by: null,
      decided_at: null,
      reject_reason: null,
      reject_note: null,
      // Without a stored draft (already submitted and deleted) the key cannot match a new request by chance.
      source_key: saved?.submissionKey ?? `${userId}:none:${at}`,
      insurance_kind: insurance?.kind ?? null,
      insurance_valid_until: insurance?.validUntil ?? null,
    },
    draft.documents.map((d) => ({
      kind: d.kind,
      file_id: d.fileId,
      file_unique_id: d.fileUniqueId,
      mime_type: d.mimeType,
      file_size: d.fileSize,
      file_name: d.fileName,
      added_at: at,
    })),
  );
  if (!result.ok) return { kind: "open_request", number: result.existing.number };
  await deleteDraft(deps, userId);
  const r = result.request;
  const ground = GroundSchema.safeParse(draft.ground);
  const doubt = effectiveDoubt(now, await deps.rules.policyFor(now), ground.success ? ground.data : undefined);
  const years = dueDoubtYears(r.submitted_at, r.decision_due, await deps.rules.calendar());
  return {
    kind: "stored",
    created: result.created,
    requestId: r.id,
    number: r.number,
    // Almaty days as ISO: the texts put them in their language's grammar ({{due, date}}).
    decisionDue: r.decision_due,
    effectiveFrom: r.effective_from,
    // The effective date is already in the message itself; a provisional due day is said with the others below.
    notes: decision.notes
      .filter((n) => !["effective_from", "effective_on_decision", "decision_due_provisional"].includes(n.code))
      .map((n) => ({
        code: n.code,
        vars: n.vars,
      })),
    provisional: [
      ...(doubt ? [{ code: doubt === "campaign" ? "effective_unconfirmed" : "effective_provisional" }] : []),
      ...(years.length ? [{ code: "due_provisional", vars: { year: years.join(", ") } }] : []),
    ],
  };
}
