import type { Conversation } from "@grammyjs/conversations";
import { InlineKeyboard } from "grammy";
import type { MessageEntity } from "grammy/types";
import { z } from "zod";
import { audit } from "../../../data/repositories/audit.js";
import {
  audienceSettlements,
  countAudience,
  createBroadcast,
  deleteComposeDraft,
  loadComposeDraft,
  saveComposeDraft,
  type Audience,
} from "../../../data/repositories/broadcasts.js";
import { findStaff } from "../../../data/repositories/staff.js";
import { callbackCodec } from "../../callback-data.js";
import type { BaseContext, BotContext, Deps } from "../../context.js";
import { formatInstant } from "../../format.js";
import { AUDIENCE_KINDS, AudienceSchema, describeAudience } from "./audience.js";
import { roomFor, withFooter } from "./message.js";
import { campaignWindow } from "./reminders.js";
import { parseWhen } from "./when.js";
import { notifyBroadcastQueued } from "./sender.js";

export { parseWhen } from "./when.js";

export const COMPOSE_ID = "broadcast-compose";
export type ComposeConversation = Conversation<BotContext, BaseContext>;

export const audienceCb = callbackCodec("bc1", [z.enum(AUDIENCE_KINDS)]);
export const settlementCb = callbackCodec("bc2", [z.string().regex(/^[\w.-]{1,40}$/)]);
export const languageCb = callbackCodec("bc3", [z.enum(["ru", "kk"])]);
export const goCb = callbackCodec("bc4", [z.enum(["now", "later", "restart", "cancel"])]);
const OURS = /^bc[1-4](:|$)/;

const PieceSchema = z.object({ text: z.string(), entities: z.array(z.unknown()) });
const DraftSchema = z.object({
  step: z.enum(["ru", "kk", "audience", "settlement", "language", "summary", "when"]),
  ru: PieceSchema.optional(),
  kk: PieceSchema.optional(),
  photo: z.string().nullable().default(null),
  audience: AudienceSchema.optional(),
});
type Draft = z.infer<typeof DraftSchema>;
const EMPTY: Draft = { step: "ru", photo: null };

function parseDraft(data: unknown): Draft {
  const r = DraftSchema.safeParse(data);
  return r.success ? r.data : EMPTY;
}

/** Operators and admins may broadcast; read on every action (a role can be taken away mid-flow). */
export async function mayBroadcast(deps: Deps, userId: number): Promise<boolean> {
  const staff = await findStaff(deps.db, userId, deps.config.adminIds);
  return staff?.role === "operator" || staff?.role === "admin";
}

interface Piece {
  text: string;
  entities: MessageEntity[];
  photo: string | null;
}

/** A text message, or a photo with a caption; formatting comes as entities and is kept as is. */
function pieceOf(c: BaseContext): Piece | null {
  const m = c.message;
  if (!m) return null;
  if (m.text !== undefined) return m.text.startsWith("/") ? null : { text: m.text, entities: m.entities ?? [], photo: null };
  const photo = m.photo?.at(-1);
  if (photo && m.caption) return { text: m.caption, entities: m.caption_entities ?? [], photo: photo.file_id };
  return null;
}

type Answer<V> = { value: V; ctx: BaseContext };

/** Sends the question, waits for an accepted answer; anything else gets a hint (commands and other buttons go on). */
async function ask<V>(
  conversation: ComposeConversation,
  ctx: BaseContext,
  question: string,
  keyboard: InlineKeyboard | undefined,
  accept: (c: BaseContext) => V | null,
  hint: (c: BaseContext) => string,
): Promise<Answer<V>> {
  await ctx.reply(question, { parse_mode: "HTML", reply_markup: keyboard });
  const answer = await conversation.waitUntil((c) => accept(c) !== null, {
    next: true,
    otherwise: async (c) => {
      const data = c.callbackQuery?.data;
      if (data !== undefined) {
        if (OURS.test(data)) await c.answerCallbackQuery({ text: c.t("common.stale_button") });
        return;
      }
      if (c.message && !c.message.text?.startsWith("/")) await c.reply(hint(c), { parse_mode: "HTML" });
    },
  });
  const value = accept(answer);
  if (value === null) throw new Error("unreachable: waitUntil accepted an unparsed update");
  if (answer.callbackQuery) {
    await answer.answerCallbackQuery();
    await answer.editMessageReplyMarkup({ reply_markup: undefined }).catch(() => undefined);
  }
  return { value, ctx: answer };
}

