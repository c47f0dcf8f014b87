import { createConversation } from "@grammyjs/conversations";
import { Composer, InlineKeyboard } from "grammy";
import { z } from "zod";
import { ADMINS, BROADCASTERS, holdsRole, refuseStaffButton } from "../../access.js";
import { callbackCodec } from "../../callback-data.js";
import type { BaseContext, BotContext, Deps } from "../../context.js";
import type { Feature } from "../../feature.js";
import { conversationPlugins } from "../../middleware/conversation-plugins.js";
import { audienceCb, goCb, languageCb, navCb, nightCb, settlementCb } from "./compose-ask.js";
import { COMPOSE_ID, composeConversation } from "./compose.js";
import { listCb, onListButton, showList } from "./list.js";
import { campaignAnnouncement } from "../../../rules/index.js";
import { REMINDERS, reminderSettings, toggleReminder, type ReminderSettings } from "./reminders.js";

export { startBroadcastWorker, type BroadcastWorker } from "./sender.js";

const DAY_MS = 24 * 3600_000;
const reminderCb = callbackCodec("bcr", [z.enum(["opening", "week_before", "last_day"])]);

const handlers = new Composer<BotContext>();
const pm = handlers.chatType("private");

/**
 * /broadcast: compose (or resume the saved composition). Operators and admins only, checked now, not when a menu was
 * drawn; to anyone else the staff commands do not exist: they fall through to the ordinary "unknown command".
 */
pm.command("broadcast", async (ctx, next) => {
  if (!(await holdsRole(ctx.deps, ctx.from.id, BROADCASTERS))) return next();
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
  return ctx.from !== undefined && (await holdsRole(ctx.deps, ctx.from.id, ADMINS));
}

/** R7: reminders go out only for a confirmed campaign: the admin is told when this year's is not, or there is none. */
async function campaignNote(ctx: BotContext): Promise<string> {
  const policy = await ctx.deps.rules.policyFor(ctx.deps.clock.now());
  const kind = campaignAnnouncement(policy);
  if (kind === "confirmed") return "";
  const key = kind === "expected" ? "policy.reminders_unconfirmed" : "policy.reminders_no_campaign";
  return `\n\n${ctx.t(key, { year: policy.year })}`;
}

/** /reminders: admins switch each campaign reminder on or off; for anyone else it does not exist. */
pm.command("reminders", async (ctx, next) => {
  if (!(await isAdmin(ctx))) return next();
  await ctx.reply(ctx.t("broadcast.settings.title") + (await campaignNote(ctx)), {
    parse_mode: "HTML",
    reply_markup: settingsKeyboard(ctx, await reminderSettings(ctx.deps)),
  });
});

pm.callbackQuery(reminderCb.filter, async (ctx) => {
  const parsed = reminderCb.parse(ctx.callbackQuery.data);
  if (!parsed) return void (await ctx.answerCallbackQuery({ text: ctx.t("common.stale_button") }));
  if (!(await isAdmin(ctx))) return refuseStaffButton(ctx, ctx.t("broadcast.settings.admins_only"));
  const s = await toggleReminder(ctx.deps, parsed[0], ctx.deps.clock.now().toISOString(), ctx.from.id);
  ctx.log.info({ reminder: parsed[0], on: s[parsed[0]], by: ctx.from.id }, "reminder setting changed");
  await ctx.answerCallbackQuery();
  await ctx.editMessageReplyMarkup({ reply_markup: settingsKeyboard(ctx, s) }).catch(() => undefined);
});

/** Installed right after the apply conversation (after conversations() and /cancel). */
function conversations(deps: Deps) {
  return createConversation<BotContext, BaseContext>(composeConversation, {
    id: COMPOSE_ID,
    plugins: conversationPlugins(deps),
    // An old wait ends at the next update; the draft keeps what was written.
    maxMillisecondsToWait: 2 * DAY_MS,
  });
}

/** Operators' broadcasts and the admins' campaign reminders. */
export const broadcastFeature: Feature = {
  name: "broadcast",
  conversations,
  handlers: () => handlers,
  commands: [
    { command: "broadcast", roles: BROADCASTERS },
    { command: "broadcasts", roles: BROADCASTERS },
    { command: "reminders", roles: ADMINS },
  ],
  callbacks: [listCb, reminderCb, audienceCb, settlementCb, languageCb, goCb, navCb, nightCb],
};
