import { InlineKeyboard, type NextFunction } from "grammy";
import { z } from "zod";
import { audit } from "../../../data/repositories/audit.js";
import {
  listBroadcasts,
  progress,
  setBroadcastStatus,
  type BroadcastRow,
  type Progress,
} from "../../../data/repositories/broadcasts.js";
import { callbackCodec, zId } from "../../callback-data.js";
import type { BaseContext, BotContext } from "../../context.js";
import { formatInstant } from "../../format.js";
import { describeAudience, parseAudience } from "./audience.js";
import { BROADCASTERS, holdsRole, refuseStaffButton } from "../../access.js";

export const listCb = callbackCodec("bcx", [z.enum(["pause", "resume", "cancel", "refresh"]), zId]);

/** A span of time in words: seconds, minutes, hours and minutes, or days and hours. */
function span(ctx: BaseContext, seconds: number): string {
  if (!Number.isFinite(seconds) || seconds < 0) return ctx.t("broadcast.list.eta_none");
  if (seconds < 90) return ctx.t("broadcast.list.eta_seconds", { n: Math.max(1, Math.ceil(seconds)) });
  const minutes = Math.ceil(seconds / 60);
  if (minutes < 90) return ctx.t("broadcast.list.eta_minutes", { n: minutes });
  if (minutes < 48 * 60) return ctx.t("broadcast.list.eta_hours", { h: Math.floor(minutes / 60), m: minutes % 60 });
  return ctx.t("broadcast.list.eta_days", { d: Math.floor(minutes / 1440), h: Math.floor((minutes % 1440) / 60) });
}

const seconds = (from: string | null, to: Date | string | null) =>
  from && to ? (new Date(to).getTime() - new Date(from).getTime()) / 1000 : 0;

/**
 * The card's last line, by status: a broadcast being sent shows its rate over the last minute and what is left; a
 * scheduled one when it starts and how long it will take; a finished one its average rate over the whole send.
 */
function pace(ctx: BaseContext, b: BroadcastRow, p: Progress, now: Date): string | null {
  const configured = ctx.deps.config.broadcastRate;
  switch (b.status) {
    case "sending": {
      const window = Math.min(60, seconds(b.started_at, now));
      const rate = window > 0 ? p.lastMinute / window : 0;
      const eta =
        p.remaining > 0 ? span(ctx, p.remaining / (rate > 0 ? rate : configured)) : ctx.t("broadcast.list.eta_none");
      return ctx.t("broadcast.list.pace_sending", { rate: rate.toFixed(1), eta });
    }
    case "paused":
      return p.remaining > 0 ? ctx.t("broadcast.list.pace_paused", { eta: span(ctx, p.remaining / configured) }) : null;
    case "scheduled":
      return ctx.t("broadcast.list.pace_scheduled", {
        when: formatInstant(b.send_at),
        in: span(ctx, Math.max(0, seconds(now.toISOString(), b.send_at))),
        eta: span(ctx, p.remaining / configured),
      });
    case "done":
    case "cancelled": {
      // Messages that went out (or were tried), over the time from the first to the end; a restart's gap included.
      const handled = p.total - p.remaining - p.unsubscribed;
      const took = seconds(b.started_at, b.finished_at);
      if (handled <= 0 || took <= 0) return null;
      return ctx.t("broadcast.list.pace_done", { rate: (handled / took).toFixed(1), took: span(ctx, took) });
    }
  }
}

/** One broadcast's card: its progress and pace; and its buttons on `kb`, as its status allows. */
export async function card(ctx: BaseContext, b: BroadcastRow, kb: InlineKeyboard): Promise<string> {
  const now = ctx.deps.clock.now();
  const p = await progress(ctx.deps.db, b.id, now);
  const active = b.status === "sending" || b.status === "paused" || b.status === "scheduled";
  const kind =
    b.kind === "reminder"
      ? ctx.t("broadcast.list.kind_reminder", { reminder: ctx.t(`broadcast.settings.kind.${b.reminder ?? "opening"}`) })
      : ctx.t("broadcast.list.kind_broadcast");
  if (b.status === "sending") kb.text(`${ctx.t("broadcast.list.pause")} №${b.id}`, listCb.data("pause", b.id));
  if (b.status === "paused") kb.text(`${ctx.t("broadcast.list.resume")} №${b.id}`, listCb.data("resume", b.id));
  if (active) kb.text(`${ctx.t("broadcast.list.cancel")} №${b.id}`, listCb.data("cancel", b.id)).row();
  const line = pace(ctx, b, p, now);
  return ctx.t("broadcast.list.item", {
    id: b.id,
    kind,
    // Finished but some could not be reached (not blocked, not unsubscribed): no plain ✅ for that.
    status: ctx.t(`broadcast.list.status.${b.status === "done" && p.failed > 0 ? "done_failed" : b.status}`),
    audience: describeAudience(ctx.t, parseAudience(b.audience)),
    sent: p.sent,
    total: p.total,
    failed: p.failed,
    blocked: p.blocked,
    unsubscribed: p.unsubscribed,
    remaining: p.remaining,
    pace: line ? `\n${line}` : "",
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
  if (!ctx.from || !(await holdsRole(ctx.deps, ctx.from.id, BROADCASTERS))) return next();
  const list = await render(ctx);
  if (!list) return void (await ctx.reply(ctx.t("broadcast.list.none")));
  await ctx.reply(list.text, { parse_mode: "HTML", reply_markup: list.keyboard });
}

const TOAST = {
  pause: "broadcast.list.done_paused",
  resume: "broadcast.list.done_resumed",
  cancel: "broadcast.list.done_cancelled",
} as const;

/** A card's button: the role is checked again at the press, then the card is redrawn. */
export async function onListButton(ctx: BotContext): Promise<void> {
  const parsed = listCb.parse(ctx.callbackQuery?.data);
  if (!parsed || !ctx.from) return void (await ctx.answerCallbackQuery({ text: ctx.t("common.stale_button") }));
  if (!(await holdsRole(ctx.deps, ctx.from.id, BROADCASTERS)))
    return refuseStaffButton(ctx, ctx.t("broadcast.not_allowed"));
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
    if (changed && action === "resume") ctx.deps.broadcastWake.notify();
    toast = ctx.t(changed ? TOAST[action] : "broadcast.list.not_changed");
  }
  await ctx.answerCallbackQuery(toast ? { text: toast } : undefined);
  const list = await render(ctx);
  if (list)
    await ctx.editMessageText(list.text, { parse_mode: "HTML", reply_markup: list.keyboard }).catch(() => undefined);
}