function cancelRow(kb: InlineKeyboard, ctx: BaseContext): InlineKeyboard {
  return kb.row().text(ctx.t("broadcast.compose.cancel"), goCb.data("cancel"));
}

const pick =
  <V>(codec: { parse(d: string | undefined): V | null }) =>
  (c: BaseContext): V | null =>
    codec.parse(c.callbackQuery?.data);

type Step = (conversation: ComposeConversation, ctx: BaseContext, draft: Draft) => Promise<{ draft: Draft | null; ctx: BaseContext }>;

const textStep =
  (lang: "ru" | "kk"): Step =>
  async (conversation, ctx, draft) => {
    const room = (p: Piece) => roomFor(ctx.deps.i18n, (draft.photo ?? p.photo) !== null);
    const fits = (p: Piece) => p.text.length <= room(p) && (lang === "ru" || (draft.ru?.text.length ?? 0) <= room(p));
    const hint = (c: BaseContext) => {
      const p = pieceOf(c);
      return p ? c.t("broadcast.compose.too_long", { max: room(p) }) : c.t("broadcast.compose.text_only");
    };
    const kb = cancelRow(new InlineKeyboard(), ctx);
    const cancelled = (c: BaseContext) => goCb.parse(c.callbackQuery?.data)?.[0] === "cancel";
    const a = await ask(conversation, ctx, ctx.t(`broadcast.compose.ask_${lang}`), kb, (c) => {
      if (cancelled(c)) return "cancel" as const;
      const p = pieceOf(c);
      return p && fits(p) ? p : null;
    }, hint);
    if (a.value === "cancel") return cancel(a.ctx);
    const { text, entities, photo } = a.value;
    return { ctx: a.ctx, draft: { ...draft, [lang]: { text, entities }, photo: draft.photo ?? photo, step: lang === "ru" ? "kk" : "audience" } };
  };

async function cancel(ctx: BaseContext): Promise<{ draft: null; ctx: BaseContext }> {
  await ctx.reply(ctx.t("broadcast.compose.cancelled"));
  return { draft: null, ctx };
}

const audienceStep: Step = async (conversation, ctx, draft) => {
  const kb = new InlineKeyboard();
  for (const k of AUDIENCE_KINDS) kb.text(ctx.t(`broadcast.compose.audience.${k}`), audienceCb.data(k)).row();
  const a = await ask(conversation, ctx, ctx.t("broadcast.compose.ask_audience"), cancelRow(kb, ctx), (c) => pick(audienceCb)(c) ?? pick(goCb)(c), (c) => c.t("broadcast.compose.ask_audience"));
  const v = a.value[0];
  if (v === "cancel" || v === "now" || v === "later" || v === "restart") return cancel(a.ctx);
  if (v === "settlement" || v === "language") return { ctx: a.ctx, draft: { ...draft, step: v } };
  return { ctx: a.ctx, draft: { ...draft, audience: { kind: v }, step: "summary" } };
};

