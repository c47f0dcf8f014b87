import type { Conversation } from "@grammyjs/conversations";
import type { InlineKeyboard, Keyboard } from "grammy";
import { z } from "zod";
import { loadDraft } from "../../../data/repositories/drafts.js";
import { callbackCodec, callbackUnion } from "../../callback-data.js";
import type { BaseContext, BotContext } from "../../context.js";
import { TEXT_LIMIT } from "../../format.js";
import { escapeHtml } from "../../i18n.js";
import { isAcceptedDocument } from "../../application/upload-rules.js";
import { parseDraft, type StepId, type UploadedDocument } from "../../application/draft.js";

export type ApplyConversation = Conversation<BotContext, BaseContext>;

/** What the person answered at a step. */
export type Reply =
  | { kind: "pick"; parts: string[] }
  | { kind: "nav"; to: "back" | "cancel" }
  | { kind: "text"; text: string }
  | { kind: "location"; lat: number; lon: number }
  | { kind: "file"; file: UploadedDocument };

export interface Question {
  step: StepId;
  text: string;
  keyboard?: InlineKeyboard;
  /** A reply keyboard instead (e.g. "share location"); removed after the answer. */
  replyKeyboard?: Keyboard;
  accept?: { text?: boolean; location?: boolean; file?: boolean };
  /** The shapes of this question's button parts (after `a:<step>:`); anything else is forged or stale. */
  pick?: z.ZodType<string[]>;
  /** Maps an obvious typed answer to the parts of a button ("себя" → ["self"]); checked against `pick` too. */
  parseText?: (text: string) => string[] | null;
  /** Explains why typed text is not taken (already localized); the update is rejected without growing the replay log. */
  textError?: (text: string) => string | null;
  /** Locale key of the hint shown on input of the wrong kind. */
  hint: string;
  backable?: boolean;
  /** Paging: redraw the message whose "more" was pressed instead of sending the next page as a new one. */
  inPlace?: boolean;
}

// Declared: every `a:` button is the flow's, and a waiting question answers it (see rejectInput).
const navCb = callbackCodec("a", [z.literal("nav"), z.enum(["back", "cancel"])]);
const NAV_BACK = navCb.data("nav", "back");
const NAV_CANCEL = navCb.data("nav", "cancel");
const TYPED_BACK = /^(назад|артқа|back|←.*)$/i;
// "бас тарту" stays: it was the kk button's label before "болдырмау".
const TYPED_CANCEL = /^(отмена|отменить|болдырмау|бас тарту|cancel|стоп)$/i;

/** The step's own buttons are `a:<step>:…`; Back and Cancel are shared. */
export function pickData(step: StepId, ...parts: (string | number)[]): string {
  const data = ["a", step, ...parts.map(String)].join(":");
  if (Buffer.byteLength(data) > 64) throw new Error(`callback data too long for step ${step}`);
  return data;
}

export function withNav(kb: InlineKeyboard, ctx: BaseContext, backable = true): InlineKeyboard {
  kb.row();
  if (backable) kb.text(ctx.t("common.back"), NAV_BACK);
  return kb.text(ctx.t("common.cancel"), NAV_CANCEL);
}

/** Zod-validated parts of a button of this question, or null. */
function pickOf(q: Question, data: string): string[] | null {
  return q.pick ? callbackUnion(`a:${q.step}`, q.pick).parse(data) : null;
}

function typedPick(q: Question, text: string): string[] | null {
  const typed = q.parseText?.(text);
  if (!typed || !q.pick) return null;
  const r = q.pick.safeParse(typed);
  return r.success ? r.data : null;
}

