import { getClinic, type Clinic } from "../../../data/repositories/clinics.js";
import { clinicIdsLongerThan } from "../../../data/repositories/clinic-links.js";
import { countLinkStart, savePendingLink, takePendingLink } from "../../../data/repositories/link-starts.js";
import { almatyDate } from "../../../rules/index.js";
import type { BotContext } from "../../context.js";
import {
  CLINIC_ID_IN_LINK_MAX,
  clinicIdForDigest,
  StartLinkSchema,
  StartPayload,
  type StartLink,
} from "../../deep-links.js";
import { startApplication } from "../apply/index.js";
import { showCheck } from "../check/index.js";
import { showClinicLink } from "./clinic-link.js";
import { askLanguage, greetInLanguage, storeLanguage, welcome } from "./welcome.js";

// `/start <payload>`, as Telegram sends it when a person opens `t.me/<bot>?start=<payload>` (a clinic's poster):
// the payload is decoded by the zod codec of bot/deep-links.ts, never trusted, and never logged as such.

/** A clinic's digest (`h_…`) becomes its id; a digest of no clinic, nothing anyone's link could carry. */
async function canonical(ctx: BotContext, link: StartLink): Promise<StartLink> {
  if (link.kind !== "clinic_digest") return link;
  const id = clinicIdForDigest(link.digest, await clinicIdsLongerThan(ctx.deps.db, CLINIC_ID_IN_LINK_MAX));
  return id ? { kind: "clinic", clinicId: id } : { kind: "unknown" };
}

/** A person's first start by a link: counted for the clinic, logged as what it asked for, opened or kept. */
export async function startByLink(ctx: BotContext, payload: string): Promise<void> {
  const link = await canonical(ctx, StartPayload.decode(payload));
  const clinic = link.kind === "clinic" ? await getClinic(ctx.deps.db, link.clinicId) : undefined;
  // Only a clinic of the directory is counted or named in the log: a forged id says nothing worth keeping.
  if (clinic) await countLinkStart(ctx.deps.db, clinic.id, almatyDate(ctx.deps.clock.now()));
  ctx.log.info(
    { link: link.kind === "clinic" && !clinic ? "unknown_clinic" : link.kind, clinic_id: clinic?.id },
    "start by link",
  );
  if (link.kind === "language") return greetInLanguage(ctx, await storeLanguage(ctx, link.locale));
  if (ctx.user?.language == null && ctx.from) {
    // The language comes first; the link is kept (in the database: a restart loses nothing) and opened after it.
    await savePendingLink(ctx.deps.db, ctx.from.id, JSON.stringify(link), ctx.deps.clock.now().toISOString());
    return askLanguage(ctx, true);
  }
  return openLink(ctx, link, { welcomed: false }, clinic);
}

/** Right after the first choice of a language: what the link opened before it asked for. */
export async function openPendingLink(ctx: BotContext): Promise<void> {
  if (!ctx.from) return;
  const stored = await takePendingLink(ctx.deps.db, ctx.from.id);
  if (stored === undefined) return;
  const link = StartLinkSchema.safeParse(safeJson(stored));
  await openLink(ctx, link.success ? link.data : { kind: "unknown" }, { welcomed: true });
}

function safeJson(text: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return null;
  }
}

/**
 * What the link asks for. A link that leads nowhere (forged, mistyped, a clinic gone or no longer taking requests)
 * is an ordinary start with a short note, never an error.
 */
async function openLink(ctx: BotContext, link: StartLink, opts: { welcomed: boolean }, known?: Clinic): Promise<void> {
  const plainStart = async (note?: string) => {
    if (note) await ctx.reply(note, { parse_mode: "HTML" });
    if (!opts.welcomed) await welcome(ctx);
  };
  switch (link.kind) {
    case "apply":
      return startApplication(ctx);
    case "check":
      return showCheck(ctx);
    case "clinic": {
      const clinic = known ?? (await getClinic(ctx.deps.db, link.clinicId));
      if (!clinic) return plainStart(ctx.t("links.unknown"));
      if (!clinic.active) return plainStart(ctx.t("links.inactive", { name: clinic.name[ctx.locale] }));
      return showClinicLink(ctx, clinic);
    }
    case "language":
      return greetInLanguage(ctx, await storeLanguage(ctx, link.locale));
    case "none":
      return plainStart();
    case "clinic_digest":
    case "unknown":
      return plainStart(ctx.t("links.unknown"));
  }
}