const settlementStep: Step = async (conversation, ctx, draft) => {
  const places = await conversation.external((o) => audienceSettlements(o.deps.db));
  if (places.length === 0) {
    await ctx.reply(ctx.t("broadcast.compose.no_settlements"));
    return { ctx, draft: { ...draft, step: "audience" } };
  }
  const kb = new InlineKeyboard();
  for (const p of places) kb.text(`${ctx.locale === "kk" ? p.name_kk : p.name_ru} · ${p.n}`, settlementCb.data(p.id)).row();
  const accept = (c: BaseContext) => {
    const id = settlementCb.parse(c.callbackQuery?.data)?.[0];
    return id && places.some((p) => p.id === id) ? id : null;
  };
  const a = await ask(conversation, ctx, ctx.t("broadcast.compose.ask_settlement"), cancelRow(kb, ctx), (c) => accept(c) ?? pick(goCb)(c)?.[0] ?? null, (c) => c.t("broadcast.compose.ask_settlement"));
  const place = places.find((p) => p.id === a.value);
  if (!place) return cancel(a.ctx);
  const name = a.ctx.locale === "kk" ? place.name_kk : place.name_ru;
  return { ctx: a.ctx, draft: { ...draft, audience: { kind: "settlement", settlementId: place.id, name }, step: "summary" } };
};

const languageStep: Step = async (conversation, ctx, draft) => {
  const kb = new InlineKeyboard()
    .text(ctx.t("broadcast.compose.lang_ru"), languageCb.data("ru"))
    .text(ctx.t("broadcast.compose.lang_kk"), languageCb.data("kk"));
  const a = await ask(conversation, ctx, ctx.t("broadcast.compose.ask_language"), cancelRow(kb, ctx), (c) => pick(languageCb)(c)?.[0] ?? pick(goCb)(c)?.[0] ?? null, (c) => c.t("broadcast.compose.ask_language"));
  if (a.value !== "ru" && a.value !== "kk") return cancel(a.ctx);
  return { ctx: a.ctx, draft: { ...draft, audience: { kind: "language", language: a.value }, step: "summary" } };
};

/** Creates the broadcast if the author may still broadcast; plain JSON for the replay log. */
function create(conversation: ComposeConversation, draft: Draft, sendAt: string | null) {
  return conversation.external(async (o): Promise<{ id: number; total: number } | null> => {
    const from = o.from?.id ?? 0;
    if (!draft.ru || !draft.kk || !draft.audience || !(await mayBroadcast(o.deps, from))) return null;
    const now = o.deps.clock.now();
    const policy = await o.deps.rules.policyFor(now);
    const row = await createBroadcast(
      o.deps.db,
      { createdBy: from, at: now.toISOString(), sendAt: sendAt ?? now.toISOString(), audience: draft.audience, ru: draft.ru, kk: draft.kk, photoFileId: draft.photo },
      campaignWindow(policy, now),
      now,
    );
    await audit(
      o.deps.db,
      { actorId: from, action: "broadcast_create", details: { broadcast: row.id, audience: draft.audience.kind, recipients: row.total, scheduled: sendAt !== null } },
      now.toISOString(),
    );
    await deleteComposeDraft(o.deps.db, from);
    notifyBroadcastQueued();
    return { id: row.id, total: row.total };
  });
}

async function preview(ctx: BaseContext, draft: Draft): Promise<void> {
  for (const lang of ["ru", "kk"] as const) {
    const piece = draft[lang];
    if (!piece) continue;
    const out = withFooter(ctx.deps.i18n, lang, piece.text, piece.entities as MessageEntity[], draft.photo);
    await ctx.reply(ctx.t("broadcast.compose.preview_title", { language: ctx.t(`broadcast.compose.lang_${lang}`) }));
    if (out.photo) await ctx.replyWithPhoto(out.photo, { caption: out.text, caption_entities: out.entities });
    else await ctx.reply(out.text, { entities: out.entities });
  }
}