export function classify(ctx: BaseContext, q: Question): Reply | null {
  const data = ctx.callbackQuery?.data;
  if (ctx.callbackQuery) {
    if (data === NAV_BACK && q.backable !== false) return { kind: "nav", to: "back" };
    if (data === NAV_CANCEL) return { kind: "nav", to: "cancel" };
    const parts = data === undefined ? null : pickOf(q, data);
    return parts ? { kind: "pick", parts } : null;
  }
  const msg = ctx.message;
  if (!msg) return null;
  if (msg.text !== undefined) {
    if (msg.text.startsWith("/")) return null;
    const text = msg.text.trim();
    if (TYPED_CANCEL.test(text)) return { kind: "nav", to: "cancel" };
    if (TYPED_BACK.test(text) && q.backable !== false) return { kind: "nav", to: "back" };
    const typed = typedPick(q, text);
    if (typed) return { kind: "pick", parts: typed };
    if (!q.accept?.text || text.length === 0 || text.length > 200) return null;
    return q.textError?.(text) ? null : { kind: "text", text };
  }
  if (msg.location && q.accept?.location)
    return { kind: "location", lat: msg.location.latitude, lon: msg.location.longitude };
  if (q.accept?.file) return fileOf(ctx);
  return null;
}

function fileOf(ctx: BaseContext): Reply | null {
  const msg = ctx.message;
  const photo = msg?.photo?.at(-1); // the largest size
  if (photo) {
    return {
      kind: "file",
      file: {
        kind: "",
        fileId: photo.file_id,
        fileUniqueId: photo.file_unique_id,
        mimeType: "image/jpeg",
        fileSize: photo.file_size ?? null,
        fileName: null,
      },
    };
  }
  const doc = msg?.document;
  if (doc && isAcceptedDocument(doc.mime_type, doc.file_size, doc.file_name)) {
    return {
      kind: "file",
      file: {
        kind: "",
        fileId: doc.file_id,
        fileUniqueId: doc.file_unique_id,
        mimeType: doc.mime_type ?? null,
        fileSize: doc.file_size ?? null,
        fileName: doc.file_name?.slice(0, 255) ?? null,
      },
    };
  }
  return null;
}

export function stepOfData(data: string): string | undefined {
  return data.startsWith("a:") ? data.split(":")[1] : undefined;
}

/**
 * A button of the draft's current step pressed while this wait is behind the draft (a crash between the reply and
 * the state write): the apply feature then resumes from the draft. A wait at the draft's own step is not behind.
 */
async function behindDraft(ctx: BaseContext, q: Question, data: string): Promise<boolean> {
  const saved = ctx.from ? await loadDraft(ctx.deps, ctx.from.id) : undefined;
  if (!saved) return false;
  const step = parseDraft(saved.data).step;
  return step !== q.step && step === stepOfData(data);
}

