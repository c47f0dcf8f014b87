import type { MiddlewareFn } from "grammy";
import { loadDraft, saveDraft } from "../../../data/repositories/drafts.js";
import type { BaseContext, BotContext } from "../../context.js";
import { TEXT_LIMIT } from "../../format.js";
import { escapeHtml } from "../../i18n.js";
import { messageHtml, plainLength } from "../../message-html.js";
import { resultUnread } from "../../telegram-direct.js";
import { othersButton } from "../../ui/conversation-state.js";
import { answerPress } from "../../ui/press.js";
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

/** The draft's fields about the question's message: cleared when no message asks it any more. */
const UNASKED = { asked: undefined, lead: undefined, covered: undefined } satisfies Partial<Draft>;

/** Takes the buttons off a message that no longer answers anything (already gone or too old: nothing to do). */
async function dropButtons(ctx: BaseContext, messageId: number): Promise<void> {
  if (ctx.chat) await ctx.api.editMessageReplyMarkup(ctx.chat.id, messageId, resultUnread()).catch(() => undefined);
}

/** What a question's message says before it (HTML), and its length as Telegram counts it once parsed. */
interface Lead {
  html: string;
  length: number;
}

/**
 * A pressed answer for its question's message: what the message says, then "✅ label" (see acknowledge). Unlabelled
 * for a clinic, whose card, said next, is the answer: it stands under the list only with the next question.
 */
type Echo = Lead & { messageId: number; labelled: boolean };

function joined(a: Lead | undefined, b: Lead | undefined): Lead | undefined {
  return a && b ? { html: `${a.html}\n\n${b.html}`, length: a.length + 2 + b.length } : (a ?? b);
}

/** The question under its lead, if the two fit one message (a question's HTML is never shorter than its text). */
function compose(lead: Lead | undefined, q: Question): string | undefined {
  if (!lead) return q.text;
  return lead.length + 2 + q.text.length <= TEXT_LIMIT ? `${lead.html}\n\n${q.text}` : undefined;
}

/** Shows a pressed answer in its message, the buttons gone (or only the buttons gone, when it would not fit). */
async function showEcho(ctx: BaseContext, echo: Echo): Promise<void> {
  if (!ctx.chat) return;
  await (
    echo.labelled && echo.length <= TEXT_LIMIT
      ? ctx.api.editMessageText(ctx.chat.id, echo.messageId, echo.html, resultUnread({ parse_mode: "HTML" as const }))
      : ctx.api.editMessageReplyMarkup(ctx.chat.id, echo.messageId, resultUnread())
  ).catch(() => undefined);
}

/** What the pressed message says before its question, when it is the question's current copy (see Draft.lead). */
function keptLead(ctx: BaseContext, draft: Draft): Lead | undefined {
  const m = ctx.callbackQuery?.message;
  if (!m || !("text" in m) || m.text === undefined || !draft.lead || m.message_id !== draft.asked) return undefined;
  const text = m.text.slice(0, draft.lead).trimEnd();
  return text ? { html: messageHtml(text, m.entities), length: text.length } : undefined;
}

/**
 * Asks the draft's current question, in a message already there where it can: under the answer just pressed
 * (`echo`: one call where a new message would take two), or, for a page turn, redrawn in the pressed message under
 * what it said before (`kept`). Otherwise in a new message, opened by `say` (a line about the last answer) where it
 * fits. The draft that results remembers the message and how much of its text comes before the question.
 */
