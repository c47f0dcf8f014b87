import type { MiddlewareFn } from "grammy";
import { loadDraft, saveDraft } from "../../../data/repositories/drafts.js";
import type { BaseContext, BotContext } from "../../context.js";
import { TEXT_LIMIT } from "../../format.js";
import { escapeHtml } from "../../i18n.js";
import { isAcceptedDocument } from "../../application/upload-rules.js";
import { emptyDraft, parseDraft, type Draft, type StepId } from "../../application/draft.js";
import { documentsFor } from "../../application/eligibility.js";
import { classify, type Question, type Reply } from "./ask.js";
import { advance, settle } from "./progress.js";
import type { StepRunner, Turn } from "./step.js";
import { clinicStep } from "./steps/clinic.js";
import { documentsStep } from "./steps/documents.js";
import { groundStep, residenceStep } from "./steps/ground.js";
import { iinStep } from "./steps/iin.js";
import { insuranceStep } from "./steps/insurance.js";
import { regionStep, settlementStep } from "./steps/place.js";
import { summaryStep } from "./steps/summary.js";
import { categoryStep, whoStep } from "./steps/who.js";

const STEP: Record<StepId, StepRunner> = {
  who: whoStep,
  category: categoryStep,
  insurance: insuranceStep,
  iin: iinStep,
  region: regionStep,
  settlement: settlementStep,
  clinic: clinicStep,
  ground: groundStep,
  residence: residenceStep,
  documents: documentsStep,
  summary: summaryStep,
};

function save(ctx: BaseContext, draft: Draft, at = ctx.deps.clock.now().toISOString()): Promise<number> {
  return saveDraft(ctx.deps, ctx.from?.id ?? 0, draft, at);
}

/** Takes the buttons off a message that no longer answers anything (already gone or too old: nothing to do). */
async function dropButtons(ctx: BaseContext, messageId: number): Promise<void> {
  if (ctx.chat) await ctx.api.editMessageReplyMarkup(ctx.chat.id, messageId).catch(() => undefined);
}

/**
 * Asks the draft's current question: a new message, or the pressed one redrawn when the step pages in place. The
 * draft that results remembers the message, so its buttons can go once it is answered.
 */
async function ask(ctx: BaseContext, draft: Draft, say?: string): Promise<Draft> {
  const asked = await STEP[draft.step](ctx, draft).question();
  // A line about the last answer opens the question's message: one message (and one call) where it fits.
  const merged = say === undefined ? asked.text : `${say}\n\n${asked.text}`;
  if (say !== undefined && merged.length > TEXT_LIMIT) await ctx.reply(say, { parse_mode: "HTML" });
  const q = merged.length > TEXT_LIMIT ? asked : { ...asked, text: merged };
  const redrawOn = q.inPlace && q.keyboard ? ctx.callbackQuery?.message?.message_id : undefined;
  const redrawn =
    redrawOn !== undefined &&
    (await ctx.editMessageText(q.text, { parse_mode: "HTML", reply_markup: q.keyboard }).then(
      () => true,
      () => false,
    ));
  const shown = redrawn
    ? redrawOn
    : (await ctx.reply(q.text, { parse_mode: "HTML", reply_markup: q.replyKeyboard ?? q.keyboard })).message_id;
  return { ...draft, asked: q.keyboard ? shown : undefined, said: q === asked ? undefined : say };
}

/** Sends the question again (after a hint); only the newest copy keeps the buttons. */
async function repeat(ctx: BaseContext, q: Question, asked: number | undefined, text: string) {
  const sent = await ctx.reply(text, { parse_mode: "HTML", reply_markup: q.replyKeyboard ?? q.keyboard });
  if (!q.keyboard) return asked;
  if (asked !== undefined) await dropButtons(ctx, asked);
  return sent.message_id;
}

/** Explains what went wrong with the input and repeats the question; returns where its buttons now are. */
async function rejectInput(ctx: BaseContext, q: Question, asked: number | undefined): Promise<number | undefined> {
  if (ctx.callbackQuery) {
    const data = ctx.callbackQuery.data ?? "";
    // Buttons other features declared (menu, FAQ, language…) are theirs to answer, valid or forged.
    if (!data.startsWith("a:") && ctx.deps.callbacks.isDeclared(data)) return asked;
    // Every other button is answered here: a stale or forged one gets the hint and the same question.
    await ctx.answerCallbackQuery({ text: ctx.t("common.stale_button") }).catch(() => undefined);
    return repeat(ctx, q, asked, q.text);
  }
  // People correct a typo by editing the message: an edit is not an answer, so say to send it again.
  if (ctx.editedMessage?.text !== undefined)
    return repeat(ctx, q, asked, `${ctx.t("apply.hints.edited")}\n\n${q.text}`);
  const msg = ctx.message;
  if (!msg || msg.text?.startsWith("/")) return asked; // commands go on to their handlers; progress stays
  const typed = msg.text?.trim();
  const textError = typed && typed.length <= 200 ? q.textError?.(typed) : null;
  if (textError) return repeat(ctx, q, asked, textError);
  let hint = q.hint;
  const doc = msg.document;
  if (q.accept?.file && doc)
    hint = isAcceptedDocument(doc.mime_type, 0, doc.file_name) ? "apply.hints.file_too_big" : "apply.hints.file_type";
  else if (msg.text !== undefined && msg.text.length > 200) hint = "apply.hints.too_long";
  return repeat(ctx, q, asked, `${ctx.t(hint)}\n\n${q.text}`);
}

