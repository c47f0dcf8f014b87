import { createConversation } from "@grammyjs/conversations";
import { Composer, InlineKeyboard } from "grammy";
import { z } from "zod";
import { loadDraft, saveDraft } from "../../../data/repositories/drafts.js";
import { getRequest } from "../../../data/repositories/requests.js";
import { callbackCodec, zId } from "../../callback-data.js";
import type { BaseContext, BotContext, Deps } from "../../context.js";
import { formatInstant } from "../../format.js";
import { menuCb } from "../start/menu.js";
import { stepOfData } from "./ask.js";
import { APPLY_ID, applyConversation } from "./conversation.js";
import { emptyDraft, parseDraft, type Draft } from "./draft.js";
import { conversationPlugins } from "../../middleware/conversation-plugins.js";

const resumeCb = callbackCodec("ap2", [z.enum(["go", "new"])]);
const childCb = callbackCodec("ap2", [z.literal("child"), zId]);

const DAY_MS = 24 * 3600_000;

async function enter(ctx: BotContext): Promise<void> {
  // Re-entering restarts from the saved draft: the current question is asked again.
  if (await ctx.conversation.active(APPLY_ID)) await ctx.conversation.exit(APPLY_ID);
  await ctx.conversation.enter(APPLY_ID);
}

/** /apply: resume a saved draft (asking first if it is old) or start one. */
async function start(ctx: BotContext): Promise<void> {
  const saved = ctx.from ? await loadDraft(ctx.deps.db, ctx.from.id) : undefined;
  if (!saved) return enter(ctx);
  const draft = parseDraft(saved.data);
  if (draft.step === "who" && draft.forChild === undefined) return enter(ctx);
  if (await ctx.conversation.active(APPLY_ID)) return enter(ctx);
  const kb = new InlineKeyboard()
    .text(ctx.t("apply.resume_continue"), resumeCb.data("go"))
    .text(ctx.t("apply.resume_restart"), resumeCb.data("new"));
  await ctx.reply(ctx.t("apply.resume", { date: formatInstant(saved.updatedAt) }), { reply_markup: kb });
}

/** A prefilled draft for the next child: the same place, clinic and ground, a new IIN and birth certificate. */
function nextChildDraft(req: { applicant_category: string; region_id: string; settlement_id: string; clinic_id: string; ground: string; residence_kind: string }): Draft {
  return parseDraft({
    ...emptyDraft(),
    step: "iin",
    forChild: true,
    category: req.applicant_category,
    regionId: req.region_id,
    settlementId: req.settlement_id,
    clinicId: req.clinic_id,
    ground: req.ground,
    residenceKind: req.residence_kind,
  });
}

export const applyFeature = new Composer<BotContext>();
const pm = applyFeature.chatType("private");

pm.command("apply", start);
pm.callbackQuery(menuCb.data("apply"), async (ctx) => {
  await ctx.answerCallbackQuery();
  await start(ctx);
});

pm.callbackQuery(resumeCb.filter, async (ctx, next) => {
  const parsed = resumeCb.parse(ctx.callbackQuery.data);
  if (!parsed) return next();
  await ctx.answerCallbackQuery();
  await ctx.editMessageReplyMarkup().catch(() => undefined);
  if (parsed[0] === "new") await saveDraft(ctx.deps.db, ctx.from.id, emptyDraft(), ctx.deps.clock.now().toISOString());
  await enter(ctx);
});

pm.callbackQuery(childCb.filter, async (ctx, next) => {
  const parsed = childCb.parse(ctx.callbackQuery.data);
  if (!parsed) return next();
  const req = await getRequest(ctx.deps.db, parsed[1]);
  await ctx.answerCallbackQuery();
  if (!req || req.user_id !== ctx.from.id) return;
  await saveDraft(ctx.deps.db, ctx.from.id, nextChildDraft(req), ctx.deps.clock.now().toISOString());
  await enter(ctx);
});

/**
 * A button of the flow that no waiting question took. With no conversation (expired wait) or a conversation behind
 * the draft (a crash between the reply and the state write), a button of the draft's current step resumes the flow
 * from the draft; anything else is stale (a waiting conversation has already said so).
 */
pm.callbackQuery(/^a:/, async (ctx) => {
  const saved = await loadDraft(ctx.deps.db, ctx.from.id);
  const current = saved ? parseDraft(saved.data).step === stepOfData(ctx.callbackQuery.data) : false;
  const waiting = await ctx.conversation.active(APPLY_ID);
  if (waiting && !current) return;
  await ctx.answerCallbackQuery(current ? undefined : { text: ctx.t("common.stale_button") }).catch(() => undefined);
  if (current) await enter(ctx);
});

export { APPLY_ID, applyConversation };

/** Installed after conversations() and /cancel, before the features (engineering.md §10). */
export function applyConversationMiddleware(deps: Deps) {
  return createConversation<BotContext, BaseContext>(applyConversation, {
    id: APPLY_ID,
    // The context inside is rebuilt bare: the same deps and locale as outside.
    plugins: conversationPlugins(deps),
    // A wait older than this ends the flow at the next update; the draft keeps the answers.
    maxMillisecondsToWait: 7 * DAY_MS,
  });
}
