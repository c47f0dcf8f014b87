import { InlineKeyboard } from "grammy";
import { clinicFacts, getClinic } from "../../../data/repositories/clinics.js";
import { effectiveDate } from "../../../data/repositories/decisions.js";
import { getSettlement } from "../../../data/repositories/places.js";
import {
  approvedHistory,
  currentAttachment,
  listDocuments,
  requestIin,
  requestKey,
  type RequestRow,
} from "../../../data/repositories/requests.js";
import { OPEN_STATUSES } from "../../../data/repositories/requests.js";
import {
  almatyDate,
  DecisionSchema,
  DocumentCodeSchema,
  evaluate,
  GroundSchema,
  maskIinBesideBirthDate,
  type Decision,
  type EvaluationInput,
} from "../../../rules/index.js";
import type { BaseContext } from "../../context.js";
import { formatDate, formatInstant } from "../../format.js";
import type { T } from "../../i18n.js";
import type { ApplicantContact } from "../../ui/applicant-contacts.js";
import { cardCb } from "./callbacks.js";
import { storedApplicant } from "./insurance.js";
import { colleagueName } from "./names.js";

/** The rules' verdict on a stored request as things stand now (capacity, quota and campaign may have changed). */
export async function outcomeNow(ctx: BaseContext, r: RequestRow): Promise<Decision> {
  const { db, clock, rules, vault } = ctx.deps;
  const now = clock.now();
  // R3, R9: by the person's keyed HMAC; an erased request has none (and is never open).
  const key = requestKey(r);
  const [settlement, clinic, attachment, history, docs] = await Promise.all([
    getSettlement(db, r.settlement_id),
    getClinic(db, r.clinic_id),
    key ? currentAttachment(db, key) : undefined,
    key ? approvedHistory(db, key) : [],
    listDocuments(db, r.id),
  ]);
  const ground = GroundSchema.safeParse(r.ground);
  const input: EvaluationInput = {
    now: now.toISOString(),
    // R2: the stored contract, so an insured request is judged on its term (not as "term missing").
    applicant: storedApplicant(r),
    person: { iin: requestIin(vault, r) ?? undefined, forChild: r.for_child === 1 },
    residence: settlement
      ? { kind: r.residence_kind === "temporary" ? "temporary" : "registered", atuCode: settlement.atuCode }
      : undefined,
    clinic: clinic ? clinicFacts(clinic) : undefined,
    ground: ground.success ? ground.data : undefined,
    currentAttachment: attachment ? { clinicId: attachment.clinic_id, since: attachment.since } : null,
    history: history.flatMap((h) => (h.decided_at ? [{ decidedAt: h.decided_at, ground: h.ground }] : [])),
    documents: [...new Set(docs.map((d) => d.kind))],
    final: true,
  };
  return evaluate(input, await rules.policyFor(now), await rules.calendar());
}

/** A reason's first sentence: the card lists them, the applicant gets the full text. */
function shortReason(t: T, code: string): string {
  const text = t(`rules.reasons.${code}`);
  const cut = text.search(/[.:;]\s/);
  return cut > 0 ? text.slice(0, cut) : text;
}

export function outcomeLine(t: T, d: Decision | null): string {
  if (!d) return "—";
  const mark = d.outcome === "accepted" ? "✅" : d.outcome === "refused" ? "⛔" : "📎";
  const reasons = d.reasons.map((c) => shortReason(t, c));
  const missing = d.missingDocuments.map((c) => t(`rules.documents.${c}`));
  return [`${mark} ${t(`staff.card.outcomes.${d.outcome}`)}`, ...reasons, ...missing].join("; ");
}

function parseStoredDecision(json: string): Decision | null {
  try {
    const r = DecisionSchema.safeParse(JSON.parse(json));
    return r.success ? r.data : null;
  } catch {
    return null;
  }
}

export function isOpen(r: RequestRow): boolean {
  return OPEN_STATUSES.includes(r.status);
}

/** R2: the contract an insured request stands on, marked when it has ended. */
function insuranceLines(ctx: BaseContext, r: RequestRow, today: string): string[] {
  const insurance = storedApplicant(r).insurance;
  if (!insurance) return [];
  const vars = { kind: ctx.t(`apply.insurance.kinds.${insurance.kind}`), date: insurance.validUntil };
  return [ctx.t(insurance.validUntil < today ? "staff.card.insurance_ended" : "staff.card.insurance", vars)];
}

export interface CardView {
  text: string;
  keyboard: InlineKeyboard;
}

/** Who applied, so staff can write to them: the Telegram name and @username when Telegram gave them. */
function applicantLine(t: T, r: RequestRow, contact: ApplicantContact | null | undefined): string {
  const vars = { id: r.user_id, locale: r.locale };
  if (!contact?.name) return t("staff.card.applicant", vars);
  if (contact.username)
    return t("staff.card.applicant_username", { ...vars, name: contact.name, username: contact.username });
  return t("staff.card.applicant_named", { ...vars, name: contact.name });
}

/**
 * What became of the applicant's personal data: erased (at their request or under retention), or to be erased when
 * the retention period ends; and document references removed under retention.
 */
