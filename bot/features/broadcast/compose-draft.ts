import { z } from "zod";
import type { Audience } from "../../../data/repositories/broadcasts.js";
import type { I18n } from "../../i18n.js";
import { AudienceSchema } from "./audience.js";
import { roomFor } from "./message.js";

// The operator's composition as saved after every answer, and where each step leads.

export const STEP_NAMES = ["audience", "settlement", "language", "ru", "kk", "summary", "when", "night"] as const;
export type StepName = (typeof STEP_NAMES)[number];
export type Lang = "ru" | "kk";

const PieceSchema = z.object({ text: z.string(), entities: z.array(z.unknown()) });
const DraftSchema = z.object({
  step: z.enum(STEP_NAMES),
  ru: PieceSchema.optional(),
  kk: PieceSchema.optional(),
  photo: z.string().nullable().default(null),
  audience: AudienceSchema.optional(),
  /** At the night warning: the instant asked for, or null for "send now". */
  sendAt: z.string().nullable().optional(),
});
export type Draft = z.infer<typeof DraftSchema>;
export const EMPTY: Draft = { step: "audience", photo: null };

export function parseDraft(data: unknown): Draft {
  const r = DraftSchema.safeParse(data);
  return r.success ? r.data : EMPTY;
}

/** The texts an audience needs: one for an audience by language (its people read only that one), both otherwise. */
export function languagesOf(audience: Audience | undefined): Lang[] {
  return audience?.kind === "language" ? [audience.language] : ["ru", "kk"];
}

/** "Step N of M": the audience is step 1, then one step per text it needs, then the summary. */
export function stepOf(draft: Draft, step: Lang | "summary"): { step: number; total: number } {
  const langs = languagesOf(draft.audience);
  const total = langs.length + 2;
  return { step: step === "summary" ? total : 2 + Math.max(0, langs.indexOf(step)), total };
}

/** Where "← Назад" leads from a step (null on the first); the draft keeps everything entered. */
export function previousStep(draft: Draft, from: StepName): StepName | null {
  const langs = languagesOf(draft.audience);
  switch (from) {
    case "audience":
      return null;
    case "settlement":
    case "language":
      return "audience";
    case "ru":
    case "kk": {
      const i = langs.indexOf(from);
      return i > 0 ? (langs[i - 1] ?? "audience") : "audience";
    }
    case "summary":
      return langs.at(-1) ?? "audience";
    case "when":
      return "summary";
    case "night":
      return draft.sendAt ? "when" : "summary";
  }
}

/** Whether a text fits one message (or a caption, with a photo) together with the /stop footer. */
export function fits(i18n: I18n, text: string, photo: string | null): boolean {
  return text.length <= roomFor(i18n, photo !== null);
}

/** The first text the audience needs that is missing or too long for the photo: the step to go back to. */
export function missingText(i18n: I18n, draft: Draft): Lang | null {
  return languagesOf(draft.audience).find((l) => !draft[l] || !fits(i18n, draft[l].text, draft.photo)) ?? null;
}
