import { InlineKeyboard } from "grammy";
import { z } from "zod";
import { getClinic, searchClinics } from "../../../../data/repositories/clinics.js";
import { getSettlement } from "../../../../data/repositories/places.js";
import type { BaseContext } from "../../../context.js";
import { clinicCard, figuresNote } from "../../clinics/card.js";
import { ask, pickData, withNav } from "../ask.js";
import { clinicCheck, clinicProblem } from "../eligibility.js";
import type { StepHandler, StepResult } from "../step.js";
import { fitText, label, PAGE, rowLines, rows, suggestions, toRow, type Mode, type Row } from "./clinic-list.js";
import { locationKeyboard, zPage, zPlaceId } from "./place.js";

function question(c: BaseContext, m: Mode, settlement: string, total: number): string {
  if (m.kind === "nearest") return c.t("apply.clinic.q_nearest");
  // The query goes in as a variable: i18next escapes it for HTML, once.
  if (m.kind === "search") return c.t("apply.clinic.q_search", { query: m.query });
  return c.t("apply.clinic.q", { settlement, page: m.page + 1, pages: Math.max(1, Math.ceil(total / PAGE)) });
}

export const clinicStep: StepHandler = async ({ conversation, ctx, draft }) => {
  const check = await conversation.external((o) => clinicCheck(o.deps, draft));
  const settlementName = await conversation.external(
    async (o) => (await getSettlement(o.deps.db, draft.settlementId ?? ""))?.name ?? null,
  );
  let mode: Mode = draft.location ? { kind: "nearest", ...draft.location } : { kind: "list", page: 0 };
  let c = ctx;
  // Coming from a clinic's card in /clinics: that clinic first, if it is in the settlement of the residence (R4).
  const preferred = draft.preferredClinicId
    ? await conversation.external(async (o) => {
        const clinic = await getClinic(o.deps.db, draft.preferredClinicId ?? "");
        return clinic
          ? {
              row: toRow(clinic, check),
              here: clinic.settlementId === draft.settlementId,
              settlement: clinic.settlementName,
            }
          : null;
      })
    : null;
  let extra: Row[] = preferred?.here ? [preferred.row] : [];
  let lead = !preferred
    ? ""
    : preferred.here
      ? `${ctx.t("apply.clinic.preferred")}\n`
      : `${ctx.t("apply.clinic.preferred_elsewhere", { name: preferred.row.name[ctx.locale], settlement: preferred.settlement[ctx.locale] })}\n\n`;
  let paged = false;
  for (;;) {
    const m = mode;
    const { rows: list, total } = await conversation.external((o) => rows(o.deps.db, draft, m, check));
    const settlement = settlementName?.[c.locale] ?? "";
    if (total === 0 && m.kind !== "search") {
      // R4: nothing to choose in this settlement (a village the directory does not cover): say so and what to do.
      const res = await ask(conversation, c, {
        step: "clinic",
        text: `${lead}${c.t("apply.clinic.none_here", { settlement })}`,
        keyboard: withNav(new InlineKeyboard(), c),
        hint: "apply.hints.use_buttons",
      });
      c = res.ctx;
      lead = "";
      if (res.reply.kind === "nav") return { kind: res.reply.to, ctx: c } as StepResult;
      continue;
    }
    const offered = [...extra, ...list];
    const kb = new InlineKeyboard();
    for (const r of offered) kb.text(label(c, r), pickData("clinic", r.id)).row();
    if (m.kind === "list" && m.page > 0) kb.text(c.t("apply.place.prev"), pickData("clinic", "p", m.page - 1));
    if (m.kind === "list" && (m.page + 1) * PAGE < total)
      kb.text(c.t("apply.place.more"), pickData("clinic", "p", m.page + 1));
    kb.row().text(c.t("apply.clinic.nearest_button"), pickData("clinic", "near"));
    if (m.kind !== "list") kb.text(c.t("apply.clinic.list_button"), pickData("clinic", "p", 0));
    // R5, R6: each row says its free places or why it is unavailable, before anything is tapped.
    const suggested = extra.length ? `${rowLines(c, extra, check.year).join("\n")}\n\n` : "";
    const legend = offered.some((r) => r.problem) ? `\n${c.t("apply.clinic.legend")}` : "";
    const res = await ask(conversation, c, {
      step: "clinic",
      text: fitText(
        `${lead}${suggested}${question(c, m, settlement, total)}${legend}`,
        rowLines(c, list, check.year, extra.length),
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
      inPlace: paged,
    });
    c = res.ctx;
    lead = "";
    extra = [];
    paged = false;
    const reply = res.reply;
    if (reply.kind === "nav") return { kind: reply.to, ctx: c } as StepResult;
    if (reply.kind === "location") {
      mode = { kind: "nearest", lat: reply.lat, lon: reply.lon };
      await c.reply(c.t("apply.clinic.location_taken"), { reply_markup: { remove_keyboard: true } });
      continue;
    }
    if (reply.kind === "text") {
      const query = reply.text;
      const found = await conversation.external((o) =>
        searchClinics(o.deps.db, query, { settlementId: draft.settlementId, limit: 1 }),
      );
      if (found.length) mode = { kind: "search", query };
      else lead = `${c.t("apply.clinic.none_found", { query, settlement })}\n\n`;
      continue;
    }
    if (reply.kind !== "pick") continue;
    const [head, arg] = reply.parts;
    if (head === "p") {
      mode = { kind: "list", page: Number(arg) };
      paged = true;
      continue;
    }
    if (head === "near") {
      await c.reply(c.t("apply.place.share_hint"), { reply_markup: locationKeyboard(c) });
      continue;
    }
    const id = head ?? "";
    const chosen = await conversation.external(async (o) => {
      const clinic = await getClinic(o.deps.db, id);
      // R4: the settlement of the residence, whatever the client sent.
      if (!clinic || clinic.settlementId !== draft.settlementId) return null;
      const problem = clinicProblem(clinic, check);
      return { clinic, problem, suggest: problem ? await suggestions(o.deps.db, draft, clinic, check) : [] };
    });
    if (!chosen) {
      lead = `${c.t("common.stale_button")}\n\n`;
      continue;
    }
    if (chosen.problem) {
      const suggest = chosen.suggest.length ? `\n${c.t("apply.clinic.suggest")}` : "";
      lead = `${c.t("apply.clinic.unavailable_pick", { reason: c.t(`rules.reasons.${chosen.problem}`) })}${suggest}\n\n`;
      extra = chosen.suggest;
      continue;
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
    return { kind: "next", patch: { clinicId: chosen.clinic.id }, ctx: c };
  }
};
