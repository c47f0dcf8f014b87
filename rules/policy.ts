import { z } from "zod";
import { DocumentCodeSchema, GroundSchema, SpecialCategorySchema, type DocumentCode } from "./codes.js";
import { isValidDate } from "./dates.js";
import { DataStatusSchema, SourceSchema } from "./schemas.js";

// The attachment rules are in flux, so every tunable value is data, one policy per year, each year
// marked confirmed or provisional with what it rests on.

const MonthDaySchema = z
  .string()
  .regex(/^\d{2}-\d{2}$/, "MM-DD")
  .refine((s) => isValidDate(2024, Number(s.slice(0, 2)), Number(s.slice(3, 5))), "no such day");

const AtuCodeSchema = z.string().regex(/^\d{9}$/, "9 digits");

/** A day given as a month-day and a number of years after the year of the application (0 or 1). */
const EffectiveDaySchema = z.object({ monthDay: MonthDaySchema, yearOffset: z.number().int().min(0).max(1) });

export const CampaignSchema = z
  .object({
    /** R7: first and last day of the window, inclusive, Almaty days (MM-DD). */
    start: MonthDaySchema,
    end: MonthDaySchema,
    /** R7: an application inside the window takes effect on this day, `yearOffset` years after the window's year. */
    effectiveFrom: EffectiveDaySchema,
  })
  .refine((c) => c.start <= c.end, { message: "the window must start before it ends within one year", path: ["end"] });

const documentList = z.array(DocumentCodeSchema).refine((d) => new Set(d).size === d.length, "duplicates");

/** R11–R13 (Order № 44 of 12 May 2025): the documents an application carries, per case. */
export const PolicyDocumentsSchema = z.object({
  /** R11: what an application for a child carries (a birth certificate). */
  child: documentList,
  /** R13: what anyone filing in person shows at the clinic besides the category's own documents (an identity document). */
  inPerson: documentList,
  /** R13: each in-person category's own documents (pension certificate, guardianship papers, commission protocol…). */
  specialCategories: z.record(SpecialCategorySchema, documentList),
  /** R12: any one of these proves temporary residence, when policy asks for a proof. */
  temporaryResidenceProof: documentList.min(1),
});
export type PolicyDocuments = z.infer<typeof PolicyDocumentsSchema>;

/**
 * How long personal data is kept (Law № 94-V: no longer than its purpose needs). The operator's numbers, as data;
 * a policy file without them takes DEFAULT_RETENTION.
 */
export const RetentionSchema = z.object({
  /** An unfinished application untouched this many days is deleted, with its conversation. */
  draftDays: z.number().int().min(1).max(3650),
  /** A decided or withdrawn request's document references (file ids) are removed this many days after the decision. */
  documentDays: z.number().int().min(0).max(3650),
  /**
   * A decided or withdrawn request loses its personal fields (IIN, birth date, documents, a free-text note) this many
   * years after the decision; its number, status and dates stay for the statistics.
   */
  requestYears: z.number().int().min(1).max(75),
});
export type Retention = z.infer<typeof RetentionSchema>;
export const DEFAULT_RETENTION: Retention = { draftDays: 30, documentDays: 90, requestYears: 3 };

