import { z } from "zod";

// Every code the engine speaks. The bot turns them into text through locales/<lng>/rules.json (rules.<group>.<code>).

/** R1, R2: who the applicant (or the child) is. */
export const CATEGORIES = [
  "citizen",
  "kandas",
  "refugee",
  "residence_permit",
  "eaeu_worker",
  "eaeu_family",
  "foreign_insured",
  "other",
] as const;
export const CategorySchema = z.enum(CATEGORIES);
export type Category = z.infer<typeof CategorySchema>;

/** R7, R8: why the person attaches (or changes clinic). */
export const GROUNDS = [
  "free_choice",
  "residence_change",
  "moved_settlement",
  "clinic_closed",
  "work_change",
  "study_change",
  "first_attachment",
] as const;
export const GroundSchema = z.enum(GROUNDS);
export type Ground = z.infer<typeof GroundSchema>;

/** R13: categories that may file a written application at the clinic, without an ЭЦП signature. */
export const SPECIAL_CATEGORIES = [
  "pensioner",
  "disability",
  "guardian",
  "convict",
  "conscript",
  "born_abroad_child_rep",
  "institution_rep",
  "dms_holder",
  "nonresident_student",
] as const;
export const SpecialCategorySchema = z.enum(SPECIAL_CATEGORIES);
export type SpecialCategory = z.infer<typeof SpecialCategorySchema>;

/** Documents the bot collects (R1, R2, R11, R12) and those to bring in person (R13). */
export const DOCUMENTS = [
  "birth_certificate",
  "residence_proof",
  "rental_contract",
  "akimat_certificate",
  "residence_permit",
  "insurance_contract",
  "identity_document",
  "pension_certificate",
  "disability_document",
  "guardianship_document",
  "commission_protocol",
  "military_document",
  "institution_document",
  "rector_letter",
] as const;
export const DocumentCodeSchema = z.enum(DOCUMENTS);
export type DocumentCode = z.infer<typeof DocumentCodeSchema>;

/** R14: every reason says, in the locale text, what to do next. */
export const REASONS = [
  "iin_invalid", // R18
  "adult_applies_self", // R11
  "minor_needs_representative", // R11
  "category_not_eligible", // R1, R2
  "insurance_expired", // R2
  "insurance_term_missing", // R2: a final check of an insured category without the contract's end date
  "other_settlement", // R4
  "clinic_inactive", // R5
  "clinic_no_licence", // R5
  "clinic_no_contract", // R5
  "clinic_full", // R6
  "already_attached_here", // R3
  "not_first_attachment", // R8
  "outside_campaign", // R7, R8
  "ground_not_allowed", // R8
  "quota_used", // R9
  "child_documents_missing", // R11, R14: needsDocuments while filled in; staff may refuse with it (REFUSAL_GROUNDS)
  "documents_missing", // R2, R12 (with outcome needsDocuments)
  "incomplete", // a final check with a step unanswered
  "unreliable_data", // R14: staff only, the engine cannot detect it
] as const;
export const ReasonCodeSchema = z.enum(REASONS);
export type ReasonCode = z.infer<typeof ReasonCodeSchema>;

/** Information the bot may show with a decision; never a reason to refuse. */
export const NOTES = [
  "auto_detach", // R3
  "insurance_term", // R2, {{date}}
  "effective_from", // R7, R8, {{date}}
  "effective_on_decision", // R8
  "actual_residence_children_pregnant", // R11
  "family_one_doctor", // R15
  "walking_distance", // R15
  "doctor_by_district", // R16
  "decision_due_provisional", // R10, {{date}}: computed without an official holiday table for that year
] as const;
export const NoteCodeSchema = z.enum(NOTES);
export type NoteCode = z.infer<typeof NoteCodeSchema>;

export const OUTCOMES = ["accepted", "refused", "needsDocuments"] as const;
export const OutcomeSchema = z.enum(OUTCOMES);
export type Outcome = z.infer<typeof OutcomeSchema>;

/** Steps a partial ("Can I attach?") evaluation may leave out; listed in Decision.skipped. */
export const CHECKS = ["iin", "residence", "clinic", "ground", "insurance"] as const;
export const CheckSchema = z.enum(CHECKS);
export type Check = z.infer<typeof CheckSchema>;

/** Interpolation variables a note's message uses; the locale test checks these. */
export const NOTE_VARS: Partial<Record<NoteCode, readonly string[]>> = {
  insurance_term: ["date"],
  effective_from: ["date"],
  decision_due_provisional: ["date"],
};

/**
 * R14: the refusal grounds of the rules, each with the engine's reason codes that fall under it. Staff refuse with
 * a ground (plus a free-text "other"); `child_documents_missing` is one, although the engine itself answers
 * needsDocuments while the application can still be completed (see README "Children's documents").
 */
export const REFUSAL_GROUNDS = {
  unreliable_data: ["unreliable_data", "iin_invalid"],
  other_settlement: ["other_settlement"],
  clinic_full: ["clinic_full"],
  child_documents_missing: ["child_documents_missing"],
  not_eligible: ["category_not_eligible", "insurance_expired", "insurance_term_missing", "documents_missing"],
  outside_campaign: ["outside_campaign", "ground_not_allowed"],
  quota_used: ["quota_used"],
} as const satisfies Record<string, readonly ReasonCode[]>;
export type RefusalGround = keyof typeof REFUSAL_GROUNDS;