async function ask(ctx: BaseContext, draft: Draft, how: { say?: string; echo?: Echo; kept?: Lead } = {}) {
  const q = await STEP[draft.step](ctx, draft).question();
  const said: Lead | undefined = how.say === undefined ? undefined : { html: how.say, length: plainLength(how.say) };
  const shownIn = (messageId: number, lead: Lead | undefined): Draft => ({
    ...draft,
    ...UNASKED,
    asked: q.keyboard ? messageId : undefined,
    lead: q.keyboard && lead ? lead.length + 2 : undefined,
  });
  const onto = how.echo ? joined(how.echo, said) : how.kept;
  const target = how.echo?.messageId ?? (q.inPlace ? ctx.callbackQuery?.message?.message_id : undefined);
  if (target !== undefined && ctx.chat && q.keyboard && !q.replyKeyboard) {
    const text = compose(onto, q);
    const opts = { parse_mode: "HTML" as const, reply_markup: q.keyboard };
    const edited =
      text !== undefined &&
      (await ctx.api.editMessageText(ctx.chat.id, target, text, resultUnread(opts)).then(
        () => true,
        () => false,
      ));
    if (edited) return shownIn(target, onto);
  }
  if (how.echo) await showEcho(ctx, how.echo);
  const text = compose(said, q);
  if (said && text === undefined) await ctx.reply(said.html, { parse_mode: "HTML" });
  const sent = await ctx.reply(text ?? q.text, { parse_mode: "HTML", reply_markup: q.replyKeyboard ?? q.keyboard });
  return shownIn(sent.message_id, text === undefined ? undefined : said);
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
    // Buttons other features declared are theirs to answer, valid or forged.
    if (othersButton(ctx)) return asked;
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

// Questions whose button is the answer itself; a clinic's is too, said by its card (a ⛔ one is refused instead).
// Not: documents' "Done", the summary's confirm and edits; nor paging or "my location".
const ECHO_STEPS: ReadonlySet<StepId> = new Set<StepId>([
  "who",
  "category",
  "insurance",
  "region",
  "settlement",
  "ground",
  "residence",
  "clinic",
]);
const NOT_ANSWERS: ReadonlySet<string> = new Set(["p", "loc", "near"]);

/** The label of the pressed button, from the message it was pressed on. */
function pressedLabel(ctx: BaseContext): string | undefined {
  const data = ctx.callbackQuery?.data;
  const rows = ctx.callbackQuery?.message?.reply_markup?.inline_keyboard ?? [];
  return rows.flat().find((b) => "callback_data" in b && b.callback_data === data)?.text;
}

/** The answer pressed, to show under its question, where the button is the answer itself (ECHO_STEPS). */
function echoOf(ctx: BaseContext, q: Question, reply: Reply): Echo | undefined {
  const m = ctx.callbackQuery?.message;
  const label = pressedLabel(ctx);
  if (reply.kind !== "pick" || !ECHO_STEPS.has(q.step) || NOT_ANSWERS.has(reply.parts[0] ?? "")) return undefined;
  // A message too old for Telegram to send back comes without its text: it only loses its buttons.
  if (!m || !("text" in m) || m.text === undefined || !label) return undefined;
  const html = messageHtml(m.text, m.entities);
  if (q.step === "clinic") return { messageId: m.message_id, html, length: m.text.length, labelled: false };
  const labelled = `${html}\n\n✅ ${escapeHtml(label)}`;
  return { messageId: m.message_id, html: labelled, length: m.text.length + 4 + label.length, labelled: true };
}

/**
 * An answer taken: the press answered, and the question's buttons gone. A pressed answer of the current copy is
 * returned to be shown with the next question (see ask); on an older copy, it is shown at once.
 */
async function acknowledge(
  ctx: BaseContext,
  q: Question,
  reply: Reply,
  draft: Draft,
  aside: Promise<void>[],
): Promise<Echo | undefined> {
  const pressedOn = ctx.callbackQuery?.message?.message_id;
  if (ctx.callbackQuery) aside.push(answerPress(ctx));
  // The copy still showing buttons, when the answer came another way (typed, or pressed on an older copy), loses them.
  if (draft.asked !== undefined && draft.asked !== pressedOn) aside.push(dropButtons(ctx, draft.asked));
  // A page turn keeps its message and buttons: the step redraws it in place with the next page.
  if (pressedOn === undefined || (reply.kind === "pick" && reply.parts[0] === "p")) return undefined;
  const echo = echoOf(ctx, q, reply);
  if (echo && pressedOn === draft.asked && !draft.covered) return echo;
  aside.push(echo ? showEcho(ctx, echo) : dropButtons(ctx, pressedOn));
  return undefined;
}

/** What a step's turn leads to: the same step asked again, the next step asked, or the flow left (null: submitted). */
async function proceed(ctx: BaseContext, draft: Draft, turn: Turn<object>, echo?: Echo): Promise<Draft | null> {
  const base: Draft = { ...draft, ...UNASKED };
  if (turn.kind === "again") {
    // Not taken (a ⛔ clinic): the question is asked anew, and the list pressed only loses its buttons.
    if (echo && !echo.labelled) await showEcho(ctx, echo);
    const how = { echo: echo?.labelled ? echo : undefined, kept: keptLead(ctx, draft) };
    return ask(ctx, { ...base, ...turn.patch, view: { ...turn.view } }, how);
  }
  // Leaving the flow: the answer shown on its own (no step buttons on these yet: kept for when there are).
  if (echo && (turn.kind === "cancel" || turn.kind === "submitted")) await showEcho(ctx, echo);
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
  return ask(ctx, { ...settle(next), view: undefined }, { say: turn.kind === "next" ? turn.say : undefined, echo });
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
      if (asked !== draft.asked) await save(ctx, { ...draft, ...UNASKED, asked });
      // What other features answer (a command, their buttons) comes below the question: the next question will not
      // be drawn above it, out of sight, but sent below. Not an answer: the draft keeps its age.
      else if (asked !== undefined && !draft.covered) await save(ctx, { ...draft, covered: true }, saved?.updatedAt);
      return next();
    }
    // The press answered and older buttons dropped beside the answer's own work: none waits for the other.
    const aside: Promise<void>[] = [];
    try {
      const echo = await acknowledge(ctx, q, reply, draft, aside);
      const after = await proceed(ctx, draft, await step.answer(reply), echo);
      if (after) await save(ctx, after);
    } finally {
      await Promise.all(aside);
    }
  };
}

/** Enters (or re-enters) the application at the draft's current step: its question asked afresh, `say` first. */
export async function enterFlow(ctx: BaseContext, say?: string): Promise<void> {
  if (!ctx.from) return;
  const saved = await loadDraft(ctx.deps, ctx.from.id);
  const draft = saved ? parseDraft(saved.data) : emptyDraft();
  // The copy asked before no longer answers anything.
  if (draft.asked !== undefined) await dropButtons(ctx, draft.asked);
  await save(ctx, await ask(ctx, { ...draft, ...UNASKED, active: true, view: undefined }, { say }));
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
  await save(ctx, { ...draft, ...UNASKED, active: false, view: undefined }, at);
  return true;
}
