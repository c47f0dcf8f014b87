import type { Store } from "../../data/db.js";
import type { IinKey } from "../../data/vault.js";
import { clinicFacts, getClinic, type Clinic } from "../../data/repositories/clinics.js";
import { getSettlement } from "../../data/repositories/places.js";
import { approvedHistory, currentAttachment } from "../../data/repositories/requests.js";
import { readShared } from "../../data/shared-reads.js";
import { readOnce } from "../../data/unit-of-work.js";
import {
  allowedGrounds,
  almatyDate,
  clinicReasons,
  decisionDueBy,
  effectiveYear,
  evaluate,
  GroundSchema,
  groundReasons,
  type Decision,
  type EvaluationInput,
  type Policy,
  type ReasonCode,
} from "../../rules/index.js";
import type { Deps } from "../context.js";
import { needsInsurance, type Draft } from "./draft.js";

/** What the clinic list needs to mark clinics the person cannot choose (R3–R6). */
export interface ClinicCheck {
  policy: Policy;
  year: number;
  residenceAtu: string | undefined;
  currentClinicId: string | undefined;
}

// The application asks for these several times in one update (the question an answer is checked against, the
// answer, the next question), and every applicant asks for the same few: the bot keeps them until the directory
// changes (data/shared-reads.ts).

/** A settlement of the directory, as the bot keeps it. */
export function settlementOf(store: Store, id: string | undefined) {
  return id
    ? readShared(store, "directory", `settlement:${id}`, () => getSettlement(store.db, id))
    : Promise.resolve(undefined);
}

/** A clinic of the directory, as the bot keeps it. */
export function clinicOf(store: Store, id: string | undefined): Promise<Clinic | undefined> {
  return id
    ? readShared(store, "directory", `clinic:${id}`, () => getClinic(store.db, id))
    : Promise.resolve(undefined);
}

/**
 * R3, R9: look-ups go by the IIN's keyed HMAC, never the IIN. An update asks for it several times (the clinic list,
 * the checks): it is computed once per update.
 */
function iinKey({ vault, uow }: Store, iin: string): IinKey {
  const kept = uow?.open ? uow.get<{ iin: string; key: IinKey }>("iin-index") : undefined;
  if (kept?.iin === iin) return kept.key;
  const key = vault.index(iin);
  if (uow?.open) uow.remember("iin-index", { iin, key });
  return key;
}

function attachmentOf({ db, uow }: Store, key: IinKey) {
  return readOnce(uow, `attachment:${key}`, () => currentAttachment(db, key));
}

function historyOf({ db, uow }: Store, key: IinKey) {
  return readOnce(uow, `history:${key}`, () => approvedHistory(db, key));
}

export async function clinicCheck(deps: Deps, draft: Draft): Promise<ClinicCheck> {
  const now = deps.clock.now();
  const policy = await deps.rules.policyFor(now);
  const settlement = await settlementOf(deps, draft.settlementId);
  const attachment = draft.iin ? await attachmentOf(deps, iinKey(deps, draft.iin)) : undefined;
  // R5: the Fund contract must cover the year the attachment would take effect in; "on the decision" is the year
  // of the due date (R10), as in evaluate: a filing on 31 December is decided in January.
  const ground = GroundSchema.safeParse(draft.ground);
  const decisionDue = decisionDueBy(now, policy, await deps.rules.calendar());
  return {
    policy,
    year: effectiveYear(now, policy, { ground: ground.success ? ground.data : undefined, decisionDue }),
    residenceAtu: settlement?.atuCode,
    currentClinicId: attachment?.clinic_id,
  };
}

/** The first (most fundamental) reason the clinic cannot take the person, or null. */
export function clinicProblem(clinic: Clinic, check: ClinicCheck): ReasonCode | null {
  return clinicReasons(clinicFacts(clinic), check)[0] ?? null;
}

/** What the rules need about this person, the place and the clinic, read from the database. */
async function inputFor(store: Store, draft: Draft, now: Date, final: boolean): Promise<EvaluationInput> {
  const key = draft.iin ? iinKey(store, draft.iin) : undefined;
  // Asked together: the reads queue for the one connection side by side rather than one after the other.
  const [settlement, clinic, history, attachment] = await Promise.all([
    settlementOf(store, draft.settlementId),
    clinicOf(store, draft.clinicId),
    key ? historyOf(store, key) : [],
    key ? attachmentOf(store, key) : undefined,
  ]);
  const ground = GroundSchema.safeParse(draft.ground);
  return {
    now: now.toISOString(),
    // R2: the contract only for the insured categories (for others a voluntary one would make a ДМС holder, R13).
    applicant: {
      category: draft.category ?? "citizen",
      insurance: needsInsurance(draft) ? draft.insurance : undefined,
    },
    person: { iin: draft.iin, forChild: draft.forChild ?? false },
    residence: settlement ? { kind: draft.residenceKind ?? "registered", atuCode: settlement.atuCode } : undefined,
    clinic: clinic ? clinicFacts(clinic) : undefined,
    ground: ground.success ? ground.data : undefined,
    currentAttachment: draft.iin
      ? attachment
        ? { clinicId: attachment.clinic_id, since: attachment.since }
        : null
      : undefined,
    history: history.flatMap((h) => (h.decided_at ? [{ decidedAt: h.decided_at, ground: h.ground }] : [])),
    documents: [...new Set(draft.documents.map((d) => d.kind))],
    final,
  };
}

/** The engine's decision on the draft; `final` turns unanswered steps into the reason "incomplete". */
export async function evaluateDraft(deps: Deps, draft: Draft, now: Date, final = false): Promise<Decision> {
  const policy = await deps.rules.policyFor(now);
  return evaluate(await inputFor(deps, draft, now, final), policy, await deps.rules.calendar());
}

/** R7–R9: the grounds open to this person today, and why personal choice is not among them when it is not. */
export async function groundsToday(
  deps: Deps,
  draft: Draft,
): Promise<{ grounds: string[]; date: string; freeChoiceClosedBy: ReasonCode[] }> {
  const now = deps.clock.now();
  const policy = await deps.rules.policyFor(now);
  const input = await inputFor(deps, draft, now, false);
  const ctx = { now, currentAttachment: input.currentAttachment, history: input.history };
  const grounds = allowedGrounds(ctx, policy);
  const freeChoiceClosedBy = grounds.includes("free_choice") ? [] : groundReasons("free_choice", ctx, policy);
  return { grounds, date: almatyDate(now), freeChoiceClosedBy };
}

/** R2, R11, R12: documents this draft must carry. */
export async function documentsFor(deps: Deps, draft: Draft): Promise<string[]> {
  return (await evaluateDraft(deps, draft, deps.clock.now())).requiredDocuments;
}
