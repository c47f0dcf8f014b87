import { InlineKeyboard } from "grammy";
import type { MessageEntity } from "grammy/types";
import type { BaseContext } from "../../context.js";
import { ask, navigate, navCb, navOf, navRow, pieceOf, type Piece, type Step } from "./compose-ask.js";
import { fits, languagesOf, previousStep, stepOf, type Lang } from "./compose-draft.js";
import { roomFor } from "./message.js";

/**
 * The text in one language. Back here from a later step, the text entered is shown and kept with one tap. A text
 * without a photo keeps the photo already attached; a new photo with its caption replaces it.
 */
export const textStep =
  (lang: Lang): Step =>
  async (conversation, ctx, draft) => {
    if (!draft.audience) return { ctx, draft: { ...draft, step: "audience" } };
    const langs = languagesOf(draft.audience);
    if (!langs.includes(lang)) return { ctx, draft: { ...draft, step: "summary" } };
    const i18n = ctx.deps.i18n;
    const photoWith = (p: Piece) => p.photo ?? draft.photo;
    const stored = draft[lang];
    const keepable = stored !== undefined && fits(i18n, stored.text, draft.photo);
    const max = roomFor(i18n, draft.photo !== null);

    const lines = [ctx.t(`broadcast.compose.ask_${lang}`, stepOf(draft, lang))];
    lines.push(ctx.t(langs[0] === lang ? "broadcast.compose.text_first" : "broadcast.compose.text_second"));
    if (langs.length === 1)
      lines.push(ctx.t("broadcast.compose.text_single", { language: ctx.t(`broadcast.compose.lang_${lang}`) }));
    if (stored) {
      await ctx.reply(stored.text, { entities: stored.entities as MessageEntity[] });
      lines.push(ctx.t(keepable ? "broadcast.compose.text_keep" : "broadcast.compose.text_too_long_now", { max }));
    }
    const kb = new InlineKeyboard();
    if (keepable) kb.text(ctx.t("broadcast.compose.keep"), navCb.data("keep", lang));
    const hint = (c: BaseContext) => {
      const p = pieceOf(c);
      return p
        ? c.t("broadcast.compose.too_long", { max: roomFor(i18n, photoWith(p) !== null) })
        : c.t("broadcast.compose.text_only");
    };
    const a = await ask(conversation, ctx, {
      text: lines.join("\n\n"),
      keyboard: navRow(kb, ctx, lang, true),
      accept: (c) => {
        const nav = navOf(c, lang, keepable ? (["back", "keep"] as const) : (["back"] as const));
        if (nav) return nav;
        const p = pieceOf(c);
        return p && fits(i18n, p.text, photoWith(p)) ? p : null;
      },
      hint,
    });
    const next = langs[langs.indexOf(lang) + 1] ?? "summary";
    if (a.value === "keep") return { ctx: a.ctx, draft: { ...draft, step: next } };
    if (a.value === "back" || a.value === "cancel") return navigate(a.value, a.ctx, draft, previousStep(draft, lang));
    const { text, entities, photo } = a.value;
    return { ctx: a.ctx, draft: { ...draft, [lang]: { text, entities }, photo: photo ?? draft.photo, step: next } };
  };