export const PolicySchema = z.object({
  /** The calendar year this policy governs (the bot picks the policy by now's Almaty year). */
  year: z.number().int().min(2020).max(2100),
  /** confirmed: every fact below rests on an official text for this year; provisional: something is assumed. */
  status: DataStatusSchema,
  /** What the policy rests on, each dated (an order, the service card, a Ministry statement). */
  sources: z.array(SourceSchema).min(1),
  /**
   * R7: null = no campaign. With status provisional that reads "no campaign is announced": attachment all year as
   * far as is known (see campaignAnnouncement).
   */
  campaign: CampaignSchema.nullable(),
  /** R8: when an application outside the campaign takes effect: on the decision, or on a given day (e.g. 1 January next year). */
  effectiveOutsideCampaign: z.union([z.literal("on_decision"), EffectiveDaySchema]),
  /** R9: personal-choice changes per calendar year. */
  freeChangesPerYear: z.number().int().min(0).max(12),
  /** R9: whether a campaign application uses one of the year's free changes (and is limited by them). */
  campaignCountsTowardQuota: z.boolean(),
  /** R8: grounds accepted outside the window (free_choice here = within the quota all year). */
  groundsOutsideCampaign: z.array(GroundSchema).refine((g) => new Set(g).size === g.length, "duplicates"),
  /** R12: temporary residence needs a proof (one of documents.temporaryResidenceProof). */
  requireProofForTemporaryResidence: z.boolean(),
  /** R11: children younger than this attach at their actual residence (no proof of residence asked); null = none. */
  actualResidenceUnderAge: z.number().int().min(1).max(18).nullable(),
  /** R11–R13: the documents each case needs. */
  documents: PolicyDocumentsSchema,
  /** R10: filed at or after this Almaty time → the clock starts on the next working day. */
  workingDayEnds: z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$/, "HH:MM"),
  /** R10: the decision is due within this many working days. */
  decisionWorkingDays: z.number().int().min(1).max(30),
  /** R4: residents of `from` may attach to a clinic in the neighbouring ATU `to` (one direction per entry). */
  borderTerritories: z.array(z.object({ from: AtuCodeSchema, to: AtuCodeSchema, note: z.string().optional() })),
  /** How long personal data is kept; the privacy notice states these numbers. */
  retention: RetentionSchema.default(DEFAULT_RETENTION),
  note: z.string().optional(),
});
export type Policy = z.infer<typeof PolicySchema>;

/** A policy file in data/datasets/policy/<year>.json must govern that year. */
export function parsePolicy(data: unknown, expectedYear?: number): Policy {
  const policy = PolicySchema.parse(data);
  if (expectedYear !== undefined && policy.year !== expectedYear) {
    throw new Error(`policy for ${policy.year} found where ${expectedYear} was expected`);
  }
  return policy;
}

/** R4: may a resident of `residentAtu` attach to a clinic in `clinicAtu`? Same ATU, or a policy border pair. */
export function atuAllowed(residentAtu: string, clinicAtu: string, policy: Policy): boolean {
  if (residentAtu === clinicAtu) return true;
  return policy.borderTerritories.some((b) => b.from === residentAtu && b.to === clinicAtu);
}

/**
 * R7: what may be said about the year's campaign.
 * - `confirmed`: a campaign in force (dates, reminders);
 * - `expected`: a window in the data that no official text confirms: say the dates are not confirmed, ask 1414;
 * - `none`: officially no campaign, attachment all year;
 * - `not_announced`: no campaign in the data and the year is provisional: "no campaign is announced; attachment all
 *   year as far as is known; ask 1414".
 */
export type CampaignAnnouncement = "confirmed" | "expected" | "none" | "not_announced";

export function campaignAnnouncement(policy: Pick<Policy, "campaign" | "status">): CampaignAnnouncement {
  if (policy.campaign) return policy.status === "confirmed" ? "confirmed" : "expected";
  return policy.status === "confirmed" ? "none" : "not_announced";
}

/** R7: campaign reminders go out only for a confirmed campaign. */
export function campaignConfirmed<P extends Pick<Policy, "campaign" | "status">>(
  policy: P,
): policy is P & { campaign: NonNullable<Policy["campaign"]> } {
  return campaignAnnouncement(policy) === "confirmed";
}

/** R12: the documents that stand in for a required one (a residence proof: any of the policy's list). */
export function satisfiedBy(code: DocumentCode, policy: Pick<Policy, "documents">): readonly DocumentCode[] {
  return code === "residence_proof" ? ["residence_proof", ...policy.documents.temporaryResidenceProof] : [code];
}
