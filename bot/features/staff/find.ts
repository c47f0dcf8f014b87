import { Composer } from "grammy";
import { audit } from "../../../data/repositories/audit.js";
import { findRequests, queueItem, type FindQuery } from "../../../data/repositories/stats.js";
import { almatyDate } from "../../../rules/index.js";
import type { BotContext } from "../../context.js";
import { nowIso, REVIEWERS, scopeOf, staffCommand } from "./guard.js";
import { requestButtons } from "./queue.js";

/** 12 digits: an IIN; A-YYYY-NNNNNN: a request number; other digits: an applicant's Telegram id. */
export function parseFind(arg: string): FindQuery | null {
  const s = arg.trim();
  if (/^\d{12}$/.test(s)) return { by: "iin", iin: s };
  if (/^A-\d{4}-\d{6}$/i.test(s)) return { by: "number", number: s.toUpperCase() };
  if (/^\d{1,15}$/.test(s) && Number(s) > 0) return { by: "user", userId: Number(s) };
  return null;
}

export const findHandlers = new Composer<BotContext>();

findHandlers.chatType("private").command(
  "find",
  staffCommand(REVIEWERS, async (ctx, member) => {
    const q = parseFind(ctx.match);
    if (!q) return void (await ctx.reply(ctx.t("staff.find.usage"), { parse_mode: "HTML" }));
    const rows = await findRequests(ctx.deps.db, scopeOf(member), q);
    // A search by IIN is recorded without the IIN itself.
    const details: Record<string, string | number> = { by: q.by, results: rows.length };
    if (q.by === "number") details.number = q.number;
    if (q.by === "user") details.user_id = q.userId;
    await audit(ctx.deps.db, { actorId: member.userId, action: "find", requestId: rows.length === 1 ? rows[0]?.id : null, details }, nowIso(ctx));
    if (rows.length === 0) return void (await ctx.reply(ctx.t("staff.find.none")));
    const today = almatyDate(ctx.deps.clock.now());
    const kb = await requestButtons(ctx, rows.map((r) => queueItem(r, today)));
    await ctx.reply(ctx.t("staff.find.found", { count: rows.length }), { reply_markup: kb });
  }),
);
