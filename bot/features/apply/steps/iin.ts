import { InlineKeyboard } from "grammy";
import { findOpenRequestByIin } from "../../../../data/repositories/requests.js";
import { ADULT_AGE, ageOn, maskIin, parseIin } from "../../../../rules/index.js";
import type { BaseContext } from "../../../context.js";
import { ask, withNav } from "../ask.js";
import type { StepHandler, StepResult } from "../step.js";

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

export const iinStep: StepHandler = async ({ conversation, ctx, draft }) => {
  const forChild = draft.forChild ?? false;
  const now = new Date(await conversation.external((o) => o.deps.clock.now().toISOString()));
  let c = ctx;
  let text = forChild ? c.t("apply.iin.q_child") : c.t("apply.iin.q_self");
  // Malformed IINs are answered inside the wait (not logged); only an open request loops here.
  for (;;) {
    const res = await ask(conversation, c, {
      step: "iin",
      text,
      keyboard: withNav(new InlineKeyboard(), c),
      accept: { text: true },
      textError: (t) => iinProblem(c, t, forChild, now),
      hint: "apply.hints.iin_text",
    });
    c = res.ctx;
    const reply = res.reply;
    if (reply.kind === "nav") return { kind: reply.to, ctx: c } as StepResult;
    if (reply.kind !== "text") continue;
    const iin = normaliseIin(reply.text);
    const open = await conversation.external(
      async (o) => (await findOpenRequestByIin(o.deps.db, o.deps.vault.index(iin)))?.number ?? null,
    );
    if (open) {
      text = `${c.t("apply.iin.open_request", { number: open })}\n\n${forChild ? c.t("apply.iin.q_child") : c.t("apply.iin.q_self")}`;
      continue;
    }
    await c.reply(c.t("apply.iin.accepted", { masked: maskIin(iin) }));
    return { kind: "next", patch: { iin }, ctx: c };
  }
};
