import { InlineKeyboard } from "grammy";
import type { BaseContext } from "../../context.js";
import { audienceSettlements } from "../../../data/repositories/broadcasts.js";
import { AUDIENCE_KINDS, describeAudience } from "./audience.js";
import { ask, audienceCb, languageCb, navigate, navOf, navRow, pick, settlementCb, type Step } from "./compose-ask.js";
import { languagesOf, previousStep } from "./compose-draft.js";

// Step 1 of /broadcast: who gets it. Asked first, because an audience by language needs only that language's text.

export const audienceStep: Step = async (conversation, ctx, draft) => {
  const kb = new InlineKeyboard();
  for (const k of AUDIENCE_KINDS) kb.text(ctx.t(`broadcast.compose.audience.${k}`), audienceCb.data(k)).row();
  // Back here from a later step: what was chosen is said, choosing again keeps the texts.
  const current = draft.audience
    ? `\n\n${ctx.t("broadcast.compose.audience_current", { audience: describeAudience(ctx.t, draft.audience), interpolation: { escapeValue: false } })}`
    : "";
  const a = await ask(conversation, ctx, {
    text: `${ctx.t("broadcast.compose.ask_audience")}${current}`,
    keyboard: navRow(kb, ctx, "audience", false),
    accept: (c) => pick(audienceCb)(c)?.[0] ?? navOf(c, "audience", [] as const),
    hint: (c) => c.t("broadcast.compose.pick_button"),
    repeat: true,
  });
  const v = a.value;
  if (v === "cancel") return navigate("cancel", a.ctx, draft, null);
  if (v === "settlement" || v === "language") return { ctx: a.ctx, draft: { ...draft, step: v } };
  return { ctx: a.ctx, draft: { ...draft, audience: { kind: v }, step: languagesOf({ kind: v })[0] ?? "ru" } };
};

export const settlementStep: Step = async (conversation, ctx, draft) => {
  const places = await conversation.external((o) => audienceSettlements(o.deps.db));
  if (places.length === 0) {
    await ctx.reply(ctx.t("broadcast.compose.no_settlements"));
    return { ctx, draft: { ...draft, step: "audience" } };
  }
  const kb = new InlineKeyboard();
  for (const p of places)
    kb.text(`${ctx.locale === "kk" ? p.name_kk : p.name_ru} · ${p.n}`, settlementCb.data(p.id)).row();
  const known = (c: BaseContext) => {
    const id = settlementCb.parse(c.callbackQuery?.data)?.[0];
    return id && places.some((p) => p.id === id) ? id : null;
  };
  const a = await ask(conversation, ctx, {
    text: ctx.t("broadcast.compose.ask_settlement"),
    keyboard: navRow(kb, ctx, "settlement", true),
    accept: (c) => known(c) ?? navOf(c, "settlement", ["back"]),
    hint: (c) => c.t("broadcast.compose.pick_button"),
    repeat: true,
  });
  const place = places.find((p) => p.id === a.value);
  if (!place) return navigate(a.value === "back" ? "back" : "cancel", a.ctx, draft, previousStep(draft, "settlement"));
  const name = a.ctx.locale === "kk" ? place.name_kk : place.name_ru;
  return {
    ctx: a.ctx,
    draft: { ...draft, audience: { kind: "settlement", settlementId: place.id, name }, step: "ru" },
  };
};

export const languageStep: Step = async (conversation, ctx, draft) => {
  const kb = new InlineKeyboard()
    .text(ctx.t("broadcast.compose.lang_ru"), languageCb.data("ru"))
    .text(ctx.t("broadcast.compose.lang_kk"), languageCb.data("kk"));
  const a = await ask(conversation, ctx, {
    text: ctx.t("broadcast.compose.ask_language"),
    keyboard: navRow(kb, ctx, "language", true),
    accept: (c) => pick(languageCb)(c)?.[0] ?? navOf(c, "language", ["back"]),
    hint: (c) => c.t("broadcast.compose.pick_button"),
    repeat: true,
  });
  const v = a.value;
  if (v !== "ru" && v !== "kk")
    return navigate(v === "back" ? "back" : "cancel", a.ctx, draft, previousStep(draft, "language"));
  return { ctx: a.ctx, draft: { ...draft, audience: { kind: "language", language: v }, step: v } };
};
