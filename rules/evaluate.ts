import { applicantReasons, attachmentEndsOn, inPersonChannel, needsInsuranceTerm } from "./applicant.js";
import { campaignStatus, effectiveFrom, effectiveYear } from "./campaign.js";
import { clinicReasons } from "./clinic.js";
import type { Check, Outcome, ReasonCode } from "./codes.js";
import { almatyDate, toInstant } from "./dates.js";
import { attachesAtActualResidence, missingDocuments, requiredDocuments } from "./documents.js";
import { allowedGrounds, groundReasons } from "./grounds.js";
import { ageOn, isChild, parseIin } from "./iin.js";
import type { Policy } from "./policy.js";
import type { Decision, EvaluationInput, Note } from "./schemas.js";
import { decisionDueBy, provisionalHolidayYears, type WorkingCalendar } from "./working-days.js";

/**
 * Decides one application (R1–R18) on the policy and calendar given. Pure: "now" comes in the input.
 * Missing parts are skipped, not failed (see EvaluationInput); `input.final` makes them fail as "incomplete".
 */
export function evaluate(input: EvaluationInput, policy: Policy, calendar: WorkingCalendar): Decision {
  const now = toInstant(input.now);
  const today = almatyDate(now); // R17
  const reasons: ReasonCode[] = [];
  const skipped: Check[] = [];

  // R18: an invalid IIN stops the application; R11: the IIN's age must match "for myself" / "for a child".
  let child = input.person.forChild;
  let childAge: number | null = null; // R11: known from a valid IIN
  if (input.person.iin === undefined || input.person.iin === "") {
    skipped.push("iin");
  } else {
    const parsed = parseIin(input.person.iin, now);
    if (!parsed.ok) {
      reasons.push("iin_invalid");
    } else {
      child = isChild(parsed.birthDate, today);
      if (child) childAge = ageOn(parsed.birthDate, today);
      if (input.person.forChild && !child) reasons.push("adult_applies_self");
      if (!input.person.forChild && child) reasons.push("minor_needs_representative");
    }
  }

  const ground = input.ground;
  const from = effectiveFrom(now, policy, ground); // R7, R8
  const due = decisionDueBy(now, policy, calendar); // R10
  const year = effectiveYear(now, policy, { ground, decisionDue: due }); // R5

  reasons.push(...applicantReasons(input.applicant, today, from)); // R1, R2
  // R2: the contract's end date decides the attachment's term; without it the check waits (or, final, blocks).
  if (needsInsuranceTerm(input.applicant)) skipped.push("insurance");

  const status = campaignStatus(now, policy);
  const groundCtx = { now, currentAttachment: input.currentAttachment, history: input.history };
  if (ground === undefined) skipped.push("ground");
  else reasons.push(...groundReasons(ground, groundCtx, policy, status)); // R7–R9

  if (input.residence === undefined) skipped.push("residence");
  if (input.clinic === undefined) {
    skipped.push("clinic");
  } else {
    reasons.push(
      ...clinicReasons(input.clinic, {
        residenceAtu: input.residence?.atuCode,
        year,
        currentClinicId: input.currentAttachment?.clinicId,
        policy,
      }),
    ); // R3–R6
  }

  if (input.final && skipped.some((c) => c !== "insurance")) reasons.push("incomplete");
  if (input.final && skipped.includes("insurance")) reasons.push("insurance_term_missing");

  const required = requiredDocuments(input, child, policy, childAge); // R2, R11, R12, R13
  const missing = missingDocuments(required, input.documents ?? [], policy);
  let outcome: Outcome = "accepted";
  if (reasons.length > 0) outcome = "refused";
  else if (missing.length > 0) {
    outcome = "needsDocuments";
    reasons.push(child ? "child_documents_missing" : "documents_missing"); // R11, R14
  }

  const inPerson = inPersonChannel(input.applicant, policy); // R13
  const endsOn = attachmentEndsOn(input.applicant); // R2
  return {
    outcome,
    reasons: [...new Set(reasons)],
    missingDocuments: missing,
    requiredDocuments: required,
    effectiveFrom: from,
    effectiveYear: year,
    decisionDueBy: due,
    inPersonAllowed: inPerson.allowed,
    inPersonDocuments: inPerson.documents,
    attachmentEndsOn: endsOn,
    isChild: child,
    campaign: status,
    allowedGrounds: allowedGrounds(groundCtx, policy),
    policyStatus: policy.status,
    notes: [
      ...notesFor(input, from, endsOn, child, childAge, policy),
      // R10: a year without a holiday table (no Kurban Ait, no transfers) or with a provisional one: the date may move.
      ...(provisionalHolidayYears(today, due, calendar).length
        ? [{ code: "decision_due_provisional" as const, vars: { date: due } }]
        : []),
    ],
    skipped,
  };
}

function notesFor(
  input: EvaluationInput,
  from: string | null,
  endsOn: string | null,
  child: boolean,
  childAge: number | null,
  policy: Policy,
): Note[] {
  const notes: Note[] = [];
  // R3: the old attachment ends by itself.
  if (input.currentAttachment && input.clinic && input.currentAttachment.clinicId !== input.clinic.id)
    notes.push({ code: "auto_detach" });
  notes.push(from ? { code: "effective_from", vars: { date: from } } : { code: "effective_on_decision" }); // R7, R8
  if (endsOn) notes.push({ code: "insurance_term", vars: { date: endsOn } }); // R2
  // R11: a young child (or a child of unknown age) living away from the registered address: the actual residence.
  const young =
    childAge === null ? policy.actualResidenceUnderAge !== null : attachesAtActualResidence(childAge, policy);
  if (child && young && input.residence?.kind === "temporary")
    notes.push({ code: "actual_residence_children_pregnant" });
  if (input.clinic)
    notes.push({ code: "family_one_doctor" }, { code: "walking_distance" }, { code: "doctor_by_district" }); // R15, R16
  return notes;
}
