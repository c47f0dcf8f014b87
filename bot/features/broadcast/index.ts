import { createConversation } from "@grammyjs/conversations";
import { Composer, InlineKeyboard } from "grammy";
import { z } from "zod";
import { findStaff } from "../../../data/repositories/staff.js";
import { callbackCodec } from "../../callback-data.js";
import type { BaseContext, BotContext, Deps } from "../../context.js";
import { COMPOSE_ID, composeConversation, mayBroadcast } from "./compose.js";
import { listCb, onListButton, showList } from "./list.js";
import { REMINDERS, reminderSettings, toggleReminder, type ReminderSettings } from "./reminders.js";
import { conversationPlugins } from "../../middleware/conversation-plugins.js";

export { startBroadcastWorker, type BroadcastWorker } from "./sender.js";

const DAY_MS = 24 * 3600_000;
const reminderCb = callbackCodec("bcr", [z.enum(["opening", "week_before", "last_day"])]);

export const broadcastFeature = new Composer<BotContext>();
const pm = broadcastFeature.chatType("private");

/**
 * /broadcast: compose (or resume the saved composition). Operators and admins only, checked now, not when a menu was
 * drawn; to anyone else the staff commands do not exist: they fall through to the ordinary "unknown command".
 */
pm.command("broadcast", async (ctx, next) => {
  if (!(await mayBroadcast(ctx.deps, ctx.from.id))) return next();
  if (await ctx.conversation.active(COMPOSE_ID)) await ctx.conversation.exit(COMPOSE_ID);
  await ctx.conversation.enter(COMPOSE_ID);
});

pm.command("broadcasts", showList);
pm.callbackQuery(listCb.filter, onListButton);

function settingsKeyboard(ctx: BotContext, s: ReminderSettings): InlineKeyboard {
  const kb = new InlineKeyboard();
  for (const k of REMINDERS) {
    kb.text(
      `${ctx.t(s[k] ? "broadcast.settings.on" : "broadcast.settings.off")} ${ctx.t(`broadcast.settings.kind.${k}`)}`,
      reminderCb.data(k),
    ).row();
  }
  return kb;
}

async function isAdmin(ctx: BotContext): Promise<boolean> {
  return (
    ctx.from !== undefined && (await findStaff(ctx.deps.db, ctx.from.id, ctx.deps.config.adminIds))?.role === "admin"
  );
}

/** /reminders: admins switch each campaign reminder on or off; for anyone else it does not exist. */
pm.command("reminders", async (ctx, next) => {
  if (!(await isAdmin(ctx))) return next();
  await ctx.reply(ctx.t("broadcast.settings.title"), {
    parse_mode: "HTML",
    reply_markup: settingsKeyboard(ctx, await reminderSettings(ctx.deps)),
  });
});

pm.callbackQuery(reminderCb.filter, async (ctx) => {
  const parsed = reminderCb.parse(ctx.callbackQuery.data);
  if (!parsed) return void (await ctx.answerCallbackQuery({ text: ctx.t("common.stale_button") }));
  if (!(await isAdmin(ctx)))
    return void (await ctx.answerCallbackQuery({ text: ctx.t("broadcast.settings.admins_only") }));
  const s = await toggleReminder(ctx.deps, parsed[0], ctx.deps.clock.now().toISOString(), ctx.from.id);
  ctx.log.info({ reminder: parsed[0], on: s[parsed[0]], by: ctx.from.id }, "reminder setting changed");
  await ctx.answerCallbackQuery();
  await ctx.editMessageReplyMarkup({ reply_markup: settingsKeyboard(ctx, s) }).catch(() => undefined);
});

/** Installed right after the apply conversation (after conversations() and /cancel). */
export function broadcastConversations(deps: Deps) {
  return createConversation<BotContext, BaseContext>(composeConversation, {
    id: COMPOSE_ID,
    plugins: conversationPlugins(deps),
    // An old wait ends at the next update; the draft keeps what was written.
    maxMillisecondsToWait: 2 * DAY_MS,
  });
}
