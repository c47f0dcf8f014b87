import { InlineKeyboard } from "grammy";
import { z } from "zod";
import { loadDraft } from "../../../data/repositories/drafts.js";
import { setLanguage, userKey } from "../../../data/repositories/users.js";
import { senderMember } from "../../access.js";
import { hasProgress, parseDraft } from "../../application/draft.js";
import { callbackCodec } from "../../callback-data.js";
import type { BotContext } from "../../context.js";
import { LOCALES, type Locale } from "../../i18n.js";
import { aboutBot } from "../../ui/about.js";
import { mainMenu } from "../../ui/menu.js";

// The first things a person sees: the language question and the welcome with the main menu.

export const langCb = callbackCodec("lang", [z.enum(LOCALES)]);

function languageKeyboard(ctx: BotContext): InlineKeyboard {
  return new InlineKeyboard()
    .text(ctx.t("start.lang_ru"), langCb.data("ru"))
    .text(ctx.t("start.lang_kk"), langCb.data("kk"));
}

/** A line about an application left half-way, so /start or a new language does not look like a fresh start. */
async function unfinished(ctx: BotContext): Promise<string> {
  const saved = ctx.from ? await loadDraft(ctx.deps, ctx.from.id) : undefined;
  const draft = saved ? parseDraft(saved.data) : undefined;
  return draft && hasProgress(draft)
    ? `\n\n${ctx.t("start.unfinished", { step: ctx.t(`apply.step_names.${draft.step}`) })}`
    : "";
}

export async function welcome(ctx: BotContext): Promise<void> {
  // Who runs the bot and the legally signed channels, before anything is asked.
  await ctx.reply(
    `${ctx.t("start.welcome", { name: ctx.from?.first_name ?? "" })}\n\n${await aboutBot(ctx)}${await unfinished(ctx)}`,
    {
      parse_mode: "HTML",
      reply_markup: mainMenu(ctx.t),
    },
  );
}

export async function askLanguage(ctx: BotContext, firstTime: boolean): Promise<void> {
  await ctx.reply(ctx.t(firstTime ? "start.choose_language" : "start.language_prompt"), {
    reply_markup: languageKeyboard(ctx),
  });
}

function switchLocale(ctx: BotContext, locale: Locale): void {
  ctx.locale = locale;
  ctx.t = ctx.deps.i18n.t(locale);
  if (ctx.user) ctx.user = { ...ctx.user, language: locale };
  // The rest of the update (a conversation's context too) sees the choice.
  if (ctx.user) ctx.deps.uow?.remember(userKey(ctx.user.id), ctx.user);
}

/** Stores the language and answers in it from this update on; true when one had been chosen before. */
export async function storeLanguage(ctx: BotContext, locale: Locale): Promise<boolean> {
  const wasChosen = ctx.user?.language != null;
  if (ctx.from) await setLanguage(ctx.deps.db, ctx.from.id, locale);
  switchLocale(ctx, locale);
  return wasChosen;
}

/** After a language is stored: the command menu in it, "saved" to someone who changed it, and the welcome. */
export async function greetInLanguage(ctx: BotContext, wasChosen: boolean): Promise<void> {
  // The command menu in the new language (staff keep theirs next to the citizen ones), set beside the greeting. A
  // menu Telegram refuses leaves the one before: the language is saved and the greeting still comes. A citizen's
  // first choice in their app's language needs none: the private chats' menu shows it already, and no menu of the
  // chat's own hides it (only a chosen language or a staff role makes one; a role taken away before any choice
  // removes it). A call spared for most people on a campaign's first morning.
  const role = (await senderMember(ctx))?.role;
  const shown = !wasChosen && !role && ctx.deps.commands.shownByDefault(ctx.locale, ctx.from?.language_code);
  const menu =
    ctx.chat && !shown
      ? ctx.deps.commands.registerChat(ctx.api, ctx.chat.id, ctx.t, role).catch((err: unknown) => {
          ctx.log.warn({ error: err instanceof Error ? err.name : "unknown" }, "command menu not set");
        })
      : undefined;
  try {
    if (wasChosen) await ctx.reply(ctx.t("start.language_saved"));
    await welcome(ctx);
  } finally {
    await menu;
  }
}
