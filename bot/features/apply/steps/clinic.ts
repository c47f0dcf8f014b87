import { InlineKeyboard } from "grammy";
import { z } from "zod";
import { getClinic, searchClinics } from "../../../../data/repositories/clinics.js";
import { getSettlement } from "../../../../data/repositories/places.js";
import { clinicCheck, clinicProblem, type ClinicCheck } from "../../../application/eligibility.js";
import type { Draft } from "../../../application/draft.js";
import type { BaseContext } from "../../../context.js";
import { clinicCard, figuresNote } from "../../../ui/clinic-card.js";
import { ask, pickData, withNav, type ApplyConversation, type Reply } from "../ask.js";
import type { StepHandler, StepResult } from "../step.js";
import { fitText, label, PAGE, rowLines, rows, suggestions, toRow, type Mode, type Row } from "./clinic-list.js";
import { locationKeyboard, zPage, zPlaceId } from "./place.js";

/** What the step knows for its whole life. */
interface Env {
  conversation: ApplyConversation;
  draft: Draft;
  check: ClinicCheck;
  settlementName: { ru: string; kk: string } | null;
}

/** What the next question shows: the list's mode, a line before it, clinics offered first, redrawn in place. */
interface View {
  c: BaseContext;
  mode: Mode;
  lead: string;
  extra: Row[];
  paged: boolean;
}

/** After one answer: ask again with this view, or leave the step. */
type Turn = { kind: "again"; view: View } | { kind: "done"; result: StepResult };

const again = (view: View): Turn => ({ kind: "again", view });
const done = (result: StepResult): Turn => ({ kind: "done", result });
/** The next question starts afresh but for what the answer changed. */
const fresh = (c: BaseContext, mode: Mode, changes: Partial<View> = {}): View => ({
  c,
  mode,
  lead: "",
  extra: [],
  paged: false,
  ...changes,
});

function question(c: BaseContext, m: Mode, settlement: string, total: number): string {
  if (m.kind === "nearest") return c.t("apply.clinic.q_nearest");
  // The query goes in as a variable: i18next escapes it for HTML, once.
  if (m.kind === "search") return c.t("apply.clinic.q_search", { query: m.query });
  return c.t("apply.clinic.q", { settlement, page: m.page + 1, pages: Math.max(1, Math.ceil(total / PAGE)) });
}

/**
 * Coming from a clinic's card in /clinics or from its link: that clinic first, if it is in the settlement of the
 * residence (R4); otherwise the person is told it is another settlement's.
 */
async function firstView(env: Env, ctx: BaseContext): Promise<View> {
  const { conversation, draft, check } = env;
  const mode: Mode = draft.location ? { kind: "nearest", ...draft.location } : { kind: "list", page: 0 };
  if (!draft.preferredClinicId) return fresh(ctx, mode);
  const preferred = await conversation.external(async (o) => {
    const clinic = await getClinic(o.deps.db, draft.preferredClinicId ?? "");
    return clinic
      ? {
          row: toRow(clinic, check),
          here: clinic.settlementId === draft.settlementId,
          settlement: clinic.settlementName,
        }
      : null;
  });
  if (!preferred) return fresh(ctx, mode);
  // The clinic came from its link (a poster) or from the catalogue (/clinics): the line says which.
  const keys = draft.preferredByLink
    ? (["links.preferred", "links.preferred_elsewhere"] as const)
    : (["apply.clinic.preferred", "apply.clinic.preferred_elsewhere"] as const);
  if (preferred.here) return fresh(ctx, mode, { lead: `${ctx.t(keys[0])}\n`, extra: [preferred.row] });
  const elsewhere = ctx.t(keys[1], {
    name: preferred.row.name[ctx.locale],
    settlement: preferred.settlement[ctx.locale],
  });
  return fresh(ctx, mode, { lead: `${elsewhere}\n\n` });
}

/** R4: nothing to choose in this settlement (a village the directory does not cover): say so and what to do. */
async function nothingHere(env: Env, v: View, settlement: string): Promise<Turn> {
  const res = await ask(env.conversation, v.c, {
    step: "clinic",
    text: `${v.lead}${v.c.t("apply.clinic.none_here", { settlement })}`,
    keyboard: withNav(new InlineKeyboard(), v.c),
    hint: "apply.hints.use_buttons",
  });
  if (res.reply.kind === "nav") return done({ kind: res.reply.to, ctx: res.ctx });
  return again(fresh(res.ctx, v.mode));
}

