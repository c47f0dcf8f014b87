import { z } from "zod";
import {
  CategorySchema,
  CheckSchema,
  DocumentCodeSchema,
  GroundSchema,
  NoteCodeSchema,
  OutcomeSchema,
  ReasonCodeSchema,
  SpecialCategorySchema,
} from "./codes.js";
import { isValidDate, splitDate } from "./dates.js";

// Inputs and outputs of evaluate(). Instants cross the boundary as ISO strings with an offset (JSON-safe, the way
// conversations' externals return them); calendar days as "YYYY-MM-DD" Almaty days.

export const IsoDateSchema = z
  .string()
  .regex(/^\d{4}-\d{2}-\d{2}$/, "YYYY-MM-DD")
  .refine((s) => {
    const { y, m, d } = splitDate(s);
    return isValidDate(y, m, d);
  }, "no such day");

export const InstantSchema = z.iso.datetime({ offset: true });

/**
 * The law keeps moving, so every year's policy and holiday table says whether it is confirmed by an
 * official text or provisional (an estimate, a default, or a rule announced but not yet in force).
 */
export const DataStatusSchema = z.enum(["confirmed", "provisional"]);
export type DataStatus = z.infer<typeof DataStatusSchema>;

/** A day, or only a month or year when the source is not dated more precisely ("2026-12": read in December 2026). */
const SourceDateSchema = z
  .string()
  .regex(/^\d{4}(-\d{2}(-\d{2})?)?$/, "YYYY-MM-DD, YYYY-MM or YYYY")
  .refine((s) => {
    const [y, m, d] = s.split("-").map(Number);
    return isValidDate(y ?? NaN, m ?? 1, d ?? 1);
  }, "no such day");

/** What a fact rests on: an order, a law, a service card, a press report; `date` is its date or the day it was read. */
export const SourceSchema = z.object({
  source: z.string().trim().min(1),
  date: SourceDateSchema,
  note: z.string().optional(),
});
export type Source = z.infer<typeof SourceSchema>;

export const AtuCodeSchema = z.string().regex(/^\d{9}$/, "9 digits");

/** What the clinic directory knows about a clinic (R4–R6). */
export const ClinicFactsSchema = z.object({
  id: z.string().min(1),
  /** The clinic's settlement ATU (KATO-like, 9 digits). */
  atuCode: AtuCodeSchema,
  licensed: z.boolean(),
  /** Years with a Fund (ФСМС) contract. */
  contractYears: z.array(z.number().int()),
  capacity: z.number().int().min(0),
  attached: z.number().int().min(0),
  active: z.boolean(),
});
export type ClinicFacts = z.infer<typeof ClinicFactsSchema>;

export const InsuranceSchema = z.object({
  /** R2: voluntary (ДМС) or imputed/compulsory (вменённое). */
  kind: z.enum(["voluntary", "compulsory"]),
  /** Last day of the contract; the attachment ends with it. */
  validUntil: IsoDateSchema,
});

export const ApplicantSchema = z.object({
  category: CategorySchema,
  insurance: InsuranceSchema.optional(),
  /** R13: set when the person belongs to a category that may file in person. */
  specialCategory: SpecialCategorySchema.optional(),
});

export const HistoryEntrySchema = z.object({
  /** When an earlier change was approved (instant or Almaty day). */
  decidedAt: z.string().min(10),
  /** A Ground; other strings (legacy rows) are ignored by the quota. */
  ground: z.string(),
  /** When it was filed (R9: a campaign application is one filed inside the window); absent → decidedAt. */
  submittedAt: z.string().min(10).optional(),
});
export type HistoryEntry = z.infer<typeof HistoryEntrySchema>;

/**
 * One application, possibly incomplete: leave out `person.iin`, `residence`, `clinic` or `ground` and their checks
 * are skipped (listed in Decision.skipped) — that is the "Can I attach?" pre-check. `final: true` turns each
 * skipped check into the reason "incomplete".
 */
export const EvaluationInputSchema = z.object({
  now: InstantSchema,
  applicant: ApplicantSchema,
  person: z.object({ iin: z.string().optional(), forChild: z.boolean() }),
  residence: z.object({ kind: z.enum(["registered", "temporary"]), atuCode: AtuCodeSchema }).optional(),
  clinic: ClinicFactsSchema.optional(),
  ground: GroundSchema.optional(),
  /** null = known not to be attached; undefined = unknown. */
  currentAttachment: z.object({ clinicId: z.string(), since: z.string() }).nullable().optional(),
  /** Approved earlier changes (R9 counts personal choices in the calendar year). */
  history: z.array(HistoryEntrySchema).optional(),
  /** Document codes uploaded or declared; unknown strings are ignored. */
  documents: z.array(z.string()).optional(),
  final: z.boolean().optional(),
});
export type EvaluationInput = z.infer<typeof EvaluationInputSchema>;

export const CampaignStatusSchema = z.discriminatedUnion("kind", [
  z.object({ kind: z.literal("all_year") }),
  z.object({ kind: z.enum(["before", "inside", "after"]), start: IsoDateSchema, end: IsoDateSchema }),
]);

export const NoteSchema = z.object({ code: NoteCodeSchema, vars: z.record(z.string(), z.string()).optional() });
export type Note = z.infer<typeof NoteSchema>;

export const DecisionSchema = z
  .object({
    outcome: OutcomeSchema,
    /** R14: why not (refused), or why documents are awaited (needsDocuments). */
    reasons: z.array(ReasonCodeSchema),
    missingDocuments: z.array(DocumentCodeSchema),
    /** Everything this application needs, including what is already there. */
    requiredDocuments: z.array(DocumentCodeSchema),
    /** R7, R8: Almaty day the attachment takes effect; null = on the decision. */
    effectiveFrom: IsoDateSchema.nullable(),
    /** R5: the year whose Fund contract the clinic needs. */
    effectiveYear: z.number().int(),
    /** R10: Almaty day by which the decision is due. */
    decisionDueBy: IsoDateSchema,
    /** R13: may file a written application at the clinic without ЭЦП; what to bring. */
    inPersonAllowed: z.boolean(),
    inPersonDocuments: z.array(DocumentCodeSchema),
    /** R2: the attachment ends with the insurance contract. */
    attachmentEndsOn: IsoDateSchema.nullable(),
    /** R11: from a valid IIN when given, else the form's "for a child". */
    isChild: z.boolean(),
    campaign: CampaignStatusSchema,
    /**
     * The status of the policy the decision was made on; provisional → what it says about the campaign,
     * the quota and the grounds may change (say so, point to 1414). Absent in decisions stored before it existed.
     */
    policyStatus: DataStatusSchema.optional(),
    /** R7–R9: grounds open to this person today. */
    allowedGrounds: z.array(GroundSchema),
    notes: z.array(NoteSchema),
    skipped: z.array(CheckSchema),
  })
  .refine((d) => d.outcome !== "refused" || d.reasons.length > 0, "a refusal carries at least one reason");
export type Decision = z.infer<typeof DecisionSchema>;
