import type { Conversation } from "@grammyjs/conversations";
import { Composer, InlineKeyboard } from "grammy";
import { z } from "zod";
import type { Decision } from "../../../data/repositories/decisions.js";
import type { RequestRow } from "../../../data/repositories/requests.js";
import type { StaffMember } from "../../../data/repositories/staff.js";
import { DOCUMENTS } from "../../../rules/index.js";
import type { BaseContext, BotContext } from "../../context.js";
import { askDocCb, cardCb, noteCb, REJECT_REASONS, rejectCb } from "./callbacks.js";
import { isOpen } from "./card.js";
import { alreadyDecided, decideNow, directly, reportDecision, tellAlreadyDecided } from "./decision-flow.js";
import { actingMember, requestForReview, REVIEWERS, staffButton } from "../../access.js";
import { applicantLocale } from "./notify.js";

export const REJECT_NOTE_ID = "staff-reject-note";
const NOTE_MAX = 500;

/** Decides in one transaction (exactly one of two colleagues wins), then tells the reviewer and the applicant. */
export async function applyDecision(
  ctx: BaseContext,
  member: StaffMember,
  requestId: number,
  d: Decision,
): Promise<void> {
  await reportDecision(ctx, await decideNow(ctx, member, requestId, d), directly(ctx));
}

function noteOf(ctx: BaseContext): string | null {
  const text = ctx.message?.text?.trim();
  if (!text || text.startsWith("/") || text.length > NOTE_MAX) return null;
  return text;
}

// Entered with ids only; checked, as a conversation's arguments are not type-checked.
const MessageIdSchema = z.number().int().positive();

/**
 * "Other" reason: the next text message is the reason the applicant will read. State is kept in SQLite.
 * `cardMessageId` / `promptMessageId`: the card to redraw once decided (as a pressed reason does) and the prompt
 * whose "Cancel" then goes; absent in conversations entered before they were passed.
 */
export async function rejectNoteConversation(
  conversation: Conversation<BotContext, BaseContext>,
  ctx: BaseContext,
  requestId: number,
  cardMessageId?: number,
  promptMessageId?: number,
): Promise<void> {
  const answer = await conversation.waitUntil((c) => noteOf(c) !== null, {
    otherwise: async (c) => {
      // Commands and buttons go on to their handlers; anything else is told what is expected.
      if (!c.message || c.message.text?.startsWith("/")) return;
      await c.reply(
        c.t((c.message.text?.length ?? 0) > NOTE_MAX ? "staff.reject.note_too_long" : "staff.reject.note_hint", {
          max: NOTE_MAX,
        }),
      );
    },
    next: true,
  });
  const note = noteOf(answer) ?? "";
  // Database work only in external (a replay serves it from the log); the Bot API calls stay outside.
  const outcome = await conversation.external(async (c) => {
    // The role is checked when the reason arrives, not when "other" was pressed.
    const member = await actingMember(c, REVIEWERS);
    return member ? decideNow(c, member, requestId, { kind: "reject", reason: "other", note }) : null;
  });
  if (!outcome) return void (await answer.reply(answer.t("staff.no_access")));
  const chatId = answer.chat?.id;
  const cardId = MessageIdSchema.safeParse(cardMessageId);
  const promptId = MessageIdSchema.safeParse(promptMessageId);
  if (chatId !== undefined && promptId.success && outcome.kind === "decided") {
    await answer.api.editMessageReplyMarkup(chatId, promptId.data).catch(() => undefined);
  }
  const card = chatId !== undefined && cardId.success ? { chatId, messageId: cardId.data } : undefined;
  await reportDecision(answer, outcome, (work) => conversation.external(work), card);
}

export const decideHandlers = new Composer<BotContext>();
const pm = decideHandlers.chatType("private");

