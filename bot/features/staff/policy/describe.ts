import { SPECIAL_CATEGORIES, type HolidayYear, type Policy } from "../../../../rules/index.js";
import { escapeHtml, type T } from "../../../i18n.js";
import { formatDate } from "../../../format.js";
import { documentList, type DocumentList } from "./edit.js";

// A year's policy (and holiday table) in words for admins: the /settings policy view and each change's before/after.
// Values an admin or a file wrote (source texts) are escaped here: the lines go out as HTML.

/** The parts of a policy an admin sees and changes, in the order shown. */
export const VIEW_FIELDS = [
  "status",
  "sources",
  "campaign",
  "effective",
  "quota",
  "counts",
  "grounds",
  "proof",
  "under",
  "documents",
  "term",
] as const;
export type ViewField = (typeof VIEW_FIELDS)[number];

/** "MM-DD" → "DD.MM". */
const dm = (md: string) => `${md.slice(3, 5)}.${md.slice(0, 2)}`;

function day(t: T, d: { monthDay: string; yearOffset: number }): string {
  return t("policy.admin.day", { day: dm(d.monthDay), when: t(`policy.admin.year_offset_${d.yearOffset ? 1 : 0}`) });
}

function docs(t: T, list: readonly string[]): string {
  return list.length ? list.map((d) => t(`rules.documents.${d}`)).join("; ") : t("policy.admin.none");
}

export function listLabel(t: T, list: DocumentList): string {
  return (SPECIAL_CATEGORIES as readonly string[]).includes(list)
    ? t(`rules.specialCategories.${list}`)
    : t(`policy.admin.lists.${list}`);
}

/** One field's value in words (HTML-safe). */
export function fieldValue(t: T, policy: Policy, field: ViewField): string {
  switch (field) {
    case "status":
      return t(`policy.admin.status.${policy.status}`);
    case "sources":
      return policy.sources
        .map((s, i) => `${i + 1}. ${escapeHtml(s.source)} (${s.date})${s.note ? ` — ${escapeHtml(s.note)}` : ""}`)
        .join("\n");
    case "campaign": {
      const c = policy.campaign;
      return c ? t("policy.admin.window", { start: dm(c.start), end: dm(c.end) }) : t("policy.admin.no_campaign");
    }
    case "effective": {
      const c = policy.campaign;
      const outside = policy.effectiveOutsideCampaign;
      return [
        ...(c ? [t("policy.admin.effective_campaign", { day: day(t, c.effectiveFrom) })] : []),
        outside === "on_decision"
          ? t("policy.admin.effective_outside_decision")
          : t("policy.admin.effective_outside_day", { day: day(t, outside) }),
      ].join("; ");
    }
    case "quota":
      return String(policy.freeChangesPerYear);
    case "counts":
      return t(policy.campaignCountsTowardQuota ? "policy.admin.yes" : "policy.admin.no");
    case "grounds":
      return policy.groundsOutsideCampaign.length
        ? policy.groundsOutsideCampaign.map((g) => t(`rules.grounds.${g}.title`)).join(", ")
        : t("policy.admin.none");
    case "proof":
      return policy.requireProofForTemporaryResidence
        ? t("policy.admin.proof_required", { list: docs(t, policy.documents.temporaryResidenceProof) })
        : t("policy.admin.proof_not_required");
    case "under":
      return policy.actualResidenceUnderAge === null
        ? t("policy.admin.none")
        : t("policy.admin.under_value", { age: policy.actualResidenceUnderAge });
    case "documents":
      return (["child", "in_person", "proof", ...SPECIAL_CATEGORIES] as const)
        .map((list) => `— ${listLabel(t, list)}: ${docs(t, documentList(policy, list))}`)
        .join("\n");
    case "term":
      return t("policy.admin.term_value", {
        days: t("common.working_days", { count: policy.decisionWorkingDays }),
        ends: policy.workingDayEnds,
      });
  }
}

