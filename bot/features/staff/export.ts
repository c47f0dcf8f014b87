import { Composer, InputFile } from "grammy";
import { audit } from "../../../data/repositories/audit.js";
import { exportRows, toCsv, type ExportRow } from "../../../data/repositories/export.js";
import { almatyDate } from "../../../rules/index.js";
import type { BotContext } from "../../context.js";
import { formatInstant } from "../../format.js";
import { nowIso, REVIEWERS, scopeOf, staffCommand } from "./guard.js";
import { currentPeriod, parseRange } from "./stats.js";

const COLUMNS = [
  "number",
  "status",
  "submitted_at",
  "decision_due",
  "decided_at",
  "decided_by",
  "effective_from",
  "person_iin",
  "person_birth_date",
  "for_child",
  "applicant_category",
  "insurance_kind",
  "insurance_valid_until",
  "region_id",
  "settlement",
  "clinic_id",
  "clinic",
  "ground",
  "residence_kind",
  "reject_reason",
  "reject_note",
  "user_id",
  "locale",
  "documents",
] as const;

/**
 * Instants in Almaty time as Excel reads them; codes stay codes (stable for filters and formulas); names in the
 * exporting member's language, like the column headers.
 */
function cells(r: ExportRow, locale: "ru" | "kk"): (string | number | null)[] {
  const at = (iso: string | null) => (iso ? formatInstant(iso) : null);
  const values: Record<(typeof COLUMNS)[number], string | number | null> = {
    ...r,
    submitted_at: at(r.submitted_at),
    decided_at: at(r.decided_at),
    settlement: (locale === "kk" ? r.settlement_kk : r.settlement_ru) ?? r.settlement_id,
    clinic: (locale === "kk" ? r.clinic_kk : r.clinic_ru) ?? r.clinic_id,
  };
  return COLUMNS.map((c) => values[c]);
}

export const exportHandlers = new Composer<BotContext>();

exportHandlers.chatType("private").command(
  "export",
  staffCommand(REVIEWERS, async (ctx, member) => {
    const today = almatyDate(ctx.deps.clock.now());
    const parsed = parseRange(ctx.match, today);
    if (parsed === "bad") return void (await ctx.reply(ctx.t("staff.export.usage"), { parse_mode: "HTML" }));
    const range = parsed ?? (await currentPeriod(ctx));
    const rows = await exportRows(ctx.deps.db, scopeOf(member), range);
    const header = COLUMNS.map((c) => ctx.t(`staff.export.columns.${c}`));
    const csv = toCsv(header, rows.map((r) => cells(r, ctx.locale)));
    // Exports carry full IINs: who took which period is recorded (never the content).
    await audit(ctx.deps.db, { actorId: member.userId, action: "export", details: { from: range.from, to: range.to, rows: rows.length } }, nowIso(ctx));
    await ctx.replyWithDocument(new InputFile(csv, `requests-${range.from}-${range.to}.csv`), {
      caption: ctx.t("staff.export.caption", { count: rows.length, from: range.from, to: range.to }),
    });
  }),
);