async function erasureLines(ctx: BaseContext, r: RequestRow): Promise<string[]> {
  const { t } = ctx;
  const lines: string[] = [];
  if (r.erased_at) {
    const key = r.erased_by === "applicant" ? "privacy.staff.erased_applicant" : "privacy.staff.erased_retention";
    lines.push(t(key, { date: r.erased_at }));
  } else if (r.erasure_requested_at) {
    const policy = await ctx.deps.rules.policyFor(ctx.deps.clock.now());
    const decided = r.decided_at ? new Date(r.decided_at) : ctx.deps.clock.now();
    decided.setUTCFullYear(decided.getUTCFullYear() + policy.retention.requestYears);
    lines.push(
      t("privacy.staff.erasure_requested", {
        date: r.erasure_requested_at,
        until: almatyDate(decided),
      }),
    );
  }
  if (r.documents_erased_at && !r.erased_at)
    lines.push(t("privacy.staff.documents_erased", { date: r.documents_erased_at }));
  return lines;
}

/**
 * The reviewer's card. Beside the birth date the IIN shows only its last two digits, unless `showIin` (an audited
 * action). `applicant`: see applicant.ts.
 */
export async function renderCard(
  ctx: BaseContext,
  r: RequestRow,
  opts: { showIin?: boolean; applicant?: ApplicantContact | null } = {},
): Promise<CardView> {
  const { t } = ctx;
  const today = almatyDate(ctx.deps.clock.now());
  const [clinic, settlement, docs] = await Promise.all([
    getClinic(ctx.deps.db, r.clinic_id),
    getSettlement(ctx.deps.db, r.settlement_id),
    listDocuments(ctx.deps.db, r.id),
  ]);
  const open = isOpen(r);
  const iin = requestIin(ctx.deps.vault, r);
  const overdue = open && r.decision_due < today;
  const effective = effectiveDate(r);
  const lines = [
    `<b>${r.number}</b> — ${t(`requests.status.${r.status}`)}${overdue ? ` ⏰ ${t("staff.card.overdue")}` : ""}`,
    applicantLine(t, r, opts.applicant),
    t("staff.card.person", {
      iin: iin === null ? "—" : opts.showIin ? iin : maskIinBesideBirthDate(iin),
      birth: r.person_birth_date ? formatDate(r.person_birth_date) : "—",
      who: t(r.for_child ? "staff.card.child" : "staff.card.self"),
    }),
    t("staff.card.category", {
      category: t(`rules.categories.${r.applicant_category}`, { defaultValue: r.applicant_category }),
    }),
    ...insuranceLines(ctx, r, today),
    t("staff.card.settlement", { settlement: settlement?.name[ctx.locale] ?? r.settlement_id }),
    t("staff.card.clinic", {
      clinic: clinic?.name[ctx.locale] ?? r.clinic_id,
      free: clinic?.freeCapacity ?? 0,
      capacity: clinic?.capacity ?? 0,
    }),
    t("staff.card.ground", { ground: t(`rules.grounds.${r.ground}.title`, { defaultValue: r.ground }) }),
    t("staff.card.residence", {
      residence: t(r.residence_kind === "temporary" ? "staff.card.temporary" : "staff.card.registered"),
    }),
    t("staff.card.dates", {
      submitted: formatInstant(r.submitted_at),
      due: r.decision_due,
      // R8: once approved "on the decision", the decision day.
      effective: effective ?? t("staff.card.on_decision"),
    }),
    t("staff.card.documents", { count: docs.length }),
    t("staff.card.outcome_then", { outcome: outcomeLine(t, parseStoredDecision(r.outcome_at_submission)) }),
  ];
  if (open) lines.push(t("staff.card.outcome_now", { outcome: outcomeLine(t, await outcomeNow(ctx, r)) }));
  // A withdrawal is the applicant's, not a colleague's decision.
  if (r.status === "withdrawn") lines.push(t("staff.card.withdrawn", { at: formatInstant(r.decided_at) }));
  else if (r.decided_at && !open) {
    lines.push(
      t("staff.card.decided", { by: await colleagueName(ctx, r.decided_by), at: formatInstant(r.decided_at) }),
    );
  }
  lines.push(...(await erasureLines(ctx, r)));
  if (r.reject_reason) lines.push(t("staff.card.reason", { reason: t(`staff.reject_reasons.${r.reject_reason}`) }));
  const asked = DocumentCodeSchema.safeParse(r.reject_note);
  // After "needs documents" the note holds the document asked for; after a refusal, the reviewer's words.
  if (!r.reject_reason && asked.success)
    lines.push(t("staff.card.asked_document", { document: t(`rules.documents.${asked.data}`) }));
  else if (r.reject_note) lines.push(t("staff.card.note", { note: r.reject_note }));
  const kb = new InlineKeyboard();
  if (open) {
    kb.text(t("staff.buttons.approve"), cardCb.data("approve", r.id))
      .text(t("staff.buttons.reject"), cardCb.data("reject", r.id))
      .row();
    if (r.status === "pending") kb.text(t("staff.buttons.ask_document"), cardCb.data("docs", r.id)).row();
  }
  if (!opts.showIin && iin !== null) kb.text(t("staff.buttons.show_iin"), cardCb.data("iin", r.id));
  if (docs.length) kb.text(t("staff.buttons.files", { count: docs.length }), cardCb.data("files", r.id));
  kb.row().text(t("staff.buttons.queue"), cardCb.data("queue", r.id));
  return { text: lines.join("\n"), keyboard: kb };
}
