import { Composer, InlineKeyboard } from "grammy";
import { loadDraft } from "../../../data/repositories/drafts.js";
import { almatyDate, SPECIAL_CATEGORIES, type Decision } from "../../../rules/index.js";
import type { BaseContext, BotContext } from "../../context.js";
import type { Feature } from "../../feature.js";
import { formatValue } from "../../forms/index.js";
import { emptyDraft, parseDraft, type Draft } from "../../application/draft.js";
import { evaluateDraft } from "../../application/eligibility.js";
import { menuCb } from "../../ui/menu.js";
import { campaignLine, effectiveLine, quotaLine } from "../../ui/policy-words.js";

const BASE_DOCUMENTS = ["identity_document"] as const;

/** What the rules say about today (R7–R9, R2, R11–R13), for a draft (or nobody in particular). */
async function today(ctx: BaseContext, draft: Draft) {
  const now = ctx.deps.clock.now();
  const policy = await ctx.deps.rules.policyFor(now);
  const decision: Decision = await evaluateDraft(ctx.deps, { ...draft, clinicId: undefined, ground: undefined }, now);
  const t = ctx.t;
  // R7: the campaign window and when a change takes effect, each said to be provisional where it is (R9: the quota).
  const window = campaignLine(t, now, policy);
  const effective = effectiveLine(t, now, policy);
  const quota = quotaLine(t, policy);
  // R2, R11, R12: documents to prepare.
  const documents = [...new Set<string>([...BASE_DOCUMENTS, ...decision.requiredDocuments])];
  return { date: almatyDate(now), window, effective, quota, grounds: decision.allowedGrounds, documents };
}

/** "Can I attach?": what is possible today, in plain words, before anything is filled in. */
export async function showCheck(ctx: BotContext): Promise<void> {
  const t = ctx.t;
  const saved = ctx.from ? await loadDraft(ctx.deps, ctx.from.id) : undefined;
  // What the person already told us (in an unfinished application) makes the answer personal.
  const now = await today(ctx, parseDraft(saved?.data ?? null));
  const lines: string[] = [
    `<b>${t("check.title")} — ${formatValue(now.date, "day", ctx.locale)}</b>`,
    now.window,
    now.effective,
    now.quota,
  ];
  // R8, R9: grounds open today.
  lines.push("", `<b>${t("check.grounds")}</b>`);
  if (now.grounds.length === 0) lines.push(t("check.no_grounds"));
  for (const g of now.grounds) lines.push(`• ${t(`rules.grounds.${g}.title`)} — ${t(`rules.grounds.${g}.hint`)}`);
  lines.push("", `<b>${t("check.documents")}</b>`);
  for (const d of now.documents) lines.push(`• ${t(`rules.documents.${d}`)}`);
  lines.push(t("check.documents_more"));
  // R13: who may file in person without ЭЦП.
  lines.push(
    "",
    `<b>${t("check.in_person")}</b>`,
    ...SPECIAL_CATEGORIES.map((c) => `• ${t(`rules.specialCategories.${c}`)}`),
  );
  lines.push("", t("rules.channel.egov"), "", t("check.next"));
  const kb = new InlineKeyboard().text(t("menu.apply"), menuCb.data("apply"));
  await ctx.reply(lines.join("\n"), { parse_mode: "HTML", reply_markup: kb });
}

/**
 * The opening of /apply ("check first"): today's window, effective date, grounds, documents and
 * the in-person path in a few lines, from the rules of today; /check has the long form.
 */
export async function checkIntro(ctx: BaseContext): Promise<string> {
  const t = ctx.t;
  const now = await today(ctx, emptyDraft());
  const lowerFirst = (s: string) => s.charAt(0).toLocaleLowerCase(ctx.locale) + s.slice(1);
  const grounds = now.grounds.map((g) => lowerFirst(t(`rules.grounds.${g}.title`))).join(", ");
  const examples = SPECIAL_CATEGORIES.slice(0, 2)
    .map((c) => lowerFirst(t(`rules.specialCategories.${c}`)))
    .join(", ");
  return [
    t("check.intro_title", { date: now.date }),
    `${now.window} ${now.effective}`,
    now.grounds.length ? t("check.intro_grounds", { list: grounds }) : t("check.no_grounds"),
    t("check.intro_documents", { list: now.documents.map((d) => lowerFirst(t(`rules.documents.${d}`))).join(", ") }),
    t("check.intro_in_person", { examples }),
    t("check.intro_next"),
  ].join("\n");
}

const check = new Composer<BotContext>();
const pm = check.chatType("private");
pm.command("check", showCheck);
pm.callbackQuery(menuCb.data("check"), async (ctx) => {
  await ctx.answerCallbackQuery();
  await showCheck(ctx);
});

export const checkFeature: Feature = {
  name: "check",
  handlers: () => check,
  commands: [{ command: "check", menu: 4 }],
};
