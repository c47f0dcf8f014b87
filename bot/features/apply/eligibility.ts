import type { Db } from "../../../data/db.js";
import { clinicFacts, getClinic, type Clinic } from "../../../data/repositories/clinics.js";
import { getSettlement } from "../../../data/repositories/places.js";
import { approvedHistory, currentAttachment } from "../../../data/repositories/requests.js";
import {
  allowedGrounds,
  almatyDate,
  effectiveYear,
  evaluate,
  type Decision,
  type EvaluationInput,
} from "../../../rules/index.js";
import type { Deps } from "../../context.js";
import type { Draft } from "./draft.js";

/** Why a clinic cannot take the person now, as the clinic step shows it (R4–R6). */
export type ClinicProblem = "inactive" | "no_licence" | "no_contract" | "full" | "other_settlement";

/** R4–R6 on the clinic alone; the year is the one the attachment would take effect in (R5). */
export function clinicProblem(clinic: Clinic, residenceAtu: string, year: number): ClinicProblem | null {
  if (!clinic.active) return "inactive";
  if (!clinic.licensed) return "no_licence";
  if (!clinic.contractYears.includes(year)) return "no_contract";
  if (clinic.attached >= clinic.capacity) return "full";
  if (residenceAtu && clinic.atuCode !== residenceAtu) return "other_settlement";
  return null;
}

export async function attachmentYear(deps: Deps, now: Date): Promise<number> {
  return effectiveYear(now, await deps.rules.policyFor(now));
}

/** What the rules need about this person, the place and the clinic: read from the database in one go. */
async function inputFor(db: Db, draft: Draft, now: Date): Promise<EvaluationInput> {
  const settlement = draft.settlementId ? await getSettlement(db, draft.settlementId) : undefined;
  const clinic = draft.clinicId ? await getClinic(db, draft.clinicId) : undefined;
  const history = draft.iin ? await approvedHistory(db, draft.iin) : [];
  const attachment = draft.iin ? await currentAttachment(db, draft.iin) : undefined;
  return {
    now: now.toISOString(),
    applicant: { category: draft.category ?? "citizen" },
    person: { iin: draft.iin, forChild: draft.forChild ?? false },
    residence: settlement ? { kind: draft.residenceKind ?? "registered", atuCode: settlement.atuCode } : undefined,
    clinic: clinic ? clinicFacts(clinic) : undefined,
    ground: draft.ground,
    currentAttachment: attachment ? { clinicId: attachment.clinic_id, since: attachment.since } : null,
    history: history.flatMap((h) => (h.decided_at ? [{ decidedAt: h.decided_at, ground: h.ground }] : [])),
    documents: [...new Set(draft.documents.map((d) => d.kind))],
  } as EvaluationInput;
}

export async function evaluateDraft(deps: Deps, draft: Draft, now: Date): Promise<Decision> {
  const policy = await deps.rules.policyFor(now);
  return evaluate(await inputFor(deps.db, draft, now), policy, deps.rules.calendar);
}

/** R7–R9: the grounds open to this person today. */
export async function groundsToday(deps: Deps, draft: Draft): Promise<{ grounds: string[]; date: string }> {
  const now = deps.clock.now();
  const policy = await deps.rules.policyFor(now);
  const input = await inputFor(deps.db, draft, now);
  return { grounds: allowedGrounds(input, policy), date: almatyDate(now) };
}

/** R2, R11, R12: documents this draft must carry. */
export async function documentsFor(deps: Deps, draft: Draft): Promise<string[]> {
  const decision = await evaluateDraft(deps, { ...draft, documents: [] }, deps.clock.now());
  return decision.missingDocuments;
}
