import { InlineKeyboard } from "grammy";
import { z } from "zod";
import { pickData, withNav } from "../ask.js";
import { CATEGORIES, type Category } from "../../../application/draft.js";
import { defineStep } from "../step.js";
import { matchTyped, type TypedOption } from "../typed.js";

const WHO = z.tuple([z.enum(["self", "child"])]);
const CATEGORY = z.tuple([z.enum(CATEGORIES)]);

// R1, R2: the obvious typed names of each status, besides its label and its number.
const CATEGORY_WORDS: Partial<Record<Category, RegExp>> = {
  citizen: /^(гражданин|гражданка|гражданин рк|гражданка рк|азамат|азаматпын|азаматы|қр азаматы|кр азаматы|citizen)$/,
  kandas: /^(кандас|қандас|оралман)$/,
  refugee: /^(беженец|беженка|босқын)$/,
  residence_permit: /^(внж|вид на жительство|ықтиярхат|ыктиярхат)$/,
  eaeu_worker: /^(мигрант|трудовой мигрант|еңбек мигранты)$/,
  eaeu_family: /^(член семьи|член семьи мигранта|отбасы мүшесі)$/,
  other: /^(другое|другой|басқа)$/,
};

const NONE = z.object({});

export const whoStep = defineStep({
  view: NONE,
  async question({ ctx, draft }) {
    const kb = new InlineKeyboard()
      .text(ctx.t("apply.who.self"), pickData("who", "self"))
      .text(ctx.t("apply.who.child"), pickData("who", "child"));
    // The first question has nowhere to go back to, except the summary when it is being edited.
    const backable = draft.returnToSummary;
    return {
      step: "who",
      text: ctx.t("apply.who.q"),
      keyboard: withNav(kb, ctx, backable),
      pick: WHO,
      parseText: (t) =>
        /^(себя|себе|я|өзім|өзімді|me|self)$/i.test(t)
          ? ["self"]
          : /^(реб[её]н|бала|баламды|child)/i.test(t)
            ? ["child"]
            : null,
      hint: "apply.hints.use_buttons",
      backable,
    };
  },
  async answer(_env, reply) {
    if (reply.kind === "nav") return { kind: reply.to };
    if (reply.kind !== "pick") return { kind: "back" };
    // A changed answer drops what was checked against it (status, IIN): see dropDependents in progress.ts.
    return { kind: "next", patch: { forChild: reply.parts[0] === "child" } };
  },
});

const CATEGORY_VIEW = z.object({ notEligible: z.boolean().default(false) });

export const categoryStep = defineStep({
  view: CATEGORY_VIEW,
  async question({ ctx, draft, view }) {
    const kb = new InlineKeyboard();
    for (const cat of CATEGORIES) kb.text(ctx.t(`apply.category.options.${cat}`), pickData("category", cat)).row();
    const options: TypedOption[] = CATEGORIES.map((cat) => ({
      parts: [cat],
      label: `apply.category.options.${cat}`,
      words: CATEGORY_WORDS[cat],
    }));
    const lead = view.notEligible ? `${ctx.t("rules.reasons.category_not_eligible")}\n\n` : "";
    return {
      step: "category",
      text: lead + ctx.t(draft.forChild ? "apply.category.q_child" : "apply.category.q_self"),
      keyboard: withNav(kb, ctx),
      pick: CATEGORY,
      parseText: (t) => matchTyped(ctx, t, options),
      hint: "apply.hints.use_buttons",
    };
  },
  async answer(_env, reply) {
    if (reply.kind === "nav") return { kind: reply.to };
    if (reply.kind !== "pick") return { kind: "again", view: { notEligible: false } };
    // R1, R2: said at once, not after eight more questions.
    if (reply.parts[0] === "other") return { kind: "again", view: { notEligible: true } };
    return { kind: "next", patch: { category: reply.parts[0] as Category } };
  },
});
