import { InlineKeyboard } from "grammy";
import { z } from "zod";
import { findOpenRequestByIin } from "../../../../data/repositories/requests.js";
import { ADULT_AGE, ageOn, maskIin, parseIin } from "../../../../rules/index.js";
import type { BaseContext } from "../../../context.js";
import { withNav } from "../ask.js";
import { defineStep } from "../step.js";

/**
 * The IIN in what a person typed: spaces and dashes between digits go ("0612 1160 0012"); words around one group of
 * digits go too ("мой ИИН: 061211600012", "ЖСН 0612…"), since people write that way. Anything else (no digits, two
 * numbers) is kept as typed so the answer says what is wrong with it.
 */
export function normaliseIin(text: string): string {
  const compact = text.replace(/[\s-]/g, "");
  if (/^\d*$/.test(compact)) return compact;
  // One group of digits is the IIN, even of the wrong length (the answer then counts its digits).
  const groups = text.match(/\d[\d\s-]*\d|\d/g) ?? [];
  return groups.length === 1 ? (groups[0] ?? "").replace(/\D/g, "") : compact;
}

/** R18 and R11: why this IIN cannot be taken here, as a message; null when it can. */
export function iinProblem(ctx: BaseContext, text: string, forChild: boolean, now: Date): string | null {
  const iin = normaliseIin(text);
  const question = forChild ? ctx.t("apply.iin.q_child") : ctx.t("apply.iin.q_self");
  // Letters or other signs left: say so, rather than count them as if they were digits.
  if (/\D/.test(iin)) return `${ctx.t("apply.iin.errors.not_digits")}\n\n${question}`;
  const parsed = parseIin(iin, now);
  if (!parsed.ok) return `${ctx.t(`apply.iin.errors.${parsed.error}`, { count: iin.length })}\n\n${question}`;
  const adult = ageOn(parsed.birthDate, now) >= ADULT_AGE; // R11: from this age people apply for themselves
  if (forChild && adult) return `${ctx.t("apply.iin.child_is_adult")}\n\n${question}`;
  if (!forChild && !adult) return `${ctx.t("apply.iin.self_is_child")}\n\n${question}`;
  return null;
}

/** The request number of an open request for the IIN typed last, said before the question. */
const IIN_VIEW = z.object({ openRequest: z.string().max(40).optional() });

export const iinStep = defineStep({
  view: IIN_VIEW,
  async question({ ctx, draft, view }) {
    const forChild = draft.forChild ?? false;
    const now = ctx.deps.clock.now();
    const q = forChild ? ctx.t("apply.iin.q_child") : ctx.t("apply.iin.q_self");
    return {
      step: "iin",
      text: view.openRequest ? `${ctx.t("apply.iin.open_request", { number: view.openRequest })}\n\n${q}` : q,
      keyboard: withNav(new InlineKeyboard(), ctx),
      accept: { text: true },
      // A malformed IIN is explained with the question again; only a well-formed one reaches answer().
      textError: (t) => iinProblem(ctx, t, forChild, now),
      hint: "apply.hints.iin_text",
    };
  },
  async answer({ ctx }, reply) {
    if (reply.kind === "nav") return { kind: reply.to };
    if (reply.kind !== "text") return { kind: "again", view: {} };
    const iin = normaliseIin(reply.text);
    const open = await findOpenRequestByIin(ctx.deps.db, ctx.deps.vault.index(iin));
    if (open) return { kind: "again", view: { openRequest: open.number } };
    return { kind: "next", patch: { iin }, say: ctx.t("apply.iin.accepted", { masked: maskIin(iin) }) };
  },
});
