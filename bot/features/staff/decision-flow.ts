import { InlineKeyboard } from "grammy";
import type { InlineKeyboardButton } from "grammy/types";
import { auditTrail } from "../../../data/repositories/audit.js";
import { decide, type Decision } from "../../../data/repositories/decisions.js";
import { getRequest, OPEN_STATUSES, type RequestRow } from "../../../data/repositories/requests.js";
import type { StaffMember } from "../../../data/repositories/staff.js";
import type { RequestStatus } from "../../../data/schema/requests.js";
import { almatyDate } from "../../../rules/index.js";
import type { BaseContext } from "../../context.js";
import { formatInstant } from "../../format.js";
import { rejectCb } from "./callbacks.js";
import { renderCard } from "./card.js";
import { nowIso, reviewableRequest } from "../../access.js";
import { insuranceBlock, type InsuranceBlock } from "./insurance.js";
import { colleagueName } from "./names.js";

/**
 * A decision in two halves, so that inside a conversation the database half runs in `conversation.external` and
 * the Bot API half outside it (whose results the conversation replays from its log). Everything the first half returns is plain JSON.
 */
export type DecisionOutcome =
  | { kind: "out_of_scope" }
  | { kind: "stale" }
  | { kind: "already_decided"; number: string; status: RequestStatus; by: string; at: string | null }
  | { kind: "clinic_full"; requestId: number; number: string }
  | { kind: "insurance"; requestId: number; number: string; block: InsuranceBlock }
  | {
      kind: "decided";
      requestId: number;
      applicantId: number;
      number: string;
      status: RequestStatus;
      /** The applicant's notice, queued in the outbox with the decision. */
      noticeId: number;
    };

const isOpenStatus = (s: RequestStatus) => OPEN_STATUSES.includes(s);

/** Runs database work: directly in a handler, through `conversation.external` in a conversation. */
export type RunDb = <T>(work: (c: BaseContext) => Promise<T>) => Promise<T>;
export const directly =
  (ctx: BaseContext): RunDb =>
  (work) =>
    work(ctx);

/** Who moved the request to its current status and when (the audit log also covers "documents requested"). */
async function lastChange(ctx: BaseContext, r: RequestRow): Promise<{ by: number | null; at: string | null }> {
  const entry = (await auditTrail(ctx.deps.db, { requestId: r.id, limit: 50 })).find((e) => e.new_status === r.status);
  if (entry) return { by: entry.actor_id, at: entry.at };
  return { by: r.decided_by, at: r.decided_at };
}

type AlreadyDecided = Extract<DecisionOutcome, { kind: "already_decided" }>;

export async function alreadyDecided(ctx: BaseContext, r: RequestRow): Promise<AlreadyDecided> {
  const change = await lastChange(ctx, r);
  return {
    kind: "already_decided",
    number: r.number,
    status: r.status,
    by: await colleagueName(ctx, change.by),
    at: change.at,
  };
}

/** The database half: scope as it is now, then one transaction (exactly one of two colleagues wins). */
export async function decideNow(
  ctx: BaseContext,
  member: StaffMember,
  requestId: number,
  d: Decision,
): Promise<DecisionOutcome> {
  const before = await reviewableRequest(ctx.deps, member, requestId);
  if (!before) return { kind: "out_of_scope" };
  // R2: an ended (or unknown) insurance contract is no ground to attach; the term never changes after submission.
  const block =
    d.kind === "approve" && isOpenStatus(before.status)
      ? insuranceBlock(before, almatyDate(ctx.deps.clock.now()))
      : null;
  if (block) return { kind: "insurance", requestId, number: before.number, block };
  const result = await decide(ctx.deps.db, requestId, member.userId, d, nowIso(ctx));
  if (!result.ok) {
    if (result.reason === "not_found") return { kind: "stale" };
    if (result.reason === "already_decided") return alreadyDecided(ctx, result.request);
    return { kind: "clinic_full", requestId, number: before.number };
  }
  const r = result.request;
  ctx.deps.outbox.notify(); // the notice is owed from this commit on
  return {
    kind: "decided",
    requestId,
    applicantId: r.user_id,
    number: r.number,
    status: r.status,
    noticeId: result.noticeId,
  };
}

