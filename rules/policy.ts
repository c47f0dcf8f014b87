import { z } from "zod";
import { GroundSchema } from "./codes.js";
import { isValidDate } from "./dates.js";

// Domain §2: the attachment rules are in flux, so every tunable value is data, one policy per year.

const MonthDaySchema = z
  .string()
  .regex(/^\d{2}-\d{2}$/, "MM-DD")
  .refine((s) => isValidDate(2024, Number(s.slice(0, 2)), Number(s.slice(3, 5))), "no such day");

const AtuCodeSchema = z.string().regex(/^\d{9}$/, "9 digits");

export const CampaignSchema = z
  .object({
    /** R7: first and last day of the window, inclusive, Almaty days ("09-01", "11-01"). */
    start: MonthDaySchema,
    end: MonthDaySchema,
    /** R7: an application inside the window takes effect on this day, `yearOffset` years after the window's year. */
    effectiveFrom: z.object({ monthDay: MonthDaySchema, yearOffset: z.number().int().min(0).max(1) }),
  })
  .refine((c) => c.start <= c.end, "the window must start before it ends within one year");

export const PolicySchema = z.object({
  /** The calendar year this policy governs (the bot picks the policy by now's Almaty year). */
  year: z.number().int().min(2020).max(2100),
  /** R7: null = attachment all year, no campaign. */
  campaign: CampaignSchema.nullable(),
  /** R8: when an application outside the campaign takes effect: on the decision, or 1 Jan of the next year. */
  effectiveOutsideCampaign: z.enum(["on_decision", "next_year"]),
  /** R9: personal-choice changes per calendar year; a campaign application counts too. */
  freeChangesPerYear: z.number().int().min(0).max(12),
  /** R8: grounds accepted outside the window (free_choice here = within the quota all year). Work/study = legacy flag. */
  groundsOutsideCampaign: z.array(GroundSchema).refine((g) => new Set(g).size === g.length, "duplicates"),
  /** R12: temporary residence needs a rental contract or an akimat certificate. */
  requireProofForTemporaryResidence: z.boolean(),
  /** R10: filed at or after this Almaty time → the clock starts on the next working day. */
  workingDayEnds: z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$/, "HH:MM"),
  /** R10: the decision is due within this many working days. */
  decisionWorkingDays: z.number().int().min(1).max(30),
  /** R4: residents of `from` may attach to a clinic in the neighbouring ATU `to` (one direction per entry). */
  borderTerritories: z.array(z.object({ from: AtuCodeSchema, to: AtuCodeSchema, note: z.string().optional() })),
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
