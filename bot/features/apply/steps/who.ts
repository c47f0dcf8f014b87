import { InlineKeyboard } from "grammy";
import { ask, pickData, withNav } from "../ask.js";
import { CATEGORIES, type Category } from "../draft.js";
import type { StepHandler, StepResult } from "../step.js";

export const whoStep: StepHandler = async ({ conversation, ctx, draft }) => {
  const kb = new InlineKeyboard()
    .text(ctx.t("apply.who.self"), pickData("who", "self"))
    .text(ctx.t("apply.who.child"), pickData("who", "child"));
  const { reply, ctx: c } = await ask(conversation, ctx, {
    step: "who",
    text: ctx.t("apply.who.q"),
    keyboard: withNav(kb, ctx, false),
    validPick: (p) => p[0] === "self" || p[0] === "child",
    parseText: (t) => (/^(себя|себе|я|өзім|өзімді|me|self)$/i.test(t) ? ["self"] : /^(реб[её]н|бала|баламды|child)/i.test(t) ? ["child"] : null),
    hint: "apply.hints.use_buttons",
    backable: false,
  });
  if (reply.kind === "nav") return { kind: reply.to, ctx: c } as StepResult;
  if (reply.kind !== "pick") return { kind: "back", ctx: c };
  const child = reply.parts[0] === "child";
  // A changed answer invalidates the IIN checked against it (child vs adult).
  const patch = draft.forChild !== undefined && draft.forChild !== child ? { forChild: child, iin: undefined } : { forChild: child };
  return { kind: "next", patch, ctx: c };
};

export const categoryStep: StepHandler = async ({ conversation, ctx }) => {
  let c = ctx;
  let lead = "";
  for (;;) {
    const kb = new InlineKeyboard();
    for (const cat of CATEGORIES) kb.text(c.t(`apply.category.options.${cat}`), pickData("category", cat)).row();
    const res = await ask(conversation, c, {
      step: "category",
      text: lead + c.t("apply.category.q"),
      keyboard: withNav(kb, c),
      validPick: (p) => (CATEGORIES as readonly string[]).includes(p[0] ?? ""),
      hint: "apply.hints.use_buttons",
    });
    c = res.ctx;
    const reply = res.reply;
    if (reply.kind === "nav") return { kind: reply.to, ctx: c } as StepResult;
    if (reply.kind !== "pick") continue;
    // R1, R2: said at once, not after eight more questions.
    if (reply.parts[0] === "other") {
      lead = `${c.t("rules.reasons.category_not_eligible")}\n\n`;
      continue;
    }
    return { kind: "next", patch: { category: reply.parts[0] as Category }, ctx: c };
  }
};