/** Sends the question again (after a hint) and takes the buttons off the copy before it. */
async function repeat(ctx: BaseContext, q: Question, first: number, text: string): Promise<void> {
  const sent = await ctx.reply(text, { parse_mode: "HTML", reply_markup: q.replyKeyboard ?? q.keyboard });
  if (!ctx.chat || !q.keyboard) return;
  const previous = ctx.deps.questions.repeated(ctx.chat.id, first, sent.message_id);
  await ctx.api.editMessageReplyMarkup(ctx.chat.id, previous).catch(() => undefined);
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
function echoes(step: StepId, parts: string[]): boolean {
  return ECHO_STEPS.has(step) && !NOT_ANSWERS.has(parts[0] ?? "");
}

/** The label of the pressed button, from the message it was pressed on. */
function pressedLabel(ctx: BaseContext): string | undefined {
  const data = ctx.callbackQuery?.data;
  const rows = ctx.callbackQuery?.message?.reply_markup?.inline_keyboard ?? [];
  return rows.flat().find((b) => "callback_data" in b && b.callback_data === data)?.text;
}

/** Explains what went wrong with the input, then repeats the question with its buttons. */
async function rejectInput(ctx: BaseContext, q: Question, first: number): Promise<void> {
  if (ctx.callbackQuery) {
    const data = ctx.callbackQuery.data ?? "";
    const flow = data.startsWith("a:");
    // Buttons other features declared (menu, FAQ, language…) are theirs to answer, valid or forged.
    if (!flow && ctx.deps.callbacks.isDeclared(data)) return;
    if (flow && (await behindDraft(ctx, q, data))) {
      ctx.deps.questions.markBehind(ctx.update.update_id);
      return;
    }
    // Every other button is answered here: a stale or forged one gets the hint and the same question.
    await ctx.answerCallbackQuery({ text: ctx.t("common.stale_button") }).catch(() => undefined);
    await repeat(ctx, q, first, q.text);
    return;
  }
  // People correct a typo by editing the message: an edit is not an answer, so say to send it again.
  if (ctx.editedMessage?.text !== undefined)
    return void (await repeat(ctx, q, first, `${ctx.t("apply.hints.edited")}\n\n${q.text}`));
  const msg = ctx.message;
  if (!msg || msg.text?.startsWith("/")) return; // commands go on to their handlers; progress stays
  const typed = msg.text?.trim();
  const textError = typed && typed.length <= 200 ? q.textError?.(typed) : null;
  if (textError) {
    await repeat(ctx, q, first, textError);
    return;
  }
  let hint = q.hint;
  const doc = msg.document;
  if (q.accept?.file && doc)
    hint = isAcceptedDocument(doc.mime_type, 0, doc.file_name) ? "apply.hints.file_too_big" : "apply.hints.file_type";
  else if (msg.text !== undefined && msg.text.length > 200) hint = "apply.hints.too_long";
  await repeat(ctx, q, first, `${ctx.t(hint)}\n\n${q.text}`);
}

/** Sends the question and waits for a fitting answer; anything else gets a hint and is not logged (no replay growth). */
export async function ask(
  conversation: ApplyConversation,
  ctx: BaseContext,
  q: Question,
): Promise<{ reply: Reply; ctx: BaseContext }> {
  const redrawOn = q.inPlace && q.keyboard ? ctx.callbackQuery?.message?.message_id : undefined;
  const redrawn =
    redrawOn !== undefined &&
    (await ctx.editMessageText(q.text, { parse_mode: "HTML", reply_markup: q.keyboard }).then(
      () => true,
      () => false,
    ));
  const first = redrawn
    ? redrawOn
    : (await ctx.reply(q.text, { parse_mode: "HTML", reply_markup: q.replyKeyboard ?? q.keyboard })).message_id;
  if (ctx.chat && q.keyboard) ctx.deps.questions.asked(ctx.chat.id, first);
  const answer = await conversation.waitUntil((c) => classify(c, q) !== null, {
    otherwise: (c) => rejectInput(c, q, first),
    next: true,
  });
  const reply = classify(answer, q);
  if (!reply) throw new Error("unreachable: waitUntil accepted an unclassified update");
  const pressedOn = answer.callbackQuery?.message?.message_id;
  // A page turn keeps its message: the step redraws it in place with the next page (inPlace).
  const pageTurn = reply.kind === "pick" && reply.parts[0] === "p";
  if (answer.callbackQuery && pageTurn) await answer.answerCallbackQuery();
  else if (answer.callbackQuery) {
    await answer.answerCallbackQuery();
    // Buttons of an answered question must not be pressed again; the question keeps the answer chosen.
    const label = pressedLabel(answer);
    const shown =
      label && reply.kind === "pick" && echoes(q.step, reply.parts) ? `${q.text}\n\n✅ ${escapeHtml(label)}` : "";
    await (
      shown && shown.length <= TEXT_LIMIT
        ? answer.editMessageText(shown, { parse_mode: "HTML", reply_markup: undefined })
        : answer.editMessageReplyMarkup({ reply_markup: undefined })
    ).catch(() => undefined);
  }
  // The other copy still showing buttons (the first, or the newest repeat after wrong input) loses them too.
  const chatId = answer.chat?.id;
  if (chatId !== undefined && q.keyboard) {
    await conversation.external(async (o) => {
      const live = o.deps.questions.answered(chatId, first);
      if (live !== pressedOn) await o.api.editMessageReplyMarkup(chatId, live).catch(() => undefined);
    });
  }
  return { reply, ctx: answer };
}
