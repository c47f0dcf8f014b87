import { InlineKeyboard } from "grammy";
import { z } from "zod";
import { drawnWhenShown, pickData, withNav } from "../ask.js";
import { GroundSchema } from "../../../../rules/index.js";
import { groundsToday } from "../../../application/eligibility.js";
import { defineStep } from "../step.js";
import { matchTyped } from "../typed.js";

const RESIDENCE = z.tuple([z.enum(["registered", "temporary"])]);
// R7–R9: any ground in shape; only those open today are taken (offered).
const GROUND_PICK = z.tuple([GroundSchema]);

const NONE = z.object({});

/** R7–R9: only the grounds the rules allow today are offered, each with one line of explanation. */
export const groundStep = defineStep({
  view: NONE,
  async question({ ctx, draft }) {
    const today = await groundsToday(ctx.deps, draft);
    if (today.grounds.length === 0) {
      return {
        step: "ground",
        text: ctx.t("apply.ground.none", { why: ctx.t("apply.ground.why_outside") }),
        keyboard: withNav(new InlineKeyboard(), ctx),
        hint: "apply.hints.use_buttons",
      };
    }
    const draw = () => {
      const kb = new InlineKeyboard();
      const lines: string[] = [];
      // R7–R9: say why personal choice is missing rather than leave the person guessing.
      const closed = today.freeChoiceClosedBy.map((r) => ctx.t(`rules.reasons.${r}`)).join(" ");
      const closedLine = closed ? `\n\n${ctx.t("apply.ground.free_choice_closed", { why: closed })}` : "";
      today.grounds.forEach((g, i) => {
        kb.text(ctx.t(`rules.grounds.${g}.title`), pickData("ground", g)).row();
        // Numbered: the number is a typed answer too.
        lines.push(`${i + 1}. <b>${ctx.t(`rules.grounds.${g}.title`)}</b> — ${ctx.t(`rules.grounds.${g}.hint`)}`);
      });
      const question = ctx.t("apply.ground.q", { today: today.date });
      return {
        text: `${question}\n${lines.join("\n")}${closedLine}\n\n${ctx.t("apply.ground.typed")}`,
        keyboard: withNav(kb, ctx),
      };
    };
    return drawnWhenShown(
      {
        step: "ground",
        // R7–R9: only a ground open today, whatever the button says.
        pick: GROUND_PICK,
        offered: ([g]) => today.grounds.some((open) => open === g),
        parseText: (t: string) =>
          matchTyped(
            ctx,
            t,
            today.grounds.map((g) => ({ parts: [g], label: `rules.grounds.${g}.title` })),
          ),
        hint: "apply.hints.use_buttons",
      },
      draw,
    );
  },
  async answer(_env, reply) {
    if (reply.kind === "nav") return { kind: reply.to };
    // With no ground open today nothing but Back and Cancel is taken.
    if (reply.kind !== "pick") return { kind: "back" };
    return { kind: "next", patch: { ground: reply.parts[0] } };
  },
});

export const residenceStep = defineStep({
  view: NONE,
  async question({ ctx }) {
    const kb = new InlineKeyboard()
      .text(ctx.t("apply.residence.registered"), pickData("residence", "registered"))
      .text(ctx.t("apply.residence.temporary"), pickData("residence", "temporary"));
    return {
      step: "residence",
      text: ctx.t("apply.residence.q"),
      keyboard: withNav(kb, ctx),
      pick: RESIDENCE,
      parseText: (t) =>
        /^(по )?пропис|тіркеу|тұрақты/i.test(t)
          ? ["registered"]
          : /^(врем|факт|где живу|уақытша|нақты)/i.test(t)
            ? ["temporary"]
            : null,
      hint: "apply.hints.use_buttons",
    };
  },
  async answer(_env, reply) {
    if (reply.kind === "nav") return { kind: reply.to };
    if (reply.kind !== "pick") return { kind: "back" };
    return { kind: "next", patch: { residenceKind: reply.parts[0] === "temporary" ? "temporary" : "registered" } };
  },
});
