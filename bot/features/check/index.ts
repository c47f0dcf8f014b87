import { Composer, InlineKeyboard } from "grammy";
import { loadDraft } from "../../../data/repositories/drafts.js";
import { almatyDate, campaignStatus, effectiveFrom, SPECIAL_CATEGORIES, type Decision } from "../../../rules/index.js";
import type { BotContext } from "../../context.js";
import { formatDate } from "../../format.js";
import { parseDraft } from "../apply/draft.js";
import { evaluateDraft } from "../apply/eligibility.js";
import { menuCb } from "../start/menu.js";

const BASE_DOCUMENTS = ["identity_document"] as const;

/** "Can I attach?" (issue 5, step 1): what is possible today, in plain words, before anything is filled in. */
export async function showCheck(ctx: BotContext): Promise<void> {
  const t = ctx.t;
  const now = ctx.deps.clock.now();
  const policy = await ctx.deps.rules.policyFor(now);
  const saved = ctx.from ? await loadDraft(ctx.deps.db, ctx.from.id) : undefined;
  // What the person already told us (in an unfinished application) makes the answer personal.
  const draft = parseDraft(saved?.data ?? null);
  const decision: Decision = await evaluateDraft(ctx.deps, { ...draft, clinicId: undefined, ground: undefined }, now);
  const status = campaignStatus(now, policy);
  const lines: string[] = [`<b>${t("check.title")} — ${formatDate(almatyDate(now))}</b>`];
  // R7: the campaign window and when a change takes effect.
  lines.push(status.kind === "all_year" ? t("rules.campaign.all_year") : t(`rules.campaign.${status.kind}`, { start: formatDate(status.start), end: formatDate(status.end) }));
  const from = effectiveFrom(now, policy, "free_choice");
  lines.push(from ? t("rules.notes.effective_from", { date: formatDate(from) }) : t("rules.notes.effective_on_decision"));
  // R8, R9: grounds open today.
  lines.push("", `<b>${t("check.grounds")}</b>`);
  if (decision.allowedGrounds.length === 0) lines.push(t("check.no_grounds"));
  for (const g of decision.allowedGrounds) lines.push(`• ${t(`rules.grounds.${g}.title`)} — ${t(`rules.grounds.${g}.hint`)}`);
  // R2, R11, R12: documents to prepare.
  const docs = new Set<string>([...BASE_DOCUMENTS, ...decision.requiredDocuments]);
  lines.push("", `<b>${t("check.documents")}</b>`);
  for (const d of docs) lines.push(`• ${t(`rules.documents.${d}`)}`);
  lines.push(t("check.documents_more"));
  // R13: who may file in person without ЭЦП.
  lines.push("", `<b>${t("check.in_person")}</b>`, SPECIAL_CATEGORIES.map((c) => t(`rules.specialCategories.${c}`)).join("; ") + ".");
  lines.push("", t("rules.channel.egov"), "", t("check.next"));
  const kb = new InlineKeyboard().text(t("menu.apply"), menuCb.data("apply"));
  await ctx.reply(lines.join("\n"), { parse_mode: "HTML", reply_markup: kb });
}

export const checkFeature = new Composer<BotContext>();
const pm = checkFeature.chatType("private");
pm.command("check", showCheck);
pm.callbackQuery(menuCb.data("check"), async (ctx) => {
  await ctx.answerCallbackQuery();
  await showCheck(ctx);
});
