import { z } from "zod";
import { CampaignSchema, PolicySchema, type Policy } from "../../rules/index.js";
import { policyForYear } from "./load-rules-data.js";

/**
 * An override written before policies carried a status and sources: /settings could change only the campaign, and
 * stored it with the whole shipped policy of the time (one free change, work and study as grounds…). Only its
 * campaign was the admin's: it keeps applying, on top of today's shipped policy for that year.
 */
const LegacyOverrideSchema = z
  .looseObject({ year: z.number().int().min(2020).max(2100), campaign: CampaignSchema.nullable() })
  .refine((o) => !("status" in o), "not a legacy override")
  .transform((o): Policy => ({ ...policyForYear(o.year), campaign: o.campaign }));

/** A policy override as stored in settings (`policy:<year>`): a full policy, or a legacy one read as above. */
export const StoredPolicySchema = z.union([PolicySchema, LegacyOverrideSchema]);
