import type { Conversation } from "@grammyjs/conversations";
import type { InlineKeyboard } from "grammy";
import type { MessageEntity } from "grammy/types";
import { z } from "zod";
import { callbackCodec } from "../../callback-data.js";
import type { BaseContext, BotContext } from "../../context.js";
import { AUDIENCE_KINDS } from "./audience.js";
import { STEP_NAMES, type Draft, type StepName } from "./compose-draft.js";

// What every step of /broadcast shares: its buttons, the question-and-answer wait, the way out.

export type ComposeConversation = Conversation<BotContext, BaseContext>;
export type StepResult = { draft: Draft | null; ctx: BaseContext };
export type Step = (conversation: ComposeConversation, ctx: BaseContext, draft: Draft) => Promise<StepResult>;

export const audienceCb = callbackCodec("bc1", [z.enum(AUDIENCE_KINDS)]);
export const settlementCb = callbackCodec("bc2", [z.string().regex(/^[\w.-]{1,40}$/)]);
export const languageCb = callbackCodec("bc3", [z.enum(["ru", "kk"])]);
export const goCb = callbackCodec("bc4", [z.enum(["now", "later", "restart", "cancel"])]);
/** Back and keep name the step they belong to: a second tap on an answered question's button is stale, not a second step back. */
export const navCb = callbackCodec("bc5", [z.enum(["back", "keep"]), z.enum(STEP_NAMES)]);
export const nightCb = callbackCodec("bc6", [z.enum(["morning", "anyway"])]);
const OURS = /^bc[1-6](:|$)/;

export interface Piece {
  text: string;
  entities: MessageEntity[];
  photo: string | null;
}

/** A text message, or a photo with a caption; formatting comes as entities and is kept as is. */
export function pieceOf(c: BaseContext): Piece | null {
  const m = c.message;
  if (!m) return null;
  if (m.text !== undefined)
    return m.text.startsWith("/") ? null : { text: m.text, entities: m.entities ?? [], photo: null };
  const photo = m.photo?.at(-1);
  if (photo && m.caption) return { text: m.caption, entities: m.caption_entities ?? [], photo: photo.file_id };
  return null;
}

type Answer<V> = { value: V; ctx: BaseContext };

export interface Question<V> {
  text: string;
  /** Said before the question the first time only (why it is asked again). */
  lead?: string;
  keyboard?: InlineKeyboard;
  accept: (c: BaseContext) => V | null;
  hint: (c: BaseContext) => string;
  /** The hint comes with the question again (and its buttons), so the last message always says what to send. */
  repeat?: boolean;
}

/** Sends the question, waits for an accepted answer; anything else gets a hint (commands and other buttons go on). */
export async function ask<V>(conversation: ComposeConversation, ctx: BaseContext, q: Question<V>): Promise<Answer<V>> {
  await ctx.reply(q.lead ? `${q.lead}\n\n${q.text}` : q.text, { parse_mode: "HTML", reply_markup: q.keyboard });
  const answer = await conversation.waitUntil((c) => q.accept(c) !== null, {
    next: true,
    otherwise: async (c) => {
      const data = c.callbackQuery?.data;
      if (data !== undefined) {
        if (OURS.test(data)) await c.answerCallbackQuery({ text: c.t("common.stale_button") });
        return;
      }
      if (!c.message || c.message.text?.startsWith("/")) return;
      if (q.repeat) await c.reply(`${q.hint(c)}\n\n${q.text}`, { parse_mode: "HTML", reply_markup: q.keyboard });
      else await c.reply(q.hint(c), { parse_mode: "HTML" });
    },
  });
  const value = q.accept(answer);
  if (value === null) throw new Error("unreachable: waitUntil accepted an unparsed update");
  if (answer.callbackQuery) {
    await answer.answerCallbackQuery();
    await answer.editMessageReplyMarkup({ reply_markup: undefined }).catch(() => undefined);
  }
  return { value, ctx: answer };
}

/** The last row of a step's keyboard: "← Назад" (every step after the first) and "Отмена". */
export function navRow(kb: InlineKeyboard, ctx: BaseContext, step: StepName, back: boolean): InlineKeyboard {
  kb.row();
  if (back) kb.text(ctx.t("common.back"), navCb.data("back", step));
  return kb.text(ctx.t("broadcast.compose.cancel"), goCb.data("cancel"));
}

/** "cancel", or one of the step's own "back"/"keep" buttons that it offers; null for anything else. */
export function navOf<N extends "back" | "keep">(
  c: BaseContext,
  step: StepName,
  offered: readonly N[],
): "cancel" | N | null {
  if (goCb.parse(c.callbackQuery?.data)?.[0] === "cancel") return "cancel";
  const nav = navCb.parse(c.callbackQuery?.data);
  const found = nav && nav[1] === step ? offered.find((o) => o === nav[0]) : undefined;
  return found ?? null;
}

export const pick =
  <V>(codec: { parse(d: string | undefined): V | null }) =>
  (c: BaseContext): V | null =>
    codec.parse(c.callbackQuery?.data);

export async function cancel(ctx: BaseContext): Promise<{ draft: null; ctx: BaseContext }> {
  await ctx.reply(ctx.t("broadcast.compose.cancelled"));
  return { draft: null, ctx };
}

/** The answer was "cancel" or "back": the step's result for it. */
export async function navigate(
  nav: "cancel" | "back",
  ctx: BaseContext,
  draft: Draft,
  back: StepName | null,
): Promise<StepResult> {
  if (nav === "cancel" || back === null) return cancel(ctx);
  return { ctx, draft: { ...draft, step: back } };
}
