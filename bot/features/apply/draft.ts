import { z } from "zod";
import { CATEGORIES, type Category } from "../../../rules/index.js";

/** The steps of the application, in order; `documents` is skipped when nothing is required. */
export const STEPS = ["who", "category", "iin", "region", "settlement", "clinic", "ground", "residence", "documents", "summary"] as const;
export type StepId = (typeof STEPS)[number];

// R1, R2: the categories are the rules' own.
export { CATEGORIES, type Category };

export const DocumentSchema = z.object({
  kind: z.string().max(40),
  fileId: z.string().max(300),
  fileUniqueId: z.string().max(100),
  mimeType: z.string().max(100).nullable(),
  fileSize: z.number().int().nonnegative().nullable(),
  fileName: z.string().max(255).nullable(),
});
export type UploadedDocument = z.infer<typeof DocumentSchema>;

/** Everything answered so far. Stored as JSON in `drafts`; validated on every load (a new version may read an old row). */
export const DraftSchema = z.object({
  step: z.enum(STEPS).default("who"),
  /** After an edit from the summary, go back there instead of onwards. */
  returnToSummary: z.boolean().default(false),
  forChild: z.boolean().optional(),
  category: z.enum(CATEGORIES).optional(),
  iin: z.string().regex(/^\d{12}$/).optional(),
  regionId: z.string().max(40).optional(),
  settlementId: z.string().max(40).optional(),
  location: z.object({ lat: z.number(), lon: z.number() }).optional(),
  clinicId: z.string().max(40).optional(),
  ground: z.string().max(40).optional(),
  residenceKind: z.enum(["registered", "temporary"]).optional(),
  /** What the rules asked for at the residence step (R11, R12, R2); the documents step collects these. */
  requiredDocs: z.array(z.string().max(40)).max(10).default([]),
  documents: z.array(DocumentSchema).max(30).default([]),
});
export type Draft = z.infer<typeof DraftSchema>;

export function emptyDraft(): Draft {
  return DraftSchema.parse({});
}

/** A stored draft that no longer validates is started afresh rather than crashing the flow. */
export function parseDraft(data: unknown): Draft {
  const r = DraftSchema.safeParse(data);
  return r.success ? r.data : emptyDraft();
}

export function stepIndex(step: StepId): number {
  return STEPS.indexOf(step);
}
