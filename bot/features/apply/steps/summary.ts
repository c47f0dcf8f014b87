import { InlineKeyboard } from "grammy";
import { z } from "zod";
import { getClinic } from "../../../../data/repositories/clinics.js";
import { getSettlement } from "../../../../data/repositories/places.js";
import { maskIin } from "../../../../rules/index.js";
import type { BaseContext } from "../../../context.js";
import { ask, pickData, withNav } from "../ask.js";
import { needsInsurance, type Draft, type StepId } from "../../../application/draft.js";
import { submitDraft } from "../submit.js";
import type { StepHandler, StepResult } from "../step.js";
import { insuranceText } from "./insurance.js";

const EDITABLE = [
  { field: "who", step: "who" },
  { field: "category", step: "category" },
  { field: "insurance", step: "insurance" },
  { field: "iin", step: "iin" },
  { field: "place", step: "region" },
  { field: "clinic", step: "clinic" },
  { field: "ground", step: "ground" },
  { field: "residence", step: "residence" },
  { field: "documents", step: "documents" },
] as const satisfies readonly { field: string; step: StepId }[];
const EDIT_STEPS = EDITABLE.map((e) => e.step) as [StepId, ...StepId[]];
const SUMMARY = z.union([z.tuple([z.literal("confirm")]), z.tuple([z.literal("edit"), z.enum(EDIT_STEPS)])]);

export function summaryText(ctx: BaseContext, draft: Draft, names: { settlement: string; clinic: string }): string {
  const t = ctx.t;
  const none = t("apply.summary.none");
  const rows: [string, string][] = [
    ["who", draft.forChild === undefined ? none : t(draft.forChild ? "apply.who.child" : "apply.who.self")],
    ["category", draft.category ? t(`apply.category.options.${draft.category}`) : none],
    // R2: only those who attach on an insurance contract have this row.
    ...(needsInsurance(draft)
      ? [["insurance", draft.insurance ? insuranceText(ctx, draft.insurance) : none] as [string, string]]
      : []),
    ["iin", draft.iin ? maskIin(draft.iin) : none],
    ["place", names.settlement || none],
    ["clinic", names.clinic || none],
    ["ground", draft.ground ? t(`rules.grounds.${draft.ground}.title`) : none],
    ["residence", draft.residenceKind ? t(`apply.residence.${draft.residenceKind}`) : none],
    [
      "documents",
      draft.documents.length ? t("apply.summary.documents_count", { count: draft.documents.length }) : none,
    ],
  ];
  const lines = rows.map(([k, v]) => `<b>${t(`apply.summary.${k}`)}:</b> ${v}`);
  return `${t("apply.summary.title")}\n\n${lines.join("\n")}\n\n${t("apply.summary.will")}`;
}

export const summaryStep: StepHandler = async ({ conversation, ctx, draft }) => {
  const names = await conversation.external(async (o) => {
    const s = draft.settlementId ? await getSettlement(o.deps.db, draft.settlementId) : undefined;
    const c = draft.clinicId ? await getClinic(o.deps.db, draft.clinicId) : undefined;
    return { settlement: s?.name ?? null, clinic: c?.name ?? null };
  });
  let c = ctx;
  let lead = "";
  for (;;) {
    const kb = new InlineKeyboard().text(c.t("apply.summary.confirm"), pickData("summary", "confirm")).row();
    const shown = EDITABLE.filter(
      (e) =>
        (e.step !== "documents" || draft.requiredDocs.length > 0) && (e.step !== "insurance" || needsInsurance(draft)),
    );
    shown.forEach((e, i) => {
      kb.text(
        c.t("apply.summary.edit", { field: c.t(`apply.summary.${e.field}`) }),
        pickData("summary", "edit", e.step),
      );
      if (i % 2 === 1) kb.row();
    });
    const text =
      lead +
      summaryText(c, draft, { settlement: names.settlement?.[c.locale] ?? "", clinic: names.clinic?.[c.locale] ?? "" });
    const res = await ask(conversation, c, {
      step: "summary",
      text,
      keyboard: withNav(kb, c),
      pick: SUMMARY,
      parseText: (t) => (/^(да|подтверждаю|подтвердить|иә|растаймын|растау|ok|ок)$/i.test(t) ? ["confirm"] : null),
      hint: "apply.hints.use_buttons",
    });
    c = res.ctx;
    lead = "";
    const reply = res.reply;
    if (reply.kind === "nav") return { kind: reply.to, ctx: c } as StepResult;
    if (reply.kind !== "pick") continue;
    if (reply.parts[0] === "edit") {
      return { kind: "edit", step: reply.parts[1] as StepId, ctx: c };
    }
    const locale = c.locale;
    const outcome = await conversation.external((o) => submitDraft(o.deps, o.from?.id ?? 0, draft, locale));
    if (outcome.kind === "refused") {
      lead = `${c.t("apply.result.refused", { reasons: outcome.reasons.map((r) => `• ${c.t(`rules.reasons.${r}`)}`).join("\n") })}\n\n`;
      continue;
    }
    if (outcome.kind === "open_request") {
      lead = `${c.t("apply.iin.open_request", { number: outcome.number })}\n\n`;
      continue;
    }
    const effective = outcome.effectiveFrom ?? c.t("apply.result.effective_on_decision");
    const kbAfter = new InlineKeyboard();
    if (draft.forChild) kbAfter.text(c.t("apply.result.another_child"), `ap2:child:${outcome.requestId}`);
    const notes = [
      ...outcome.provisional.map((n) => `• ${c.t(`policy.${n.code}`, n.vars)}`),
      ...outcome.notes.map((n) => `• ${c.t(`rules.notes.${n.code}`, n.vars)}`),
    ].join("\n");
    await c.reply(
      outcome.created
        ? `${c.t("apply.result.accepted", { number: outcome.number, due: outcome.decisionDue, effective })}${notes ? `\n\n${notes}` : ""}`
        : c.t("apply.result.duplicate", { number: outcome.number }),
      { parse_mode: "HTML", reply_markup: draft.forChild ? kbAfter : undefined },
    );
    return { kind: "submitted", ctx: c };
  }
};
