import type { Conversation } from "@grammyjs/conversations";
import { Composer, InlineKeyboard } from "grammy";
import type { Db } from "../../../data/db.js";
import { auditTrail } from "../../../data/repositories/audit.js";
import { decide, type Decision } from "../../../data/repositories/decisions.js";
import { getRequest, type RequestRow } from "../../../data/repositories/requests.js";
import type { StaffMember } from "../../../data/repositories/staff.js";
import { inScope } from "../../../data/repositories/stats.js";
import { DOCUMENTS } from "../../../rules/index.js";
import type { BaseContext, BotContext } from "../../context.js";
import { formatInstant } from "../../format.js";
import { askDocCb, cardCb, noteCb, REJECT_REASONS, rejectCb } from "./callbacks.js";
import { isOpen, renderCard } from "./card.js";
import { currentMember, nowIso, REVIEWERS, scopeOf, staffButton } from "./guard.js";
import { notifyDecision } from "./notify.js";

export const REJECT_NOTE_ID = "staff-reject-note";
const NOTE_MAX = 500;

/** Who moved the request to its current status and when (the audit log also covers "documents requested"). */
async function lastChange(db: Db, r: RequestRow): Promise<{ by: number | string; at: string | null }> {
  const entry = (await auditTrail(db, { requestId: r.id, limit: 50 })).find((e) => e.new_status === r.status);
  if (entry) return { by: entry.actor_id, at: entry.at };
  return { by: r.decided_by ?? "—", at: r.decided_at };
}

/** The request if it exists and is within the member's scope now; otherwise the button is answered as stale. */
async function requestFor(ctx: BaseContext, member: StaffMember, id: number): Promise<RequestRow | null> {
  const r = await getRequest(ctx.deps.db, id);
  if (!r || !inScope(scopeOf(member), r)) {
    if (ctx.callbackQuery) await ctx.answerCallbackQuery({ text: ctx.t("staff.not_in_scope") }).catch(() => undefined);
    else await ctx.reply(ctx.t("staff.not_in_scope"));
    return null;
  }
  return r;
}

async function tellAlreadyDecided(ctx: BaseContext, r: RequestRow): Promise<void> {
  const change = await lastChange(ctx.deps.db, r);
  await ctx.reply(
    ctx.t("staff.already_decided", { number: r.number, status: ctx.t(`requests.status.${r.status}`), by: change.by, at: formatInstant(change.at) }),
    { parse_mode: "HTML" },
  );
}

/** Decides in one transaction (exactly one of two colleagues wins), then tells the reviewer and the applicant. */
export async function applyDecision(ctx: BaseContext, member: StaffMember, requestId: number, d: Decision): Promise<void> {
  const before = await requestFor(ctx, member, requestId);
  if (!before) return;
  if (ctx.callbackQuery) await ctx.answerCallbackQuery().catch(() => undefined);
  const result = await decide(ctx.deps.db, requestId, member.userId, d, nowIso(ctx));
  if (!result.ok) {
    if (result.reason === "not_found") return void (await ctx.reply(ctx.t("common.stale_button")));
    if (result.reason === "already_decided") return tellAlreadyDecided(ctx, result.request);
    // R6: approving would exceed the clinic's limit.
    const kb = new InlineKeyboard().text(ctx.t("staff.buttons.reject_full"), rejectCb.data("clinic_full", requestId));
    return void (await ctx.reply(ctx.t("staff.clinic_full", { number: before.number }), { parse_mode: "HTML", reply_markup: kb }));
  }
  const r = result.request;
  if (ctx.callbackQuery?.message) {
    const card = await renderCard(ctx, r);
    await ctx.editMessageText(card.text, { parse_mode: "HTML", reply_markup: card.keyboard }).catch(() => undefined);
  }
  const delivery = await notifyDecision(ctx.api, ctx.deps, r);
  const lines = [ctx.t(`staff.decided.${r.status}`, { number: r.number }), delivery === "nothing" ? "" : ctx.t(`staff.delivery.${delivery}`)];
  await ctx.reply(lines.filter((l) => l !== "").join("\n"), { parse_mode: "HTML" });
}

function noteOf(ctx: BaseContext): string | null {
  const text = ctx.message?.text?.trim();
  if (!text || text.startsWith("/") || text.length > NOTE_MAX) return null;
  return text;
}

/** "Other" reason: the next text message is the reason the applicant will read. State is kept in SQLite. */
export async function rejectNoteConversation(conversation: Conversation<BotContext, BaseContext>, ctx: BaseContext, requestId: number): Promise<void> {
  const answer = await conversation.waitUntil((c) => noteOf(c) !== null, {
    otherwise: async (c) => {
      // Commands and buttons go on to their handlers; anything else is told what is expected.
      if (!c.message || c.message.text?.startsWith("/")) return;
      await c.reply(c.t((c.message.text?.length ?? 0) > NOTE_MAX ? "staff.reject.note_too_long" : "staff.reject.note_hint", { max: NOTE_MAX }));
    },
    next: true,
  });
  const note = noteOf(answer) ?? "";
  // The role is checked when the reason arrives, not when "other" was pressed.
  const member = await conversation.external((c) => currentMember(c, REVIEWERS));
  if (!member) return void (await answer.reply(answer.t("staff.no_access")));
  await applyDecision(answer, member, requestId, { kind: "reject", reason: "other", note });
}

export const decideHandlers = new Composer<BotContext>();
const pm = decideHandlers.chatType("private");

/** Re-renders the card under a different keyboard (reasons, documents) when the request is still open. */
async function openRequestOrSay(ctx: BotContext, member: StaffMember, id: number): Promise<RequestRow | null> {
  const r = await requestFor(ctx, member, id);
  if (!r) return null;
  if (!isOpen(r)) {
    await ctx.answerCallbackQuery().catch(() => undefined);
    await tellAlreadyDecided(ctx, r);
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
    await ctx.reply(ctx.t("staff.reject.note_prompt", { number: r.number, max: NOTE_MAX }), {
      parse_mode: "HTML",
      reply_markup: new InlineKeyboard().text(ctx.t("common.cancel"), noteCb.data("cancel")),
    });
    await ctx.conversation.enter(REJECT_NOTE_ID, r.id);
  }),
);

pm.callbackQuery(noteCb.filter, async (ctx) => {
  await ctx.answerCallbackQuery();
  await ctx.editMessageReplyMarkup().catch(() => undefined);
  if (await ctx.conversation.active(REJECT_NOTE_ID)) {
    await ctx.conversation.exit(REJECT_NOTE_ID);
    await ctx.reply(ctx.t("staff.reject.note_cancelled"));
  }
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
export async function decisionAction(ctx: BotContext, member: StaffMember, action: "approve" | "reject" | "docs", id: number): Promise<void> {
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
  await ctx.editMessageReplyMarkup({ reply_markup: kb }).catch(() => ctx.reply(ctx.t(`staff.choose.${action}`), { reply_markup: kb }));
}
