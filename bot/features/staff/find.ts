import { Composer } from "grammy";
import { audit } from "../../../data/repositories/audit.js";
import { getClinic } from "../../../data/repositories/clinics.js";
import type { RequestRow } from "../../../data/repositories/requests.js";
import { findRequests, queueItem, type FindQuery } from "../../../data/repositories/stats.js";
import { almatyDate, parseIin } from "../../../rules/index.js";
import type { BaseContext, BotContext } from "../../context.js";
import { formatInstant } from "../../format.js";
import { nowIso, REVIEWERS, scopeOf, staffCommand } from "../../access.js";
import { replyLong } from "../../ui/long-text.js";
import { clinicPlace, requestButtons } from "./queue.js";

/**
 * One form each, so nothing is guessed: 12 digits are an IIN (R18; never a part of one), A-YYYY-NNNNNN a request
 * number, and an applicant's Telegram id only written as one ("id 612", "id:612"). Anything else is null.
 */
/** What was typed: an IIN stays in memory only, the search goes by its keyed HMAC. */
export type TypedFind = Exclude<FindQuery, { by: "iin" }> | { by: "iin"; iin: string };

export function parseFind(arg: string): TypedFind | null {
  const s = arg.trim();
  // An IIN as people copy it: "9001 1530 0201", "900115-300201".
  const digits = s.replace(/[\s-]/g, "");
  if (/^\d{12}$/.test(digits)) return { by: "iin", iin: digits };
  if (/^A-\d{4}-\d{6}$/i.test(s)) return { by: "number", number: s.toUpperCase() };
  const id = /^id\s*[:=]?\s*(\d{1,15})$/i.exec(s)?.[1];
  if (id && Number(id) > 0) return { by: "user", userId: Number(id) };
  return null;
}

/** A result as a line of the answer: the number, its status, the clinic with its settlement, when it was filed. */
async function resultLine(ctx: BaseContext, r: RequestRow): Promise<string> {
  const clinic = await getClinic(ctx.deps.db, r.clinic_id);
  return ctx.t("staff.find.line", {
    number: r.number,
    status: ctx.t(`requests.status.${r.status}`),
    clinic: clinicPlace(ctx, clinic, r.clinic_id),
    submitted: formatInstant(r.submitted_at),
  });
}

export const findHandlers = new Composer<BotContext>();

findHandlers.chatType("private").command(
  "find",
  staffCommand(REVIEWERS, async (ctx, member) => {
    const q = parseFind(ctx.match);
    // R18: a mistyped IIN (check digit) cannot be anyone's: say so instead of "nothing found".
    if (q?.by === "iin" && !parseIin(q.iin, ctx.deps.clock.now()).ok)
      return void (await ctx.reply(ctx.t("staff.find.bad_iin")));
    if (!q) {
      // Digits that are not 12: most likely part of an IIN, which finds nothing by design.
      const partial = /^\d+$/.test(ctx.match.trim());
      const text = [partial ? ctx.t("staff.find.partial_iin") : "", ctx.t("staff.find.usage")]
        .filter((l) => l !== "")
        .join("\n");
      return void (await ctx.reply(text, { parse_mode: "HTML" }));
    }
    const query: FindQuery = q.by === "iin" ? { by: "iin", key: ctx.deps.vault.index(q.iin) } : q;
    const rows = await findRequests(ctx.deps.db, scopeOf(member), query);
    // A search by IIN is recorded without the IIN itself.
    const details: Record<string, string | number> = { by: q.by, results: rows.length };
    if (q.by === "number") details.number = q.number;
    if (q.by === "user") details.user_id = q.userId;
    await audit(
      ctx.deps.db,
      { actorId: member.userId, action: "find", requestId: rows.length === 1 ? rows[0]?.id : null, details },
      nowIso(ctx),
    );
    if (rows.length === 0) return void (await ctx.reply(ctx.t("staff.find.none")));
    const today = almatyDate(ctx.deps.clock.now());
    const kb = await requestButtons(
      ctx,
      rows.map((r) => queueItem(r, today)),
      undefined,
      { withStatus: true },
    );
    const lines = [ctx.t("staff.find.found", { count: rows.length })];
    for (const r of rows) lines.push(await resultLine(ctx, r));
    await replyLong(ctx, lines.join("\n"), { reply_markup: kb });
  }),
);