// Questions whose button is the answer itself. Not: a clinic list (a ⛔ clinic pressed is refused next, and the
// step confirms the choice itself), documents' "Done", the summary's confirm and edits; nor paging or "my location".
const ECHO_STEPS: ReadonlySet<StepId> = new Set<StepId>([
  "who",
  "category",
  "insurance",
  "region",
  "settlement",
  "ground",
  "residence",
]);
const NOT_ANSWERS: ReadonlySet<string> = new Set(["p", "loc", "near"]);

/** The label of the pressed button, from the message it was pressed on. */
function pressedLabel(ctx: BaseContext): string | undefined {
  const data = ctx.callbackQuery?.data;
  const rows = ctx.callbackQuery?.message?.reply_markup?.inline_keyboard ?? [];
  return rows.flat().find((b) => "callback_data" in b && b.callback_data === data)?.text;
}

/** An answer taken: the press answered, and the question's buttons gone (it keeps the answer chosen). */
async function acknowledge(ctx: BaseContext, q: Question, reply: Reply, draft: Draft): Promise<void> {
  const { asked, said } = draft;
  const pressedOn = ctx.callbackQuery?.message?.message_id;
  if (ctx.callbackQuery) await ctx.answerCallbackQuery();
  // A page turn keeps its message and buttons: the step redraws it in place with the next page.
  const pageTurn = reply.kind === "pick" && reply.parts[0] === "p";
  if (ctx.callbackQuery && !pageTurn) {
    const label = pressedLabel(ctx);
    const echoed = label && reply.kind === "pick" && ECHO_STEPS.has(q.step) && !NOT_ANSWERS.has(reply.parts[0] ?? "");
    const shown = echoed ? `${said === undefined ? "" : `${said}\n\n`}${q.text}\n\n✅ ${escapeHtml(label)}` : "";
    await (
      shown && shown.length <= TEXT_LIMIT
        ? ctx.editMessageText(shown, { parse_mode: "HTML", reply_markup: undefined })
        : ctx.editMessageReplyMarkup({ reply_markup: undefined })
    ).catch(() => undefined);
  }
  // The copy still showing buttons, when the answer came another way (typed, or pressed on an older copy), loses them.
  if (asked !== undefined && asked !== pressedOn) await dropButtons(ctx, asked);
}

/** What a step's turn leads to: the same step asked again, the next step asked, or the flow left (null: submitted). */
async function proceed(ctx: BaseContext, draft: Draft, turn: Turn<object>): Promise<Draft | null> {
  const base: Draft = { ...draft, asked: undefined, said: undefined };
  if (turn.kind === "again") return ask(ctx, { ...base, ...turn.patch, view: { ...turn.view } });
  if (turn.kind === "cancel") {
    await ctx.reply(ctx.t("apply.cancelled"), { reply_markup: { remove_keyboard: true } });
    return { ...base, active: false, view: undefined };
  }
  // submitDraft removed the draft with the update's other writes, where the request was stored.
  if (turn.kind === "submitted") return null;
  let next = advance(base, turn);
  if (next.residenceKind) {
    // Any answer may change what must be brought (child, category, residence): recompute, drop files no longer needed.
    const requiredDocs = await documentsFor(ctx.deps, next);
    next = { ...next, requiredDocs, documents: next.documents.filter((d) => requiredDocs.includes(d.kind)) };
  }
  return ask(ctx, { ...settle(next), view: undefined }, turn.kind === "next" ? turn.say : undefined);
}

/**
 * The application while it waits for an answer. Its whole state is the draft, read once and written once with the
 * update's other writes: each answer rebuilds the question it answers (to check it), handles it, and asks the next
 * question. Wrong input is explained and the question repeated; what the flow does not take (commands, other
 * features' buttons) goes on to the features, which stay silent while it waits (see applicationWaits).
 */
export function applyFlow(): MiddlewareFn<BotContext> {
  return async (ctx, next) => {
    const userId = ctx.from?.id;
    if (ctx.chat?.type !== "private" || userId === undefined) return next();
    if (!ctx.message && !ctx.callbackQuery && !ctx.editedMessage) return next();
    const saved = await loadDraft(ctx.deps, userId);
    const draft = saved ? parseDraft(saved.data) : undefined;
    if (!draft?.active) return next();
    const step = STEP[draft.step](ctx, draft);
    const q = await step.question();
    const reply = classify(ctx, q);
    if (!reply) {
      const asked = await rejectInput(ctx, q, draft.asked);
      // A new copy of the question does not open with the line the first one did.
      if (asked !== draft.asked) await save(ctx, { ...draft, asked, said: undefined });
      return next();
    }
    await acknowledge(ctx, q, reply, draft);
    const after = await proceed(ctx, draft, await step.answer(reply));
    if (after) await save(ctx, after);
  };
}

/** Enters (or re-enters) the application at the draft's current step: its question asked afresh. */
export async function enterFlow(ctx: BaseContext): Promise<void> {
  if (!ctx.from) return;
  const saved = await loadDraft(ctx.deps, ctx.from.id);
  const draft = saved ? parseDraft(saved.data) : emptyDraft();
  // The copy asked before no longer answers anything.
  if (draft.asked !== undefined) await dropButtons(ctx, draft.asked);
  await save(ctx, await ask(ctx, { ...draft, active: true, view: undefined, asked: undefined }));
}

/**
 * Leaves the application, its answers kept: the waiting question's buttons go. `at` keeps the draft's age (an
 * expired flow). False when it was not waiting.
 */
export async function leaveFlow(ctx: BaseContext, at?: string): Promise<boolean> {
  if (!ctx.from) return false;
  const saved = await loadDraft(ctx.deps, ctx.from.id);
  const draft = saved ? parseDraft(saved.data) : undefined;
  if (!draft?.active) return false;
  if (draft.asked !== undefined) await dropButtons(ctx, draft.asked);
  await save(ctx, { ...draft, active: false, view: undefined, asked: undefined, said: undefined }, at);
  return true;
}
