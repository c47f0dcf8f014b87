import { Composer, InlineKeyboard } from "grammy";
import { z } from "zod";
import { getClinic } from "../../../data/repositories/clinics.js";
import { effectiveDate } from "../../../data/repositories/decisions.js";
import {
  getRequest,
  listUserRequests,
  OPEN_STATUSES,
  requestIin,
  withdrawRequest,
  type RequestRow,
} from "../../../data/repositories/requests.js";
import type { OutboxRow } from "../../../data/repositories/outbox.js";
import { getUser } from "../../../data/repositories/users.js";
import { almatyDate, DocumentCodeSchema, maskIin } from "../../../rules/index.js";
import { callbackCodec, zId } from "../../callback-data.js";
import type { BotContext, Deps } from "../../context.js";
import type { Feature } from "../../feature.js";
import { localeOr, userLocale } from "../../i18n.js";
import type { RenderedNotice } from "../../outbox.js";
import { menuCb } from "../../ui/menu.js";
import { dueLine } from "../../ui/policy-words.js";

const withdrawCb = callbackCodec("wd", [z.enum(["ask", "yes", "no"]), zId]);

/** When it was filed, and the due day while it is open, or the day it was decided or withdrawn (Almaty days, R17). */
function dates(ctx: BotContext, r: RequestRow): string {
  // Instants and days as ISO: the texts show them as Almaty days in their language ({{submitted, date}}).
  const submitted = r.submitted_at;
  if (!r.decided_at || OPEN_STATUSES.includes(r.status))
    return ctx.t("requests.dates_open", { submitted, due: r.decision_due });
  return ctx.t(r.status === "withdrawn" ? "requests.dates_withdrawn" : "requests.dates_decided", {
    submitted,
    decided: r.decided_at,
  });
}

async function card(ctx: BotContext, r: RequestRow): Promise<string> {
  const clinic = await getClinic(ctx.deps.db, r.clinic_id);
  const lines = [
    ctx.t("requests.card", {
      number: r.number,
      status: ctx.t(`requests.status.${r.status}`),
      person: maskIin(requestIin(ctx.deps.vault, r) ?? ""),
      clinic: clinic?.name[ctx.locale] ?? "—",
    }),
    dates(ctx, r),
  ];
  // R10: an open request's due day through a provisional holiday table may move.
  if (!r.decided_at || OPEN_STATUSES.includes(r.status)) {
    const doubt = dueLine(ctx.t, r.submitted_at, r.decision_due, await ctx.deps.rules.calendar());
    if (doubt) lines.push(doubt);
  }
  // R2: the attachment on insurance lasts as long as the contract.
  if (r.insurance_kind && r.insurance_valid_until) {
    lines.push(
      ctx.t("requests.insurance", {
        kind: ctx.t(`apply.insurance.kinds.${r.insurance_kind}`),
        date: r.insurance_valid_until,
      }),
    );
  }
  // R10: past the due date the applicant may turn to the clinic.
  const today = almatyDate(ctx.deps.clock.now());
  if ((r.status === "pending" || r.status === "needs_documents") && r.decision_due < today) {
    lines.push(ctx.t("requests.overdue", { phone: clinic?.phone ?? "—" }));
  }
  if (r.status === "approved") lines.push(ctx.t("requests.effective", { date: effectiveDate(r) }));
  if (r.status === "rejected" && r.reject_reason)
    lines.push(ctx.t("requests.rejected_because", { reason: ctx.t(`staff.reject_reasons.${r.reject_reason}`) }));
  if (r.status === "rejected" && r.reject_note) lines.push(ctx.t("staff.notify.note", { note: r.reject_note }));
  if (r.status === "needs_documents") {
    // For this status the note holds the code of the document the reviewer asked for.
    const asked = DocumentCodeSchema.safeParse(r.reject_note);
    const document = asked.success ? ctx.t(`rules.documents.${asked.data}`) : ctx.t("staff.notify.any_document");
    lines.push(ctx.t("requests.asked_document", { document }));
  }
  return lines.join("\n");
}

