import { InlineKeyboard } from "grammy";
import { z } from "zod";
import { clinicOf, settlementOf } from "../../../application/eligibility.js";
import { maskIin } from "../../../../rules/index.js";
import type { BaseContext } from "../../../context.js";
import { drawnWhenShown, pickData, withNav } from "../ask.js";
import { needsInsurance, type Draft, type StepId } from "../../../application/draft.js";
import { submitDraft } from "../submit.js";
import { defineStep } from "../step.js";
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

/** What the last confirm ran into, said before the summary. */
const SUMMARY_VIEW = z.object({
  refused: z.array(z.string().max(60)).max(20).optional(),
  openRequest: z.string().max(40).optional(),
});

export const summaryStep = defineStep({
  view: SUMMARY_VIEW,
  async question({ ctx, draft, view }) {
    const settlement = await settlementOf(ctx.deps, draft.settlementId);
    const clinic = await clinicOf(ctx.deps, draft.clinicId);
    const draw = () => {
      const kb = new InlineKeyboard().text(ctx.t("apply.summary.confirm"), pickData("summary", "confirm")).row();
      const shown = EDITABLE.filter(
        (e) =>
          (e.step !== "documents" || draft.requiredDocs.length > 0) &&
          (e.step !== "insurance" || needsInsurance(draft)),
      );
      shown.forEach((e, i) => {
        kb.text(
          ctx.t("apply.summary.edit", { field: ctx.t(`apply.summary.${e.field}`) }),
          pickData("summary", "edit", e.step),
        );
        if (i % 2 === 1) kb.row();
      });
      const reasons = view.refused?.map((r) => `• ${ctx.t(`rules.reasons.${r}`)}`).join("\n");
      const lead =
        reasons !== undefined
          ? `${ctx.t("apply.result.refused", { reasons })}\n\n`
          : view.openRequest
            ? `${ctx.t("apply.iin.open_request", { number: view.openRequest })}\n\n`
            : "";
      const names = { settlement: settlement?.name[ctx.locale] ?? "", clinic: clinic?.name[ctx.locale] ?? "" };
      return { text: lead + summaryText(ctx, draft, names), keyboard: withNav(kb, ctx) };
    };
    return drawnWhenShown(
      {
        step: "summary",
        pick: SUMMARY,
        parseText: (t) => (/^(да|подтверждаю|подтвердить|иә|растаймын|растау|ok|ок)$/i.test(t) ? ["confirm"] : null),
        hint: "apply.hints.use_buttons",
      },
      draw,
    );
  },
  async answer({ ctx, draft }, reply) {
    if (reply.kind === "nav") return { kind: reply.to };
    if (reply.kind !== "pick") return { kind: "again", view: {} };
    if (reply.parts[0] === "edit") return { kind: "edit", step: reply.parts[1] as StepId };
    const outcome = await submitDraft(ctx.deps, ctx.from?.id ?? 0, draft, ctx.locale);
    if (outcome.kind === "refused") return { kind: "again", view: { refused: outcome.reasons } };
    if (outcome.kind === "open_request") return { kind: "again", view: { openRequest: outcome.number } };
    const effective = outcome.effectiveFrom ?? ctx.t("apply.result.effective_on_decision");
    const kbAfter = new InlineKeyboard();
    if (draft.forChild) kbAfter.text(ctx.t("apply.result.another_child"), `ap2:child:${outcome.requestId}`);
    const notes = [
      ...outcome.provisional.map((n) => `• ${ctx.t(`policy.${n.code}`, n.vars)}`),
      ...outcome.notes.map((n) => `• ${ctx.t(`rules.notes.${n.code}`, n.vars)}`),
    ].join("\n");
    await ctx.reply(
      outcome.created
        ? `${ctx.t("apply.result.accepted", { number: outcome.number, due: outcome.decisionDue, effective })}${notes ? `\n\n${notes}` : ""}`
        : ctx.t("apply.result.duplicate", { number: outcome.number }),
      { parse_mode: "HTML", reply_markup: draft.forChild ? kbAfter : undefined },
    );
    return { kind: "submitted" };
  },
});
