import { Composer, InputFile } from "grammy";
import { audit } from "../../../data/repositories/audit.js";
import { effectiveDate } from "../../../data/repositories/decisions.js";
import { exportRows, textCell, toCsv, type CsvCell, type ExportRow } from "../../../data/repositories/export.js";
import { almatyDate, DocumentCodeSchema } from "../../../rules/index.js";
import type { BotContext } from "../../context.js";
import { formatDate, formatInstant } from "../../format.js";
import type { Locale, T } from "../../i18n.js";
import { nowIso, REVIEWERS, scopeOf, staffCommand } from "../../access.js";
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
 * One date format throughout (DD.MM.YYYY, instants with Almaty time), as the bot shows them and Excel reads them;
 * status, category, ground, reason and the like as words in the exporting member's language, like the headers.
 */
function cells(t: T, r: ExportRow, locale: Locale): CsvCell[] {
  const at = (iso: string | null) => (iso ? formatInstant(iso) : null);
  const day = (iso: string | null) => (iso ? formatDate(iso) : null);
  const word = (key: string, code: string) => t(key, { defaultValue: code });
  const asked = DocumentCodeSchema.safeParse(r.reject_note);
  const values: Record<(typeof COLUMNS)[number], CsvCell> = {
    ...r,
    status: word(`staff.export.statuses.${r.status}`, r.status),
    submitted_at: at(r.submitted_at),
    decision_due: day(r.decision_due),
    decided_at: at(r.decided_at),
    // R7, R8: an approval "on the decision" took effect on the decision day (the request keeps null).
    effective_from: day(effectiveDate(r)),
    person_iin: textCell(r.person_iin),
    person_birth_date: day(r.person_birth_date),
    applicant_category: word(`rules.categories.${r.applicant_category}`, r.applicant_category),
    insurance_kind: r.insurance_kind ? word(`apply.insurance.kinds.${r.insurance_kind}`, r.insurance_kind) : null,
    insurance_valid_until: day(r.insurance_valid_until),
    region_id: (locale === "kk" ? r.region_kk : r.region_ru) ?? r.region_id,
    settlement: (locale === "kk" ? r.settlement_kk : r.settlement_ru) ?? r.settlement_id,
    clinic: (locale === "kk" ? r.clinic_kk : r.clinic_ru) ?? r.clinic_id,
    ground: word(`rules.grounds.${r.ground}.title`, r.ground),
    residence_kind: t(r.residence_kind === "temporary" ? "staff.card.temporary" : "staff.card.registered"),
    // R14: the ground's short name; "other" has the reviewer's words in the next column.
    reject_reason: r.reject_reason
      ? word(
          r.reject_reason === "other" ? "staff.export.other_reason" : `staff.reject_buttons.${r.reject_reason}`,
          r.reject_reason,
        )
      : null,
    // After "needs documents" the note is the code of the document asked for.
    reject_note: !r.reject_reason && asked.success ? t(`rules.documents.${asked.data}`) : r.reject_note,
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
    const csv = toCsv(
      header,
      rows.map((r) => cells(ctx.t, r, ctx.locale)),
    );
    // Exports carry full IINs: who took which period is recorded (never the content).
    await audit(
      ctx.deps.db,
      { actorId: member.userId, action: "export", details: { from: range.from, to: range.to, rows: rows.length } },
      nowIso(ctx),
    );
    await ctx.replyWithDocument(new InputFile(csv, `requests-${range.from}-${range.to}.csv`), {
      caption: ctx.t("staff.export.caption", {
        count: rows.length,
        from: range.from,
        to: range.to,
      }),
    });
  }),
);
