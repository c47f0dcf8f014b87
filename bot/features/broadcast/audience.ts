import { z } from "zod";
import type { Audience } from "../../../data/repositories/broadcasts.js";
import type { T } from "../../i18n.js";

export const AUDIENCE_KINDS = ["all", "no_request", "pending", "settlement", "language"] as const;

export const AudienceSchema = z.discriminatedUnion("kind", [
  z.object({ kind: z.literal("all") }),
  z.object({ kind: z.literal("no_request") }),
  z.object({ kind: z.literal("pending") }),
  z.object({ kind: z.literal("settlement"), settlementId: z.string(), name: z.string().optional() }),
  z.object({ kind: z.literal("language"), language: z.enum(["ru", "kk"]) }),
]);

export function parseAudience(json: string): Audience | null {
  try {
    const r = AudienceSchema.safeParse(JSON.parse(json));
    return r.success ? r.data : null;
  } catch {
    return null;
  }
}

/** The audience in words (HTML-safe: names go through i18next's escaping). */
export function describeAudience(t: T, a: Audience | null): string {
  if (!a) return "—";
  switch (a.kind) {
    case "settlement":
      return t("broadcast.compose.audience_settlement", { name: a.name ?? a.settlementId });
    case "language":
      return t("broadcast.compose.audience_language", { language: t(`broadcast.compose.lang_${a.language}`) });
    default:
      return t(`broadcast.compose.audience.${a.kind}`);
  }
}
