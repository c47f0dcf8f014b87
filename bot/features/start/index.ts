import { Composer } from "grammy";
import { senderMember } from "../../access.js";
import type { BotContext } from "../../context.js";
import type { Feature } from "../../feature.js";
import { escapeHtml } from "../../i18n.js";
import { operatorLine } from "../../ui/about.js";
import { mainMenu, menuCb } from "../../ui/menu.js";
import { answeredBeside } from "../../ui/press.js";
import { answerClinicLink, clinicLinkCb } from "./clinic-link.js";
import { openPendingLink, startByLink } from "./deep-link.js";
import { askLanguage, greetInLanguage, langCb, storeLanguage, welcome } from "./welcome.js";

export { askLanguage, langCb };

export async function showMenu(ctx: BotContext): Promise<void> {
  await ctx.reply(ctx.t("start.menu_title"), { reply_markup: mainMenu(ctx.t) });
}

const start = new Composer<BotContext>();
const privateChat = start.chatType("private");

privateChat.command("start", async (ctx) => {
  // A deep link (t.me/<bot>?start=…) hands its payload to /start.
  if (ctx.match.trim() !== "") return startByLink(ctx, ctx.match);
  // First visit: the language is asked before anything else.
  if (ctx.user?.language == null) return askLanguage(ctx, true);
  return welcome(ctx);
});

privateChat.command("language", (ctx) => askLanguage(ctx, false));
privateChat.command("help", async (ctx) =>
  ctx.reply(`${ctx.t("help.text")}${moreCommands(ctx)}${await staffHelp(ctx)}\n\n${await operatorLine(ctx)}`, {
    parse_mode: "HTML",
  }),
);

/** Menu commands the help text does not name (a feature's newer ones), from the command registry. */
function moreCommands(ctx: BotContext): string {
  const text = ctx.t("help.text");
  const lines = ctx.deps.commands
    .citizen(ctx.t)
    .filter((c) => c.command !== "help" && !new RegExp(`/${c.command}\\b`).test(text))
    .map((c) => `/${c.command} — ${escapeHtml(c.description)}`);
  return lines.length ? `\n\n${lines.join("\n")}` : "";
}

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
  const wasChosen = await storeLanguage(ctx, parsed[0]);
  await answeredBeside(
    ctx,
    async () => {
      await greetInLanguage(ctx, wasChosen);
      // A link opened before the language was known (a clinic's poster) opens now, in that language.
      await openPendingLink(ctx);
    },
    ctx.t("start.language_saved"),
  );
});

privateChat.callbackQuery(clinicLinkCb.filter, answerClinicLink);

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
  callbacks: [langCb, menuCb, clinicLinkCb],
};
