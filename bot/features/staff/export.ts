import { Composer, InputFile } from "grammy";
import { audit } from "../../../data/repositories/audit.js";
import { effectiveDate } from "../../../data/repositories/decisions.js";
import { exportRows, textCell, toCsv, type CsvCell, type ExportRow } from "../../../data/repositories/export.js";
import type { StaffMember } from "../../../data/repositories/staff.js";
import type { Vault } from "../../../data/vault.js";
import { almatyDate, DocumentCodeSchema, maskIinBesideBirthDate } from "../../../rules/index.js";
import type { BotContext } from "../../context.js";
import { formatDate, formatInstant } from "../../format.js";
import type { Locale, T } from "../../i18n.js";
import { ADMINS, nowIso, REVIEWERS, scopeOf, staffCommand } from "../../access.js";
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
function cells(t: T, r: ExportRow, locale: Locale, iin: (r: ExportRow) => CsvCell): CsvCell[] {
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
    person_iin: iin(r),
    person_birth_date: r.person_birth_date ? day(r.person_birth_date) : null,
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

/**
 * The IIN column: masked beside the birth date (only the last two digits), or in full for an admin who asked for it
 * with `full`. An erased request has none.
 */
function iinCell(vault: Vault, full: boolean): (r: ExportRow) => CsvCell {
  return (r) => {
    if (r.iin_sealed === "") return null;
    const iin = vault.open(r.iin_sealed, "iin");
    return full ? textCell(iin) : maskIinBesideBirthDate(iin);
  };
}

/** `full` as a last word asks for full IINs; it is taken off before the dates are read. */
function splitFull(args: string): { dates: string; full: boolean } {
  const words = args
    .trim()
    .split(/\s+/)
    .filter((w) => w !== "");
  const full = words.at(-1)?.toLowerCase() === "full";
  return { dates: (full ? words.slice(0, -1) : words).join(" "), full };
}

function who(ctx: BotContext, member: StaffMember): string {
  return ctx.from?.first_name ? `${ctx.from.first_name} (id ${member.userId})` : `id ${member.userId}`;
}

export const exportHandlers = new Composer<BotContext>();

exportHandlers.chatType("private").command(
  "export",
  staffCommand(REVIEWERS, async (ctx, member) => {
    const today = almatyDate(ctx.deps.clock.now());
    const asked = splitFull(ctx.match);
    const parsed = parseRange(asked.dates, today);
    if (parsed === "bad")
      return void (await ctx.reply(`${ctx.t("staff.export.usage")}\n${ctx.t("privacy.export.full_usage")}`, {
        parse_mode: "HTML",
      }));
    // Full IINs are an admin's to take, explicitly; anyone else gets the masked file and is told why.
    const full = asked.full && ADMINS.includes(member.role);
    if (asked.full && !full) await ctx.reply(ctx.t("privacy.export.full_admins_only"));
    const range = parsed ?? (await currentPeriod(ctx));
    const rows = await exportRows(ctx.deps.db, scopeOf(member), range);
    const header = COLUMNS.map((c) => ctx.t(`staff.export.columns.${c}`));
    const csv = toCsv(
      header,
      rows.map((r) => cells(ctx.t, r, ctx.locale, iinCell(ctx.deps.vault, full))),
    );
    // Who took which period is recorded (never the content); full IINs with the numbers of the requests they cover.
    const details: Record<string, string | number> = { from: range.from, to: range.to, rows: rows.length };
    if (full) details.numbers = rows.map((r) => r.number).join(",");
    await audit(ctx.deps.db, { actorId: member.userId, action: full ? "export_full" : "export", details }, nowIso(ctx));
    await ctx.replyWithDocument(new InputFile(csv, `requests-${range.from}-${range.to}.csv`), {
      caption: ctx.t(full ? "privacy.export.caption_full" : "privacy.export.caption_masked", {
        count: rows.length,
        from: range.from,
        to: range.to,
        who: who(ctx, member),
        at: nowIso(ctx),
      }),
      parse_mode: "HTML",
    });
  }),
);
