import { Composer, InlineKeyboard } from "grammy";
import { z } from "zod";
import { loadDraft } from "../../../data/repositories/drafts.js";
import { setLanguage } from "../../../data/repositories/users.js";
import { callbackCodec } from "../../callback-data.js";
import { senderMember } from "../../access.js";
import type { BotContext } from "../../context.js";
import type { Feature } from "../../feature.js";
import { escapeHtml, LOCALES, type Locale } from "../../i18n.js";
import { hasProgress, parseDraft } from "../../application/draft.js";
import { aboutBot, operatorLine } from "../../ui/about.js";
import { mainMenu, menuCb } from "../../ui/menu.js";

export const langCb = callbackCodec("lang", [z.enum(LOCALES)]);

function languageKeyboard(ctx: BotContext): InlineKeyboard {
  return new InlineKeyboard()
    .text(ctx.t("start.lang_ru"), langCb.data("ru"))
    .text(ctx.t("start.lang_kk"), langCb.data("kk"));
}

export async function showMenu(ctx: BotContext): Promise<void> {
  await ctx.reply(ctx.t("start.menu_title"), { reply_markup: mainMenu(ctx.t) });
}

/** A line about an application left half-way, so /start or a new language does not look like a fresh start. */
async function unfinished(ctx: BotContext): Promise<string> {
  const saved = ctx.from ? await loadDraft(ctx.deps.db, ctx.from.id) : undefined;
  const draft = saved ? parseDraft(saved.data) : undefined;
  return draft && hasProgress(draft)
    ? `\n\n${ctx.t("start.unfinished", { step: ctx.t(`apply.step_names.${draft.step}`) })}`
    : "";
}

async function welcome(ctx: BotContext): Promise<void> {
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

const start = new Composer<BotContext>();
const privateChat = start.chatType("private");

privateChat.command("start", async (ctx) => {
  // First visit: the language is asked before anything else.
  if (ctx.user?.language == null) return askLanguage(ctx, true);
  return welcome(ctx);
});

privateChat.command("language", (ctx) => askLanguage(ctx, false));
privateChat.command("help", async (ctx) =>
  ctx.reply(`${ctx.t("help.text")}${await staffHelp(ctx)}\n\n${await operatorLine(ctx)}`, { parse_mode: "HTML" }),
);

/** Staff see their own commands in /help too (citizens never learn of them). */
async function staffHelp(ctx: BotContext): Promise<string> {
  const member = await senderMember(ctx);
  if (!member) return "";
  const lines = ctx.deps.commands
    .forRole(member.role, ctx.t)
    .map((c) => `/${c.command} — ${escapeHtml(c.description)}`);
  return `\n\n${ctx.t("help.staff_title", { role: ctx.t(`staff.roles.${member.role}`) })}\n${lines.join("\n")}`;
}
privateChat.callbackQuery(menuCb.data("language"), async (ctx) => {
  await ctx.answerCallbackQuery();
  await askLanguage(ctx, false);
});

privateChat.callbackQuery(langCb.filter, async (ctx) => {
  const parsed = langCb.parse(ctx.callbackQuery.data);
  if (!parsed) {
    await ctx.answerCallbackQuery({ text: ctx.t("common.stale_button") });
    return;
  }
  const [locale] = parsed;
  const wasChosen = ctx.user?.language != null;
  await setLanguage(ctx.deps.db, ctx.from.id, locale);
  switchLocale(ctx, locale);
  await ctx.answerCallbackQuery({ text: ctx.t("start.language_saved") });
  // The old keyboard goes away so it cannot be pressed again by mistake.
  await ctx.editMessageReplyMarkup().catch(() => undefined);
  // Staff keep their commands next to the citizen ones, in the new language.
  await ctx.deps.commands.registerChat(ctx.api, ctx.chat.id, ctx.t, (await senderMember(ctx))?.role);
  if (wasChosen) await ctx.reply(ctx.t("start.language_saved"));
  await welcome(ctx);
});

function switchLocale(ctx: BotContext, locale: Locale): void {
  ctx.locale = locale;
  ctx.t = ctx.deps.i18n.t(locale);
  if (ctx.user) ctx.user = { ...ctx.user, language: locale };
}

privateChat.callbackQuery(menuCb.filter, async (ctx, next) => {
  // Entries handled by their own features come before this; forged data ends here.
  if (menuCb.parse(ctx.callbackQuery.data)) return next();
  await ctx.answerCallbackQuery({ text: ctx.t("common.stale_button") });
});

export const startFeature: Feature = {
  name: "start",
  handlers: () => start,
  commands: [
    { command: "start", menu: 1 },
    { command: "language", menu: 8 },
    { command: "help", menu: 10 },
  ],
  callbacks: [langCb, menuCb],
};
