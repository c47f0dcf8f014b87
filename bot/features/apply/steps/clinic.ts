import { InlineKeyboard } from "grammy";
import { z } from "zod";
import { searchClinics } from "../../../../data/repositories/clinics.js";
import { ReasonCodeSchema } from "../../../../rules/index.js";
import {
  clinicCheck,
  clinicOf,
  clinicProblem,
  settlementOf,
  type ClinicCheck,
} from "../../../application/eligibility.js";
import type { Draft } from "../../../application/draft.js";
import type { BaseContext } from "../../../context.js";
import { clinicCard, figuresNote } from "../../../ui/clinic-card.js";
import { drawnWhenShown, pickData, withNav, type Question } from "../ask.js";
import { defineStep, type StepEnv, type Turn } from "../step.js";
import { fitText, label, PAGE, rowLines, rows, suggestions, toRow, type Mode, type Row } from "./clinic-list.js";
import { locationKeyboard, zPage, zPlaceId } from "./place.js";

// R4: a clinic's id in shape; only one this question offered is taken (all of the chosen settlement).
const CLINIC_PICK = z.union([z.tuple([z.literal("p"), zPage]), z.tuple([z.literal("near")]), z.tuple([zPlaceId])]);

const MODE = z.discriminatedUnion("kind", [
  z.object({ kind: z.literal("list"), page: z.number().int().min(0).max(999) }),
  z.object({ kind: z.literal("nearest"), lat: z.number(), lon: z.number() }),
  z.object({ kind: z.literal("search"), query: z.string().max(200) }),
]);

/** A line said before the list, for what the last answer did. */
const LEAD = z.discriminatedUnion("kind", [
  z.object({ kind: z.literal("stale") }),
  z.object({ kind: z.literal("unavailable"), problem: ReasonCodeSchema, suggest: z.boolean() }),
  z.object({ kind: z.literal("none_found"), query: z.string().max(200) }),
]);

const CLINIC_VIEW = z.object({
  /** The step's first question: a clinic chosen before (in /clinics, by its link) is offered first. */
  opening: z.boolean().default(true),
  /** The list shown; by default the nearest to a shared point, else the settlement's first page. */
  mode: MODE.optional(),
  lead: LEAD.optional(),
  /** Clinics offered above the list (free ones near a refused one, with their distance from it). */
  extra: z
    .array(z.object({ id: zPlaceId, distanceMeters: z.number().nonnegative().optional() }))
    .max(4)
    .default([]),
  /** The page came from a "more" press: redrawn in that message. */
  paged: z.boolean().default(false),
});
type View = z.infer<typeof CLINIC_VIEW>;
type Env = StepEnv<View>;

/** The next question starts afresh but for what the answer changed. */
const again = (mode: Mode, changes: Partial<View> = {}): Turn<View> => ({
  kind: "again",
  view: { opening: false, mode, extra: [], paged: false, ...changes },
});

function modeOf(draft: Draft, view: View): Mode {
  return view.mode ?? (draft.location ? { kind: "nearest", ...draft.location } : { kind: "list", page: 0 });
}

function questionLine(c: BaseContext, m: Mode, settlement: string, total: number): string {
  if (m.kind === "nearest") return c.t("apply.clinic.q_nearest");
  // The query goes in as a variable: i18next escapes it for HTML, once.
  if (m.kind === "search") return c.t("apply.clinic.q_search", { query: m.query });
  return c.t("apply.clinic.q", { settlement, page: m.page + 1, pages: Math.max(1, Math.ceil(total / PAGE)) });
}

function leadText(c: BaseContext, lead: View["lead"], settlement: string): string {
  if (!lead) return "";
  if (lead.kind === "stale") return `${c.t("common.stale_button")}\n\n`;
  if (lead.kind === "none_found") return `${c.t("apply.clinic.none_found", { query: lead.query, settlement })}\n\n`;
  const suggest = lead.suggest ? `\n${c.t("apply.clinic.suggest")}` : "";
  return `${c.t("apply.clinic.unavailable_pick", { reason: c.t(`rules.reasons.${lead.problem}`) })}${suggest}\n\n`;
}

/**
 * Coming from a clinic's card in /clinics or from its link: that clinic first, if it is in the settlement of the
 * residence (R4); otherwise the person is told it is another settlement's.
 */
async function preferred(ctx: BaseContext, draft: Draft, check: ClinicCheck): Promise<{ lead: string; extra: Row[] }> {
  const clinic = await clinicOf(ctx.deps, draft.preferredClinicId);
  if (!clinic) return { lead: "", extra: [] };
  // The clinic came from its link (a poster) or from the catalogue (/clinics): the line says which.
  const keys = draft.preferredByLink
    ? (["links.preferred", "links.preferred_elsewhere"] as const)
    : (["apply.clinic.preferred", "apply.clinic.preferred_elsewhere"] as const);
  if (clinic.settlementId === draft.settlementId) return { lead: `${ctx.t(keys[0])}\n`, extra: [toRow(clinic, check)] };
  const elsewhere = ctx.t(keys[1], {
    name: clinic.name[ctx.locale],
    settlement: clinic.settlementName[ctx.locale],
  });
  return { lead: `${elsewhere}\n\n`, extra: [] };
}

/** Rows of clinics offered above the list, as they stand now. */
async function extraRows(ctx: BaseContext, extra: View["extra"], check: ClinicCheck): Promise<Row[]> {
  const rows: Row[] = [];
  for (const { id, distanceMeters } of extra) {
    const clinic = await clinicOf(ctx.deps, id);
    if (clinic) rows.push(toRow(clinic, check, distanceMeters));
  }
  return rows;
}

