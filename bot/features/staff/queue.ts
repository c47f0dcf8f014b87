import { InlineKeyboard } from "grammy";
import { getClinic, type Clinic } from "../../../data/repositories/clinics.js";
import type { StaffMember } from "../../../data/repositories/staff.js";
import { OPEN_STATUSES } from "../../../data/repositories/requests.js";
import { queuePage, type QueueItem } from "../../../data/repositories/stats.js";
import { almatyDate } from "../../../rules/index.js";
import type { BaseContext } from "../../context.js";
import { formatDate } from "../../format.js";
import { cardCb, queueCb } from "./callbacks.js";
import { scopeOf } from "../../access.js";

export const PAGE_SIZE = 5;

/**
 * A clinic named with its settlement, in the member's language, as plain text (escaped where it goes into a
 * message): same-named clinics of different towns ("Городская поликлиника №1" in Almaty and in Shymkent) told
 * apart. `max` shortens the clinic's name for a button, never the settlement's.
 */
export function clinicPlace(ctx: BaseContext, clinic: Clinic | undefined, fallbackId: string, max?: number): string {
  if (!clinic) return fallbackId;
  const full = clinic.name[ctx.locale];
  const name = max && full.length > max ? `${full.slice(0, max - 1)}…` : full;
  return ctx.t("staff.clinic_place", {
    clinic: name,
    settlement: clinic.settlementName[ctx.locale],
    interpolation: { escapeValue: false },
  });
}

/** A list button per request: ⏰ when overdue, the number, the status (`withStatus`), the clinic and the due day. */
export async function requestButtons(
  ctx: BaseContext,
  items: QueueItem[],
  kb = new InlineKeyboard(),
  opts: { withStatus?: boolean } = {},
): Promise<InlineKeyboard> {
  for (const item of items) {
    const clinic = await getClinic(ctx.deps.db, item.clinicId);
    const mark = item.overdue ? "⏰ " : item.status === "needs_documents" && !opts.withStatus ? "📎 " : "";
    const status = opts.withStatus ? ` · ${ctx.t(`requests.status.${item.status}`)}` : "";
    const place = clinicPlace(ctx, clinic, item.clinicId, 28);
    // The due day only while it is still to be decided (/find lists decided and withdrawn requests too).
    const due = OPEN_STATUSES.includes(item.status) ? ` · ${formatDate(item.decisionDue)}` : "";
    kb.text(`${mark}${item.number}${status} · ${place}${due}`, cardCb.data("open", item.id)).row();
  }
  return kb;
}

/** /queue: open requests in the member's scope, overdue on top, 5 a page. */
export async function showQueue(ctx: BaseContext, member: StaffMember, page: number, edit: boolean): Promise<void> {
  const today = almatyDate(ctx.deps.clock.now());
  let result = await queuePage(ctx.deps.db, scopeOf(member), today, page, PAGE_SIZE);
  const pages = Math.max(1, Math.ceil(result.total / PAGE_SIZE));
  // A page emptied by colleagues' decisions: show the last one that still has requests.
  if (page >= pages && page > 0) {
    page = pages - 1;
    result = await queuePage(ctx.deps.db, scopeOf(member), today, page, PAGE_SIZE);
  }
  const text =
    result.total === 0
      ? ctx.t("staff.queue.empty")
      : ctx.t("staff.queue.title", { total: result.total, overdue: result.overdue, page: page + 1, pages });
  const kb = await requestButtons(ctx, result.items);
  if (page > 0) kb.text(ctx.t("staff.queue.prev"), queueCb.data(page - 1));
  if (page + 1 < pages) kb.text(ctx.t("staff.queue.next"), queueCb.data(page + 1));
  kb.row().text(ctx.t("staff.queue.refresh"), queueCb.data(page));
  const opts = { parse_mode: "HTML" as const, reply_markup: kb };
  if (edit) {
    // "Not modified" (nothing changed since) is not a failure worth a new message.
    await ctx.editMessageText(text, opts).catch(async (err: unknown) => {
      if (!String(err).includes("not modified")) await ctx.reply(text, opts);
    });
  } else {
    await ctx.reply(text, opts);
  }
}
