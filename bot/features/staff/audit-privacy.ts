import { auditOfActions, type AuditRow } from "../../../data/repositories/audit.js";
import { getRequest } from "../../../data/repositories/requests.js";
import { instantBounds } from "../../../data/repositories/stats.js";
import { addDays, almatyDate } from "../../../rules/index.js";
import type { BaseContext } from "../../context.js";
import { escapeHtml } from "../../i18n.js";
import { replyLong } from "../../ui/long-text.js";
import { parseRange } from "./stats.js";

/**
 * Every access to full personal data, for the operator's own checks and a person's question "who saw my data":
 * a full IIN shown, documents opened, an export with full IINs, a person's copy of their own data.
 */
export const FULL_ACCESS_ACTIONS = ["show_iin", "view_documents", "export_full", "privacy_copy"] as const;

const SHOWN = 50;
const DEFAULT_DAYS = 30;

async function line(ctx: BaseContext, e: AuditRow): Promise<string> {
  const number = e.request_id ? ((await getRequest(ctx.deps.db, e.request_id))?.number ?? `#${e.request_id}`) : "";
  let what = number;
  if (e.action === "export_full") {
    try {
      const d = e.details ? (JSON.parse(e.details) as Record<string, unknown>) : {};
      what = ctx.t("privacy.audit.export_what", {
        from: String(d.from ?? ""),
        to: String(d.to ?? ""),
        numbers: String(d.numbers ?? "") || "—",
      });
    } catch {
      what = "";
    }
  }
  return ctx.t("privacy.audit.line", {
    at: e.at,
    actor: e.actor_id,
    action: ctx.t(`privacy.audit.actions.${e.action}`),
    what: what ? ` · ${escapeHtml(what)}` : "",
    interpolation: { escapeValue: false },
  });
}

/** `/audit privacy [from] [to]`: Almaty days, by default the last 30 up to today. */
export async function privacyAudit(ctx: BaseContext, args: string): Promise<void> {
  const today = almatyDate(ctx.deps.clock.now());
  const parsed = parseRange(args, today);
  if (parsed === "bad") return void (await ctx.reply(ctx.t("privacy.audit.usage"), { parse_mode: "HTML" }));
  const range = parsed ?? { from: addDays(today, -(DEFAULT_DAYS - 1)), to: today };
  const { start, end } = instantBounds(range);
  const { rows, total } = await auditOfActions(ctx.deps.db, FULL_ACCESS_ACTIONS, start, end, SHOWN);
  const period = { from: range.from, to: range.to };
  if (total === 0) return void (await ctx.reply(ctx.t("privacy.audit.empty", period)));
  const lines = [ctx.t("privacy.audit.title", { ...period, count: total })];
  for (const e of rows) lines.push(await line(ctx, e));
  if (total > rows.length) lines.push(ctx.t("privacy.audit.more", { shown: rows.length, count: total }));
  await replyLong(ctx, lines.join("\n"));
}