/** Shows the list of the view's mode and handles one answer. */
async function turn(env: Env, v: View): Promise<Turn> {
  const { conversation, draft, check } = env;
  const m = v.mode;
  const { rows: list, total } = await conversation.external((o) => rows(o.deps.db, draft, m, check));
  const c = v.c;
  const settlement = env.settlementName?.[c.locale] ?? "";
  if (total === 0 && m.kind !== "search") return nothingHere(env, v, settlement);
  const offered = [...v.extra, ...list];
  const kb = new InlineKeyboard();
  for (const r of offered) kb.text(label(c, r), pickData("clinic", r.id)).row();
  if (m.kind === "list" && m.page > 0) kb.text(c.t("apply.place.prev"), pickData("clinic", "p", m.page - 1));
  if (m.kind === "list" && (m.page + 1) * PAGE < total)
    kb.text(c.t("apply.place.more"), pickData("clinic", "p", m.page + 1));
  kb.row().text(c.t("apply.clinic.nearest_button"), pickData("clinic", "near"));
  if (m.kind !== "list") kb.text(c.t("apply.clinic.list_button"), pickData("clinic", "p", 0));
  // R5, R6: each row says its free places or why it is unavailable, before anything is tapped.
  const suggested = v.extra.length ? `${rowLines(c, v.extra, check.year).join("\n")}\n\n` : "";
  const legend = offered.some((r) => r.problem) ? `\n${c.t("apply.clinic.legend")}` : "";
  const res = await ask(conversation, c, {
    step: "clinic",
    text: fitText(
      `${v.lead}${suggested}${question(c, m, settlement, total)}${legend}`,
      rowLines(c, list, check.year, v.extra.length),
    ),
    keyboard: withNav(kb, c),
    accept: { text: true, location: true },
    // R4: only a clinic this question offered (all of the chosen settlement); any other id is forged or stale.
    pick: z.union([
      z.tuple([z.literal("p"), zPage]),
      z.tuple([z.literal("near")]),
      z.tuple([zPlaceId.refine((id) => offered.some((r) => r.id === id))]),
    ]),
    hint: "apply.hints.buttons_or_text",
    inPlace: v.paged,
  });
  return answered(env, res.ctx, m, settlement, res.reply);
}

/** One handler per kind of answer: Back or Cancel, a shared location, a typed search, a button. */
async function answered(env: Env, c: BaseContext, m: Mode, settlement: string, reply: Reply): Promise<Turn> {
  switch (reply.kind) {
    case "nav":
      return done({ kind: reply.to, ctx: c });
    case "location":
      await c.reply(c.t("apply.clinic.location_taken"), { reply_markup: { remove_keyboard: true } });
      return again(fresh(c, { kind: "nearest", lat: reply.lat, lon: reply.lon }));
    case "text":
      return searched(env, c, m, settlement, reply.text);
    case "pick":
      return picked(env, c, m, reply.parts);
    default:
      return again(fresh(c, m));
  }
}

/** A typed name or street: the clinics that match in this settlement, or the same list with "nothing found". */
async function searched(env: Env, c: BaseContext, m: Mode, settlement: string, query: string): Promise<Turn> {
  const settlementId = env.draft.settlementId;
  const found = await env.conversation.external((o) => searchClinics(o.deps.db, query, { settlementId, limit: 1 }));
  if (found.length) return again(fresh(c, { kind: "search", query }));
  return again(fresh(c, m, { lead: `${c.t("apply.clinic.none_found", { query, settlement })}\n\n` }));
}

/** A button: another page (redrawn in place), "nearest" (asks for the location), or a clinic. */
async function picked(env: Env, c: BaseContext, m: Mode, parts: string[]): Promise<Turn> {
  const [head, arg] = parts;
  if (head === "p") return again(fresh(c, { kind: "list", page: Number(arg) }, { paged: true }));
  if (head === "near") {
    await c.reply(c.t("apply.place.share_hint"), { reply_markup: locationKeyboard(c) });
    return again(fresh(c, m));
  }
  return chose(env, c, m, head ?? "");
}

/** A clinic pressed: taken with its card, or refused with the reason and free ones nearby (R4–R6). */
async function chose(env: Env, c: BaseContext, m: Mode, id: string): Promise<Turn> {
  const { draft, check } = env;
  const chosen = await env.conversation.external(async (o) => {
    const clinic = await getClinic(o.deps.db, id);
    // R4: the settlement of the residence, whatever the client sent.
    if (!clinic || clinic.settlementId !== draft.settlementId) return null;
    const problem = clinicProblem(clinic, check);
    return { clinic, problem, suggest: problem ? await suggestions(o.deps.db, draft, clinic, check) : [] };
  });
  if (!chosen) return again(fresh(c, m, { lead: `${c.t("common.stale_button")}\n\n` }));
  if (chosen.problem) {
    const suggest = chosen.suggest.length ? `\n${c.t("apply.clinic.suggest")}` : "";
    const reason = c.t(`rules.reasons.${chosen.problem}`);
    const lead = `${c.t("apply.clinic.unavailable_pick", { reason })}${suggest}\n\n`;
    return again(fresh(c, m, { lead, extra: chosen.suggest }));
  }
  // The same honesty as /clinics: sample capacity must never pass for the registry's.
  const note = figuresNote(c, chosen.clinic);
  const card = [
    c.t("apply.clinic.chosen", { name: chosen.clinic.name[c.locale] }),
    clinicCard(c, chosen.clinic),
    note ? `<i>${note}</i>` : "",
    c.t("apply.clinic.family_tip"),
  ];
  await c.reply(card.filter((p) => p !== "").join("\n\n"), { parse_mode: "HTML" });
  return done({ kind: "next", patch: { clinicId: chosen.clinic.id }, ctx: c });
}

/** The clinic: a list of the settlement (paged), the nearest to a shared point, or those a typed query finds. */
export const clinicStep: StepHandler = async ({ conversation, ctx, draft }) => {
  const check = await conversation.external((o) => clinicCheck(o.deps, draft));
  const settlementName = await conversation.external(
    async (o) => (await getSettlement(o.deps.db, draft.settlementId ?? ""))?.name ?? null,
  );
  const env: Env = { conversation, draft, check, settlementName };
  let view = await firstView(env, ctx);
  for (;;) {
    const next = await turn(env, view);
    if (next.kind === "done") return next.result;
    view = next.view;
  }
};
