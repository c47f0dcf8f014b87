import type { InlineKeyboard, Keyboard } from "grammy";
import { z } from "zod";
import { callbackCodec, parseParts } from "../../callback-data.js";
import type { BaseContext } from "../../context.js";
import { isAcceptedDocument } from "../../application/upload-rules.js";
import type { StepId, UploadedDocument } from "../../application/draft.js";

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
  readonly pick?: z.ZodType<string[]>;
  /**
   * For a question whose buttons depend on what it shows (a page of a list, today's grounds): true when parts of the
   * right shape name one of them. Any other id is forged or stale.
   */
  offered?: (parts: string[]) => boolean;
  /** Maps an obvious typed answer to the parts of a button ("себя" → ["self"]); checked against `pick` too. */
  parseText?: (text: string) => string[] | null;
  /** Explains why typed text is not taken (already localized); the question is asked again after it. */
  textError?: (text: string) => string | null;
  /** Locale key of the hint shown on input of the wrong kind. */
  hint: string;
  backable?: boolean;
  /** Paging: redraw the message whose "more" was pressed instead of sending the next page as a new one. */
  inPlace?: boolean;
}

// Declared: every `a:` button is the flow's, and a waiting question answers it (see flow.ts).
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

/** What a question shows: its text and buttons. */
export type Drawing = Pick<Question, "text" | "keyboard">;

/**
 * A question whose text and buttons are drawn only when read: checking an answer rebuilds the question it answers
 * but needs only the shapes of its answers, and drawing a long one (a clinic list, the summary) is most of its cost.
 */
export function drawnWhenShown<Q extends Omit<Question, "text" | "keyboard">>(q: Q, draw: () => Drawing): Q & Drawing {
  let drawn: Drawing | undefined;
  const get = () => (drawn ??= draw());
  return Object.defineProperties(q, {
    text: { get: () => get().text, enumerable: true },
    keyboard: { get: () => get().keyboard, enumerable: true },
  }) as Q & Drawing;
}

export function withNav(kb: InlineKeyboard, ctx: BaseContext, backable = true): InlineKeyboard {
  kb.row();
  if (backable) kb.text(ctx.t("common.back"), NAV_BACK);
  return kb.text(ctx.t("common.cancel"), NAV_CANCEL);
}

/** Zod-validated parts of a button of this question, or null. */
function pickOf(q: Question, data: string): string[] | null {
  const parts = q.pick ? parseParts(`a:${q.step}`, q.pick, data) : null;
  return parts && (q.offered?.(parts) ?? true) ? parts : null;
}

function typedPick(q: Question, text: string): string[] | null {
  const typed = q.parseText?.(text);
  if (!typed) return null;
  const pick = q.pick;
  if (!pick) return null;
  const r = pick.safeParse(typed);
  return r.success && (q.offered?.(r.data) ?? true) ? r.data : null;
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