const summaryStep: Step = async (conversation, ctx, draft) => {
  const audience: Audience | undefined = draft.audience;
  if (!audience || !draft.ru || !draft.kk) return { ctx, draft: { ...draft, step: draft.ru ? (draft.kk ? "audience" : "kk") : "ru" } };
  const count = await conversation.external(async (o) => {
    const now = o.deps.clock.now();
    return countAudience(o.deps.db, audience, campaignWindow(await o.deps.rules.policyFor(now), now));
  });
  if (count === 0) {
    await ctx.reply(ctx.t("broadcast.compose.empty"));
    return { ctx, draft: { ...draft, step: "audience" } };
  }
  await preview(ctx, draft);
  const kb = new InlineKeyboard()
    .text(ctx.t("broadcast.compose.send_now"), goCb.data("now"))
    .text(ctx.t("broadcast.compose.schedule"), goCb.data("later"))
    .row()
    .text(ctx.t("broadcast.compose.restart"), goCb.data("restart"))
    .text(ctx.t("broadcast.compose.cancel"), goCb.data("cancel"));
  const text = ctx.t("broadcast.compose.summary", {
    audience: describeAudience(ctx.t, audience),
    count,
    photo: ctx.t(draft.photo ? "broadcast.compose.photo_yes" : "broadcast.compose.photo_no"),
    interpolation: { escapeValue: false },
  });
  const a = await ask(conversation, ctx, text, kb, (c) => pick(goCb)(c)?.[0] ?? null, (c) => c.t("broadcast.compose.ask_audience"));
  if (a.value === "cancel") return cancel(a.ctx);
  if (a.value === "restart") return { ctx: a.ctx, draft: EMPTY };
  if (a.value === "later") return { ctx: a.ctx, draft: { ...draft, step: "when" } };
  const made = await create(conversation, draft, null);
  if (!made) await a.ctx.reply(a.ctx.t("broadcast.not_allowed"));
  else await a.ctx.reply(a.ctx.t("broadcast.compose.created_now", { id: made.id, count: made.total }));
  return { ctx: a.ctx, draft: null };
};

const whenStep: Step = async (conversation, ctx, draft) => {
  const nowIso = await conversation.external((o) => o.deps.clock.now().toISOString());
  const example = formatInstant(new Date(new Date(nowIso).getTime() + 3600_000).toISOString());
  const accept = (c: BaseContext) => (c.message?.text ? parseWhen(c.message.text) : null) ?? pick(goCb)(c)?.[0] ?? null;
  const a = await ask(conversation, ctx, ctx.t("broadcast.compose.ask_when", { example }), cancelRow(new InlineKeyboard(), ctx), accept, (c) => c.t("broadcast.compose.bad_when"));
  if (a.value === "cancel" || a.value === "now" || a.value === "later" || a.value === "restart") return cancel(a.ctx);
  const sendAt = a.value;
  const future = await conversation.external((o) => sendAt > o.deps.clock.now().toISOString());
  if (!future) {
    await a.ctx.reply(a.ctx.t("broadcast.compose.bad_when"), { parse_mode: "HTML" });
    return { ctx: a.ctx, draft };
  }
  const made = await create(conversation, draft, sendAt);
  if (!made) await a.ctx.reply(a.ctx.t("broadcast.not_allowed"));
  else await a.ctx.reply(a.ctx.t("broadcast.compose.created_scheduled", { id: made.id, count: made.total, when: formatInstant(sendAt) }));
  return { ctx: a.ctx, draft: null };
};

const STEPS: Record<Draft["step"], Step> = {
  ru: textStep("ru"),
  kk: textStep("kk"),
  audience: audienceStep,
  settlement: settlementStep,
  language: languageStep,
  summary: summaryStep,
  when: whenStep,
};

/** /broadcast: each answer is saved to broadcast_drafts, so a restart or an expired wait resumes at the same step. */
export async function composeConversation(conversation: ComposeConversation, ctx: BaseContext): Promise<void> {
  let draft = parseDraft(await conversation.external((o) => loadComposeDraft(o.deps.db, o.from?.id ?? 0)));
  let c = ctx;
  for (;;) {
    const r = await STEPS[draft.step](conversation, c, draft);
    c = r.ctx;
    const next = r.draft;
    if (!next) {
      await conversation.external((o) => deleteComposeDraft(o.deps.db, o.from?.id ?? 0));
      return;
    }
    draft = next;
    await conversation.external((o) => saveComposeDraft(o.deps.db, o.from?.id ?? 0, next, o.deps.clock.now().toISOString()));
  }
}
