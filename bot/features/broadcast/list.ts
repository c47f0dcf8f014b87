import { InlineKeyboard, type NextFunction } from "grammy";
import { z } from "zod";
import { audit } from "../../../data/repositories/audit.js";
import { listBroadcasts, progress, setBroadcastStatus, type BroadcastRow } from "../../../data/repositories/broadcasts.js";
import { callbackCodec, zId } from "../../callback-data.js";
import type { BaseContext, BotContext } from "../../context.js";
import { formatInstant } from "../../format.js";
import { describeAudience, parseAudience } from "./audience.js";
import { mayBroadcast } from "./compose.js";
import { notifyBroadcastQueued } from "./sender.js";

export const listCb = callbackCodec("bcx", [z.enum(["pause", "resume", "cancel", "refresh"]), zId]);

function eta(ctx: BaseContext, seconds: number | null): string {
  if (seconds === null || !Number.isFinite(seconds)) return ctx.t("broadcast.list.eta_none");
  if (seconds < 90) return ctx.t("broadcast.list.eta_seconds", { n: Math.max(1, Math.ceil(seconds)) });
  return ctx.t("broadcast.list.eta_minutes", { n: Math.ceil(seconds / 60) });
}

/** One broadcast's card: progress, rate over the last minute, ETA; and its buttons on `kb`, as its status allows. */
export async function card(ctx: BaseContext, b: BroadcastRow, kb: InlineKeyboard): Promise<string> {
  const now = ctx.deps.clock.now();
  const p = await progress(ctx.deps.db, b.id, now);
  const started = b.started_at ? new Date(b.started_at).getTime() : null;
  const window = started === null ? 0 : Math.min(60, (now.getTime() - started) / 1000);
  const rate = b.status === "sending" && window > 0 ? p.lastMinute / window : 0;
  const pace = rate > 0 ? rate : ctx.deps.config.broadcastRate;
  const active = b.status === "sending" || b.status === "paused" || b.status === "scheduled";
  const kind =
    b.kind === "reminder"
      ? ctx.t("broadcast.list.kind_reminder", { reminder: ctx.t(`broadcast.settings.kind.${b.reminder ?? "opening"}`) })
      : ctx.t("broadcast.list.kind_broadcast");
  const audience =
    b.status === "scheduled"
      ? `${describeAudience(ctx.t, parseAudience(b.audience))}\n${ctx.t("broadcast.list.scheduled_for", { when: formatInstant(b.send_at) })}`
      : describeAudience(ctx.t, parseAudience(b.audience));
  if (b.status === "sending") kb.text(`${ctx.t("broadcast.list.pause")} №${b.id}`, listCb.data("pause", b.id));
  if (b.status === "paused") kb.text(`${ctx.t("broadcast.list.resume")} №${b.id}`, listCb.data("resume", b.id));
  if (active) kb.text(`${ctx.t("broadcast.list.cancel")} №${b.id}`, listCb.data("cancel", b.id)).row();
  return ctx.t("broadcast.list.item", {
    id: b.id,
    kind,
    status: ctx.t(`broadcast.list.status.${b.status}`),
    audience,
    sent: p.sent,
    total: p.total,
    failed: p.failed,
    blocked: p.blocked,
    unsubscribed: p.unsubscribed,
    remaining: p.remaining,
    rate: rate.toFixed(1),
    eta: active && p.remaining > 0 ? eta(ctx, p.remaining / pace) : ctx.t("broadcast.list.eta_none"),
    interpolation: { escapeValue: false },
  });
}

/** The latest broadcasts and reminders in one message (one message, not one per card: Telegram's per-chat limit). */
async function render(ctx: BaseContext): Promise<{ text: string; keyboard: InlineKeyboard } | null> {
  const rows = await listBroadcasts(ctx.deps.db, 5);
  if (rows.length === 0) return null;
  const kb = new InlineKeyboard();
  const cards: string[] = [];
  for (const b of rows.reverse()) cards.push(await card(ctx, b, kb));
  kb.row().text(ctx.t("broadcast.list.refresh"), listCb.data("refresh", 0));
  return { text: cards.join("\n\n"), keyboard: kb };
}

/** /broadcasts: progress with pause, resume and cancel buttons; non-staff fall through to "unknown command". */
export async function showList(ctx: BotContext, next: NextFunction): Promise<void> {
  if (!ctx.from || !(await mayBroadcast(ctx.deps, ctx.from.id))) return next();
  const list = await render(ctx);
  if (!list) return void (await ctx.reply(ctx.t("broadcast.list.none")));
  await ctx.reply(list.text, { parse_mode: "HTML", reply_markup: list.keyboard });
}

const TOAST = { pause: "broadcast.list.done_paused", resume: "broadcast.list.done_resumed", cancel: "broadcast.list.done_cancelled" } as const;

/** A card's button: the role is checked again at the press, then the card is redrawn. */
export async function onListButton(ctx: BotContext): Promise<void> {
  const parsed = listCb.parse(ctx.callbackQuery?.data);
  if (!parsed || !ctx.from) return void (await ctx.answerCallbackQuery({ text: ctx.t("common.stale_button") }));
  if (!(await mayBroadcast(ctx.deps, ctx.from.id))) return void (await ctx.answerCallbackQuery({ text: ctx.t("broadcast.not_allowed") }));
  const [action, id] = parsed;
  let toast: string | undefined;
  if (action !== "refresh") {
    const to = action === "pause" ? "paused" : action === "resume" ? "sending" : "cancelled";
    const at = ctx.deps.clock.now().toISOString();
    const changed = await setBroadcastStatus(ctx.deps.db, id, to, at);
    if (changed) {
      ctx.log.info({ broadcast: id, action, by: ctx.from.id }, "broadcast status changed");
      await audit(ctx.deps.db, { actorId: ctx.from.id, action: `broadcast_${action}`, details: { broadcast: id } }, at);
    }
    if (changed && action === "resume") notifyBroadcastQueued();
    toast = ctx.t(changed ? TOAST[action] : "broadcast.list.not_changed");
  }
  await ctx.answerCallbackQuery(toast ? { text: toast } : undefined);
  const list = await render(ctx);
  if (list) await ctx.editMessageText(list.text, { parse_mode: "HTML", reply_markup: list.keyboard }).catch(() => undefined);
}