/** The whole policy, one line (or block) per field, for /settings policy. */
export function policyText(t: T, policy: Policy, overridden: boolean): string {
  return [
    `${t("policy.admin.title", { year: policy.year })} — ${t(overridden ? "policy.admin.from_override" : "policy.admin.from_file")}`,
    ...VIEW_FIELDS.map((f) => {
      const value = fieldValue(t, policy, f);
      const name = t(`policy.admin.fields.${f}`);
      return value.includes("\n") ? `<b>${name}:</b>\n${value}` : `<b>${name}:</b> ${value}`;
    }),
    "",
    t("policy.admin.edit_hint", { year: policy.year }),
  ].join("\n");
}

/** Top-level keys the view does not show (year, note, border territories): a change there is named, not shown. */
const SHOWN_KEYS: ReadonlySet<string> = new Set([
  "year",
  "status",
  "sources",
  "campaign",
  "effectiveOutsideCampaign",
  "freeChangesPerYear",
  "campaignCountsTowardQuota",
  "groundsOutsideCampaign",
  "requireProofForTemporaryResidence",
  "actualResidenceUnderAge",
  "documents",
  "workingDayEnds",
  "decisionWorkingDays",
]);

/** What changes between two policies: the fields whose words differ, and the other keys that differ. */
export function changedFields(before: Policy, after: Policy, t: T): { fields: ViewField[]; other: string[] } {
  const fields = VIEW_FIELDS.filter((f) => fieldValue(t, before, f) !== fieldValue(t, after, f));
  const keys = new Set([...Object.keys(before), ...Object.keys(after)]);
  const other = [...keys].filter(
    (k) =>
      !SHOWN_KEYS.has(k) &&
      JSON.stringify((before as Record<string, unknown>)[k]) !== JSON.stringify((after as Record<string, unknown>)[k]),
  );
  return { fields, other };
}

/** Before → after, one entry per changed field; empty when nothing changes. */
export function policyDiff(t: T, before: Policy, after: Policy): string[] {
  const { fields, other } = changedFields(before, after, t);
  const lines = fields.map((f) => {
    const was = fieldValue(t, before, f);
    const will = fieldValue(t, after, f);
    const field = t(`policy.admin.fields.${f}`);
    return was.includes("\n") || will.includes("\n") || was.length + will.length > 80
      ? t("policy.admin.change_block", { field, before: was, after: will, interpolation: { escapeValue: false } })
      : t("policy.admin.change_line", { field, before: was, after: will, interpolation: { escapeValue: false } });
  });
  if (other.length) lines.push(t("policy.admin.change_keys", { keys: other.join(", ") }));
  return lines;
}

/** A holiday table in a line: status, where it comes from, how many days, Kurban Ait; or "none: the law only". */
export function tableState(t: T, table: HolidayYear | undefined, overridden: boolean): string {
  if (!table) return t("policy.admin.holidays_none");
  return t("policy.admin.holidays_state", {
    status: t(`policy.admin.table_status.${table.status}`),
    from: t(overridden ? "policy.admin.from_override" : "policy.admin.from_file"),
    days: table.days.length,
    kurban: formatDate(table.kurbanAit),
  });
}

/** R10: a new holiday table against the one in force: its state before and after, the days added and removed. */
export function tableDiff(
  t: T,
  before: HolidayYear | undefined,
  beforeOverridden: boolean,
  after: HolidayYear,
): string[] {
  const key = (d: HolidayYear["days"][number]) => `${d.date}:${d.kind}`;
  const was = new Set((before?.days ?? []).map(key));
  const will = new Set(after.days.map(key));
  const describe = (list: HolidayYear["days"]) =>
    list.map((d) => `${formatDate(d.date)} (${t(`policy.admin.day_kind.${d.kind}`)})`).join(", ");
  const added = after.days.filter((d) => !was.has(key(d)));
  const removed = (before?.days ?? []).filter((d) => !will.has(key(d)));
  // Our own words and dates: not escaped a second time.
  const ours = { interpolation: { escapeValue: false } };
  return [
    t("policy.admin.holidays_before", { state: tableState(t, before, beforeOverridden), ...ours }),
    t("policy.admin.holidays_after", { state: tableState(t, after, true), ...ours }),
    ...(added.length ? [t("policy.admin.holidays_added", { list: describe(added), ...ours })] : []),
    ...(removed.length ? [t("policy.admin.holidays_removed", { list: describe(removed), ...ours })] : []),
  ];
}