export async function tellAlreadyDecided(ctx: BaseContext, o: AlreadyDecided): Promise<void> {
  // Nobody on the staff decided a withdrawal: the applicant took the request back.
  if (o.status === "withdrawn") {
    return void (await ctx.reply(ctx.t("staff.already_withdrawn", { number: o.number, at: formatInstant(o.at) }), {
      parse_mode: "HTML",
    }));
  }
  const status = ctx.t(`requests.status.${o.status}`);
  await ctx.reply(ctx.t("staff.already_decided", { number: o.number, status, by: o.by, at: formatInstant(o.at) }), {
    parse_mode: "HTML",
  });
}

/** A message of the reviewer's chat to redraw after the decision (the card a reason was typed for). */
export interface CardMessage {
  chatId: number;
  messageId: number;
}

/**
 * The Bot API half: the button, the card in place, the reviewer's confirmation with what became of the applicant's
 * notice (queued with the decision, sent by the outbox worker). `card`: the card to redraw when the decision does
 * not come from a press on it (a typed reason); else the pressed message.
 */
export async function reportDecision(
  ctx: BaseContext,
  o: DecisionOutcome,
  db: RunDb,
  card?: CardMessage,
): Promise<void> {
  if (o.kind === "out_of_scope") {
    if (ctx.callbackQuery) await ctx.answerCallbackQuery({ text: ctx.t("staff.not_in_scope") }).catch(() => undefined);
    else await ctx.reply(ctx.t("staff.not_in_scope"));
    return;
  }
  if (ctx.callbackQuery) await ctx.answerCallbackQuery().catch(() => undefined);
  if (o.kind === "stale") return void (await ctx.reply(ctx.t("common.stale_button")));
  if (o.kind === "already_decided") return tellAlreadyDecided(ctx, o);
  if (o.kind === "clinic_full") {
    // R6: the clinic filled up after the request was made; refusing for that reason tells the applicant what next.
    const kb = new InlineKeyboard().text(ctx.t("staff.buttons.reject_full"), rejectCb.data("clinic_full", o.requestId));
    return void (await ctx.reply(ctx.t("staff.clinic_full", { number: o.number }), {
      parse_mode: "HTML",
      reply_markup: kb,
    }));
  }
  if (o.kind === "insurance") {
    // R2, R14: say why, and offer the refusal with the ground that covers it ("not eligible").
    const b = o.block;
    const key = b.reason === "insurance_term_missing" ? "term_missing" : b.ended ? "expired" : "ends_early";
    const vars = {
      number: o.number,
      date: b.reason === "insurance_expired" ? b.until : "",
      effective: b.reason === "insurance_expired" ? b.effective : "",
    };
    const kb = new InlineKeyboard().text(ctx.t("staff.buttons.reject_insurance"), rejectCb.data(b.ground, o.requestId));
    return void (await ctx.reply(ctx.t(`staff.insurance.${key}`, vars), { parse_mode: "HTML", reply_markup: kb }));
  }
  const pressed = ctx.callbackQuery?.message;
  const target = card ?? (pressed ? { chatId: pressed.chat.id, messageId: pressed.message_id } : undefined);
  if (target) {
    // Outside `db`: a Bot API call (never inside a replayed external). In the note conversation this runs after its last wait and
    // is never replayed, so whether applicant.ts's cache answers cannot shift the replay log.
    const applicant = await ctx.deps.applicants.contact(ctx.api, o.applicantId, ctx.deps.clock.now().getTime());
    const view = await db(async (c): Promise<{ text: string; rows: InlineKeyboardButton[][] } | null> => {
      const r = await getRequest(c.deps.db, o.requestId);
      if (!r) return null;
      const v = await renderCard(c, r, { applicant });
      return { text: v.text, rows: v.keyboard.inline_keyboard };
    });
    if (view) {
      const opts = { parse_mode: "HTML" as const, reply_markup: new InlineKeyboard(view.rows) };
      await ctx.api.editMessageText(target.chatId, target.messageId, view.text, opts).catch(() => undefined);
    }
  }
  // The worker sends it; the reviewer hears how its first try went (in a conversation, once: through `db`).
  const [delivery = "queued"] = await db((c) => c.deps.outbox.delivered([o.noticeId]));
  const lines = [ctx.t(`staff.decided.${o.status}`, { number: o.number }), ctx.t(`staff.delivery.${delivery}`)];
  await ctx.reply(lines.join("\n"), { parse_mode: "HTML" });
}
