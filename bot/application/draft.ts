import { z } from "zod";
import { CATEGORIES, INSURED_CATEGORIES, InsuranceSchema, type Category } from "../../rules/index.js";

/**
 * The steps of the application, in order; `insurance` only for the insured categories (R2), `documents` only when
 * something is required.
 */
export const STEPS = [
  "who",
  "category",
  "insurance",
  "iin",
  "region",
  "settlement",
  "clinic",
  "ground",
  "residence",
  "documents",
  "summary",
] as const;
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
  /** After an edit from the summary, go back there (through the steps the edit left unanswered) instead of onwards. */
  returnToSummary: z.boolean().default(false),
  /** The step the edit started at: Back there returns to the summary. */
  editFrom: z.enum(STEPS).optional(),
  forChild: z.boolean().optional(),
  category: z.enum(CATEGORIES).optional(),
  /** R2: the contract an insured category attaches on (its kind and last day); the rules' own schema. */
  insurance: InsuranceSchema.optional(),
  iin: z
    .string()
    .regex(/^\d{12}$/)
    .optional(),
  regionId: z.string().max(40).optional(),
  settlementId: z.string().max(40).optional(),
  location: z.object({ lat: z.number(), lon: z.number() }).optional(),
  clinicId: z.string().max(40).optional(),
  /** A clinic the person was looking at in /clinics when they chose to apply: offered first at the clinic step. */
  preferredClinicId: z.string().max(40).optional(),
  /** That clinic came from its link (a poster's QR code), not from the catalogue: the clinic step says so. */
  preferredByLink: z.boolean().optional(),
  ground: z.string().max(40).optional(),
  residenceKind: z.enum(["registered", "temporary"]).optional(),
  /** What the rules asked for at the residence step (R11, R12, R2); the documents step collects these. */
  requiredDocs: z.array(z.string().max(40)).max(10).default([]),
  documents: z.array(DocumentSchema).max(30).default([]),
  /** The application waits for an answer in the person's chat (entered, not yet cancelled, submitted or expired). */
  active: z.boolean().default(false),
  /** Where the current step stands between two answers (its page, a line to say first): the step's own shape. */
  view: z.record(z.string(), z.unknown()).optional(),
  /** The message of the current question that shows its buttons (its newest copy): they go once it is answered. */
  asked: z.number().int().optional(),
  /**
   * How much of that message's text comes before the question (the answers above it, a line about the last one), as
   * Telegram counts it: a page turn redraws the question under it. The text itself is Telegram's, sent with each press.
   */
  lead: z.number().int().min(0).max(4096).optional(),
  /** Messages came after that message (another feature answered in between): the next question goes below them. */
  covered: z.boolean().optional(),
});
export type Draft = z.infer<typeof DraftSchema>;

// Parsed once: a copy is handed out, its arrays its own.
const EMPTY_DRAFT = DraftSchema.parse({});

export function emptyDraft(): Draft {
  return structuredClone(EMPTY_DRAFT);
}

/** Answers that stand on another one: dropped with it (an IIN was checked against "self" or "child"). */
const DEPENDS_ON: Record<string, (keyof Draft)[]> = {
  forChild: ["category", "iin", "insurance"],
  category: ["insurance"],
  settlementId: ["clinicId", "location"],
};

/**
 * A stored draft that no longer validates (an old version, a hand-edited row) is salvaged field by field: valid
 * answers stay, invalid ones and those standing on them go, and the flow resumes at the first unanswered step.
 */
export function parseDraft(data: unknown): Draft {
  const whole = DraftSchema.safeParse(data);
  if (whole.success) return whole.data;
  const raw =
    data !== null && typeof data === "object" && !Array.isArray(data) ? (data as Record<string, unknown>) : {};
  const kept: Record<string, unknown> = {};
  const dropped = new Set<string>();
  for (const [key, field] of Object.entries(DraftSchema.shape) as [string, z.ZodType][]) {
    if (!(key in raw)) continue;
    const r = field.safeParse(raw[key]);
    if (r.success) kept[key] = r.data;
    else dropped.add(key);
  }
  // Lists keep their valid items.
  if (Array.isArray(raw.documents))
    kept.documents = raw.documents.flatMap((d) => validItem(DocumentSchema, d)).slice(0, 30);
  if (Array.isArray(raw.requiredDocs))
    kept.requiredDocs = raw.requiredDocs.flatMap((k) => validItem(z.string().max(40), k)).slice(0, 10);
  for (const [parent, children] of Object.entries(DEPENDS_ON)) {
    if (dropped.has(parent)) for (const c of children) delete kept[c];
  }
  const salvaged = DraftSchema.safeParse(kept);
  if (!salvaged.success) return emptyDraft();
  const draft = salvaged.data;
  const resumeAt = firstUnanswered(draft) ?? "summary";
  return !("step" in kept) || stepIndex(resumeAt) < stepIndex(draft.step) ? { ...draft, step: resumeAt } : draft;
}

function validItem<T>(schema: z.ZodType<T>, value: unknown): T[] {
  const r = schema.safeParse(value);
  return r.success ? [r.data] : [];
}

/** R2: the person attaches on an insurance contract, so the flow asks for it. */
/** Something was answered: the person has a half-done application to come back to. */
export function hasProgress(draft: Draft): boolean {
  return draft.step !== "who" || draft.forChild !== undefined;
}

export function needsInsurance(d: Pick<Draft, "category">): boolean {
  return d.category !== undefined && INSURED_CATEGORIES.has(d.category);
}

/** Whether a step has its answer in the draft (documents: a file of every required kind). */
export function answered(step: StepId, d: Draft): boolean {
  switch (step) {
    case "who":
      return d.forChild !== undefined;
    case "category":
      return d.category !== undefined;
    case "insurance":
      return !needsInsurance(d) || d.insurance !== undefined;
    case "iin":
      return d.iin !== undefined;
    case "region":
      return d.regionId !== undefined;
    case "settlement":
      return d.settlementId !== undefined;
    case "clinic":
      return d.clinicId !== undefined;
    case "ground":
      return d.ground !== undefined;
    case "residence":
      return d.residenceKind !== undefined;
    case "documents":
      return d.requiredDocs.every((k) => d.documents.some((doc) => doc.kind === k));
    case "summary":
      return false;
  }
}

/** The first step still to be answered, or undefined when only the summary is left. */
export function firstUnanswered(d: Draft): StepId | undefined {
  return STEPS.find((s) => s !== "summary" && !answered(s, d));
}

export function stepIndex(step: StepId): number {
  return STEPS.indexOf(step);
}
