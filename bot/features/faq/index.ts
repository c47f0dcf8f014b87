import { Composer, InlineKeyboard } from "grammy";
import { z } from "zod";
import { callbackCodec } from "../../callback-data.js";
import type { BotContext } from "../../context.js";
import type { Feature } from "../../feature.js";
import type { T } from "../../i18n.js";
import { operatorLine } from "../../ui/about.js";
import { menuCb } from "../../ui/menu.js";
import { faqAnswer } from "./policy-text.js";

const faqCb = callbackCodec("faq", [z.string().regex(/^[a-z0-9_]{1,40}$/)]);
const LIST = "list";

/** Item ids in file order: the FAQ lives in locales, the bot only lays it out. */
function itemIds(t: T): string[] {
  const items: unknown = t("faq.items", { returnObjects: true });
  return items && typeof items === "object" ? Object.keys(items) : [];
}

function listKeyboard(t: T): InlineKeyboard {
  const kb = new InlineKeyboard();
  for (const id of itemIds(t)) kb.text(t(`faq.items.${id}.q`), faqCb.data(id)).row();
  return kb;
}

async function showList(ctx: BotContext, edit: boolean): Promise<void> {
  const text = `<b>${ctx.t("faq.title")}</b>`;
  const opts = { parse_mode: "HTML" as const, reply_markup: listKeyboard(ctx.t) };
  if (edit) {
    await ctx.editMessageText(text, opts).catch(() => ctx.reply(text, opts));
  } else {
    await ctx.reply(text, opts);
  }
}

export async function showContacts(ctx: BotContext): Promise<void> {
  await ctx.reply(ctx.t("faq.contacts"), { parse_mode: "HTML" });
  await ctx.reply(`${ctx.t("faq.about")}\n\n${await operatorLine(ctx)}`, { parse_mode: "HTML" });
}

const faq = new Composer<BotContext>();
const privateChat = faq.chatType("private");

privateChat.command("faq", (ctx) => showList(ctx, false));
privateChat.command(["contacts", "about"], showContacts);
privateChat.callbackQuery(menuCb.data("faq"), async (ctx) => {
  await ctx.answerCallbackQuery();
  await showList(ctx, false);
});
privateChat.callbackQuery(menuCb.data("contacts"), async (ctx) => {
  await ctx.answerCallbackQuery();
  await showContacts(ctx);
});

privateChat.callbackQuery(faqCb.filter, async (ctx) => {
  const parsed = faqCb.parse(ctx.callbackQuery.data);
  await ctx.answerCallbackQuery();
  if (parsed?.[0] === LIST) return showList(ctx, true);
  const id = parsed?.[0];
  if (!id || !itemIds(ctx.t).includes(id)) return showList(ctx, false);
  const text = `<b>${ctx.t(`faq.items.${id}.q`)}</b>\n\n${await faqAnswer(ctx, id)}`;
  const back = new InlineKeyboard().text(ctx.t("common.back"), faqCb.data(LIST));
  await ctx
    .editMessageText(text, { parse_mode: "HTML", reply_markup: back })
    .catch(() => ctx.reply(text, { parse_mode: "HTML", reply_markup: back }));
});

export const faqFeature: Feature = {
  name: "faq",
  handlers: () => faq,
  commands: [{ command: "faq", menu: 6 }, { command: "contacts", menu: 7 }, { command: "about" }],
  callbacks: [faqCb],
};
