import { Composer } from "grammy";
import type { BotContext } from "../../context.js";

/** Last in line: whatever no feature took gets a short hint; stray buttons are answered so they stop spinning. */
export const fallbackFeature = new Composer<BotContext>();

fallbackFeature.on("callback_query", (ctx) => ctx.answerCallbackQuery({ text: ctx.t("common.stale_button") }));
fallbackFeature.chatType("private").command("help", (ctx) => ctx.reply(ctx.t("help.text"), { parse_mode: "HTML" }));
fallbackFeature.chatType("private").command("cancel", (ctx) => ctx.reply(ctx.t("common.nothing_to_cancel")));
fallbackFeature.chatType("private").on("message", (ctx) => ctx.reply(ctx.t("common.unknown")));
