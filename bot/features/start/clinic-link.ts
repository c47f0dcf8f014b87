import { InlineKeyboard } from "grammy";
import { z } from "zod";
import type { Clinic } from "../../../data/repositories/clinics.js";
import { loadDraft } from "../../../data/repositories/drafts.js";
import { hasProgress, parseDraft } from "../../application/draft.js";
import { callbackCodec } from "../../callback-data.js";
import type { BotContext } from "../../context.js";
import { clinicCardText, clinicCheckNow, clinicProblems } from "../../ui/clinic-card.js";
import { applyByLinkData, isApplicableClinicId, resumeApplication, switchApplicationClinic } from "../apply/index.js";

// A clinic's link opened: its card with "Apply here", or, mid-application, whether to choose it there.

const zClinicId = z.string().refine(isApplicableClinicId);
const switchCb = callbackCodec("lk", [z.literal("sw"), zClinicId]);
/** "keep": the application stays as it was; "go": back to it (the clinic was already the chosen one). */
const keepCb = callbackCodec("lk", [z.enum(["keep", "go"])]);
/** Every button of a clinic's link (valid or forged: answered here). */
export const clinicLinkCb = { prefix: switchCb.prefix, filter: switchCb.filter };

/** The card (R3–R6: why it is unavailable now, if it is) under a line saying where it came from. */
async function cardText(ctx: BotContext, clinic: Clinic): Promise<string> {
  const card = clinicCardText(ctx, clinic, clinicProblems(clinic, await clinicCheckNow(ctx)));
  return `${ctx.t("links.clinic_lead")}\n\n${card}`;
}

export async function showClinicLink(ctx: BotContext, clinic: Clinic): Promise<void> {
  const saved = ctx.from ? await loadDraft(ctx.deps, ctx.from.id) : undefined;
  const draft = saved ? parseDraft(saved.data) : undefined;
  const text = await cardText(ctx, clinic);
  if (!draft || !hasProgress(draft) || !isApplicableClinicId(clinic.id)) {
    const kb = new InlineKeyboard().text(ctx.t("links.apply_here"), applyByLinkData(clinic.id));
    return void (await ctx.reply(text, { parse_mode: "HTML", reply_markup: kb }));
  }
  const step = ctx.t(`apply.step_names.${draft.step}`);
  if (draft.clinicId === clinic.id) {
    const kb = new InlineKeyboard().text(ctx.t("links.continue"), keepCb.data("go"));
    return void (await ctx.reply(`${text}\n\n${ctx.t("links.already_chosen", { step })}`, {
      parse_mode: "HTML",
      reply_markup: kb,
    }));
  }
  // Mid-application: asked, never switched behind the person's back; the other answers stay either way.
  const kb = new InlineKeyboard()
    .text(ctx.t("links.switch_yes"), switchCb.data("sw", clinic.id))
    .row()
    .text(ctx.t("links.switch_no"), keepCb.data("keep"));
  await ctx.reply(`${text}\n\n${ctx.t("links.switch_q", { step })}`, { parse_mode: "HTML", reply_markup: kb });
}

/** "Choose this clinic" or "keep my application" under a clinic's link. */
export async function answerClinicLink(ctx: BotContext): Promise<void> {
  const data = ctx.callbackQuery?.data;
  const chosen = switchCb.parse(data);
  const keep = keepCb.parse(data);
  if (!chosen && !keep) return void (await ctx.answerCallbackQuery({ text: ctx.t("common.stale_button") }));
  await ctx.answerCallbackQuery();
  // The question is answered: its buttons go, so it cannot be answered twice.
  await ctx.editMessageReplyMarkup().catch(() => undefined);
  if (chosen) return switchApplicationClinic(ctx, chosen[1]);
  if (keep?.[0] === "keep") await ctx.reply(ctx.t("links.kept"));
  await resumeApplication(ctx);
}