export async function showRequests(ctx: BotContext): Promise<void> {
  if (!ctx.from) return;
  const rows = await listUserRequests(ctx.deps.db, ctx.from.id, 10);
  if (rows.length === 0) {
    await ctx.reply(ctx.t("requests.none"), {
      reply_markup: new InlineKeyboard().text(ctx.t("menu.apply"), menuCb.data("apply")),
    });
    return;
  }
  await ctx.reply(ctx.t("requests.title", { count: rows.length }), { parse_mode: "HTML" });
  for (const r of rows) {
    const kb = OPEN_STATUSES.includes(r.status)
      ? new InlineKeyboard().text(ctx.t("requests.withdraw"), withdrawCb.data("ask", r.id))
      : undefined;
    await ctx.reply(await card(ctx, r), { parse_mode: "HTML", reply_markup: kb });
  }
}

const requests = new Composer<BotContext>();
const pm = requests.chatType("private");

pm.command("status", showRequests);
pm.callbackQuery(menuCb.data("status"), async (ctx) => {
  await ctx.answerCallbackQuery();
  await showRequests(ctx);
});

pm.callbackQuery(withdrawCb.filter, async (ctx) => {
  const parsed = withdrawCb.parse(ctx.callbackQuery.data);
  const req = parsed ? await getRequest(ctx.deps.db, parsed[1]) : undefined;
  // Forged ids and other people's requests look the same as stale buttons.
  if (!parsed || !req || req.user_id !== ctx.from.id) {
    await ctx.answerCallbackQuery({ text: ctx.t("common.stale_button") });
    return;
  }
  const [action] = parsed;
  await ctx.answerCallbackQuery();
  // The card itself shows where things stand: the question while asking, the new status once done.
  const edit = (text: string, kb?: InlineKeyboard) =>
    ctx.editMessageText(text, { parse_mode: "HTML", reply_markup: kb }).catch(() => undefined);
  if (action === "ask") {
    const kb = new InlineKeyboard()
      .text(ctx.t("requests.withdraw_yes"), withdrawCb.data("yes", req.id))
      .text(ctx.t("requests.withdraw_no"), withdrawCb.data("no", req.id));
    await edit(`${await card(ctx, req)}\n\n${ctx.t("requests.withdraw_confirm", { number: req.number })}`, kb);
    return;
  }
  if (action === "no") {
    const open = OPEN_STATUSES.includes(req.status);
    await edit(
      await card(ctx, req),
      open ? new InlineKeyboard().text(ctx.t("requests.withdraw"), withdrawCb.data("ask", req.id)) : undefined,
    );
    return;
  }
  // A second tap on "yes" finds it withdrawn already: say that (the card already shows it), not "already decided".
  if (req.status === "withdrawn")
    return void (await ctx.reply(ctx.t("requests.already_withdrawn", { number: req.number }), { parse_mode: "HTML" }));
  // The confirmation is queued with the withdrawal (a crash right after it still owes it) and sent by the outbox.
  const noticeId = await withdrawRequest(ctx.deps.db, req.id, ctx.from.id, ctx.deps.clock.now().toISOString());
  const now = await getRequest(ctx.deps.db, req.id);
  if (now) await edit(await card(ctx, now));
  if (noticeId !== null) return void (await ctx.deps.outbox.delivered([noticeId]));
  await ctx.reply(ctx.t("requests.not_open", { number: req.number }), { parse_mode: "HTML" });
});

/** The withdrawal's confirmation, rendered when the outbox sends it, in the applicant's language then. */
async function withdrawn(deps: Deps, row: OutboxRow): Promise<RenderedNotice | null> {
  const r = row.request_id === null ? undefined : await getRequest(deps.db, row.request_id);
  if (!r) return null;
  const t = deps.i18n.t(userLocale(await getUser(deps.db, row.chat_id), localeOr(r.locale)));
  return { text: t("requests.withdrawn", { number: r.number }) };
}

export const requestsFeature: Feature = {
  name: "requests",
  handlers: () => requests,
  commands: [{ command: "status", menu: 3 }],
  callbacks: [withdrawCb],
  notices: { withdrawn },
};
