import { InlineKeyboard } from "grammy";
import { getClinic } from "../../../data/repositories/clinics.js";
import type { StaffMember } from "../../../data/repositories/staff.js";
import { queuePage, type QueueItem } from "../../../data/repositories/stats.js";
import { almatyDate } from "../../../rules/index.js";
import type { BaseContext } from "../../context.js";
import { formatDate } from "../../format.js";
import { cardCb, queueCb } from "./callbacks.js";
import { scopeOf } from "./guard.js";

export const PAGE_SIZE = 5;

/** A list button per request: ⏰ when overdue, the number, the clinic and the due day. */
export async function requestButtons(ctx: BaseContext, items: QueueItem[], kb = new InlineKeyboard()): Promise<InlineKeyboard> {
  for (const item of items) {
    const clinic = await getClinic(ctx.deps.db, item.clinicId);
    const mark = item.overdue ? "⏰ " : item.status === "needs_documents" ? "📎 " : "";
    const name = clinic?.name[ctx.locale] ?? item.clinicId;
    kb.text(`${mark}${item.number} · ${name.slice(0, 28)} · ${formatDate(item.decisionDue)}`, cardCb.data("open", item.id)).row();
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