/** Re-renders the card under a different keyboard (reasons, documents) when the request is still open. */
async function openRequestOrSay(ctx: BotContext, member: StaffMember, id: number): Promise<RequestRow | null> {
  const r = await requestForReview(ctx, member, id);
  if (!r) return null;
  if (!isOpen(r)) {
    await ctx.answerCallbackQuery().catch(() => undefined);
    await tellAlreadyDecided(ctx, await alreadyDecided(ctx, r));
    return null;
  }
  return r;
}

pm.callbackQuery(
  rejectCb.filter,
  staffButton(REVIEWERS, async (ctx, member) => {
    const parsed = rejectCb.parse(ctx.callbackQuery.data);
    if (!parsed) return void (await ctx.answerCallbackQuery({ text: ctx.t("common.stale_button") }));
    const [reason, id] = parsed;
    if (reason !== "other") {
      return applyDecision(ctx, member, id, { kind: "reject", reason, note: null });
    }
    const r = await openRequestOrSay(ctx, member, id);
    if (!r) return;
    await ctx.answerCallbackQuery();
    if (await ctx.conversation.active(REJECT_NOTE_ID)) await ctx.conversation.exit(REJECT_NOTE_ID);
    // The note reaches the applicant word for word, untranslated: say which language they read.
    const language = ctx.t(`staff.reject.languages.${await applicantLocale(ctx.deps, r)}`);
    const prompt = await ctx.reply(
      [
        ctx.t("staff.reject.note_prompt", { number: r.number, max: NOTE_MAX }),
        ctx.t("staff.reject.note_language", { language }),
      ].join("\n"),
      { parse_mode: "HTML", reply_markup: new InlineKeyboard().text(ctx.t("common.cancel"), noteCb.data("cancel")) },
    );
    await ctx.conversation.enter(REJECT_NOTE_ID, r.id, ctx.callbackQuery.message?.message_id, prompt.message_id);
  }),
);

// Outside the "other reason" prompt (answered, expired, or forged by someone who never had one) it is a stale button.
pm.callbackQuery(noteCb.filter, async (ctx) => {
  if (!(await ctx.conversation.active(REJECT_NOTE_ID)))
    return void (await ctx.answerCallbackQuery({ text: ctx.t("common.stale_button") }));
  await ctx.answerCallbackQuery();
  await ctx.editMessageReplyMarkup().catch(() => undefined);
  await ctx.conversation.exit(REJECT_NOTE_ID);
  await ctx.reply(ctx.t("staff.reject.note_cancelled"));
});

pm.callbackQuery(
  askDocCb.filter,
  staffButton(REVIEWERS, async (ctx, member) => {
    const parsed = askDocCb.parse(ctx.callbackQuery.data);
    if (!parsed) return void (await ctx.answerCallbackQuery({ text: ctx.t("common.stale_button") }));
    await applyDecision(ctx, member, parsed[1], { kind: "needs_documents", note: parsed[0] });
  }),
);

/** Card buttons that decide or open a decision menu; the others are in review.ts. */
export async function decisionAction(
  ctx: BotContext,
  member: StaffMember,
  action: "approve" | "reject" | "docs",
  id: number,
): Promise<void> {
  if (action === "approve") {
    return applyDecision(ctx, member, id, { kind: "approve" });
  }
  const r = await openRequestOrSay(ctx, member, id);
  if (!r) return;
  await ctx.answerCallbackQuery();
  const kb = new InlineKeyboard();
  if (action === "reject") {
    for (const code of REJECT_REASONS) kb.text(ctx.t(`staff.reject_buttons.${code}`), rejectCb.data(code, r.id)).row();
  } else {
    for (const code of DOCUMENTS) kb.text(ctx.t(`rules.documents.${code}`), askDocCb.data(code, r.id)).row();
  }
  kb.text(ctx.t("common.back"), cardCb.data("back", r.id));
  await ctx
    .editMessageReplyMarkup({ reply_markup: kb })
    .catch(() => ctx.reply(ctx.t(`staff.choose.${action}`), { reply_markup: kb }));
}