/** The list of the view's mode, a line before it and the clinics offered first (R4–R6). */
async function listQuestion({ ctx, draft, view }: Env): Promise<Question> {
  const check = await clinicCheck(ctx.deps, draft);
  const settlement = (await settlementOf(ctx.deps, draft.settlementId))?.name[ctx.locale] ?? "";
  const m = modeOf(draft, view);
  const first = view.opening ? await preferred(ctx, draft, check) : { lead: "", extra: [] };
  const extra = [...first.extra, ...(await extraRows(ctx, view.extra, check))];
  const lead = first.lead + leadText(ctx, view.lead, settlement);
  const { rows: list, total } = await rows(ctx.deps, draft, m, check);
  if (total === 0 && m.kind !== "search") {
    // R4: nothing to choose in this settlement (a village the directory does not cover): say so and what to do.
    return {
      step: "clinic",
      text: `${lead}${ctx.t("apply.clinic.none_here", { settlement })}`,
      keyboard: withNav(new InlineKeyboard(), ctx),
      hint: "apply.hints.use_buttons",
    };
  }
  const offered = [...extra, ...list];
  const draw = () => {
    const kb = new InlineKeyboard();
    for (const r of offered) kb.text(label(ctx, r), pickData("clinic", r.id)).row();
    if (m.kind === "list" && m.page > 0) kb.text(ctx.t("apply.place.prev"), pickData("clinic", "p", m.page - 1));
    if (m.kind === "list" && (m.page + 1) * PAGE < total)
      kb.text(ctx.t("apply.place.more"), pickData("clinic", "p", m.page + 1));
    kb.row().text(ctx.t("apply.clinic.nearest_button"), pickData("clinic", "near"));
    if (m.kind !== "list") kb.text(ctx.t("apply.clinic.list_button"), pickData("clinic", "p", 0));
    // R5, R6: each row says its free places or why it is unavailable, before anything is tapped.
    const suggested = extra.length ? `${rowLines(ctx, extra, check.year).join("\n")}\n\n` : "";
    const legend = offered.some((r) => r.problem) ? `\n${ctx.t("apply.clinic.legend")}` : "";
    return {
      text: fitText(
        `${lead}${suggested}${questionLine(ctx, m, settlement, total)}${legend}`,
        rowLines(ctx, list, check.year, extra.length),
      ),
      keyboard: withNav(kb, ctx),
    };
  };
  return drawnWhenShown(
    {
      step: "clinic",
      accept: { text: true, location: true },
      // R4: only a clinic this question offered (all of the chosen settlement); any other id is forged or stale.
      pick: CLINIC_PICK,
      offered: ([a, b]) => b !== undefined || a === "near" || offered.some((r) => r.id === a),
      hint: "apply.hints.buttons_or_text",
      inPlace: view.paged,
    },
    draw,
  );
}

/** A clinic pressed: taken with its card, or refused with the reason and free ones nearby (R4–R6). */
async function chose({ ctx, draft }: Env, m: Mode, id: string): Promise<Turn<View>> {
  const check = await clinicCheck(ctx.deps, draft);
  const clinic = await clinicOf(ctx.deps, id);
  // R4: the settlement of the residence, whatever the client sent.
  if (!clinic || clinic.settlementId !== draft.settlementId) return again(m, { lead: { kind: "stale" } });
  const problem = clinicProblem(clinic, check);
  if (problem) {
    const suggest = await suggestions(ctx.deps.db, draft, clinic, check);
    return again(m, {
      lead: { kind: "unavailable", problem, suggest: suggest.length > 0 },
      extra: suggest.map((r) => ({ id: r.id, distanceMeters: r.distanceMeters })),
    });
  }
  // The same honesty as /clinics: sample capacity must never pass for the registry's.
  const note = figuresNote(ctx, clinic);
  const card = [
    ctx.t("apply.clinic.chosen", { name: clinic.name[ctx.locale] }),
    clinicCard(ctx, clinic),
    note ? `<i>${note}</i>` : "",
    ctx.t("apply.clinic.family_tip"),
  ];
  return { kind: "next", patch: { clinicId: clinic.id }, say: card.filter((p) => p !== "").join("\n\n") };
}

/** The clinic: a list of the settlement (paged), the nearest to a shared point, or those a typed query finds. */
export const clinicStep = defineStep({
  view: CLINIC_VIEW,
  question: listQuestion,
  async answer(env, reply) {
    const { ctx, draft } = env;
    const m = modeOf(draft, env.view);
    switch (reply.kind) {
      case "nav":
        return { kind: reply.to };
      case "location":
        await ctx.reply(ctx.t("apply.clinic.location_taken"), { reply_markup: { remove_keyboard: true } });
        return again({ kind: "nearest", lat: reply.lat, lon: reply.lon });
      case "text": {
        // A typed name or street: the clinics that match in this settlement, or the same list with "nothing found".
        const query = reply.text;
        const found = await searchClinics(ctx.deps.db, query, { settlementId: draft.settlementId, limit: 1 });
        return found.length ? again({ kind: "search", query }) : again(m, { lead: { kind: "none_found", query } });
      }
      case "pick": {
        const [head, arg] = reply.parts;
        // Another page (redrawn in place), "nearest" (asks for the location), or a clinic.
        if (head === "p") return again({ kind: "list", page: Number(arg) }, { paged: true });
        if (head === "near") {
          await ctx.reply(ctx.t("apply.place.share_hint"), { reply_markup: locationKeyboard(ctx) });
          return again(m);
        }
        return chose(env, m, head ?? "");
      }
      default:
        return again(m);
    }
  },
});
