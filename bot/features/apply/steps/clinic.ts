import { InlineKeyboard } from "grammy";
import type { Db } from "../../../../data/db.js";
import {
  clinicsOfSettlement,
  getClinic,
  nearestClinics,
  searchClinics,
  type ClinicView,
} from "../../../../data/repositories/clinics.js";
import { getSettlement } from "../../../../data/repositories/places.js";
import type { BaseContext } from "../../../context.js";
import { escapeHtml } from "../../../i18n.js";
import { ask, pickData, withNav } from "../ask.js";
import type { Draft } from "../draft.js";
import { clinicCheck, clinicProblem, type ClinicCheck } from "../eligibility.js";
import type { StepHandler, StepResult } from "../step.js";
import { locationKeyboard } from "./place.js";

const PAGE = 6;
const ID = /^[\w-]{1,40}$/;

type Mode = { kind: "list"; page: number } | { kind: "nearest"; lat: number; lon: number } | { kind: "search"; query: string };

interface Row {
  id: string;
  name: { ru: string; kk: string };
  problem: string | null;
  free: number;
  distanceMeters?: number;
}

async function rows(db: Db, draft: Draft, mode: Mode, check: ClinicCheck): Promise<{ rows: Row[]; total: number }> {
  const settlementId = draft.settlementId ?? "";
  const view = (c: ClinicView, distanceMeters?: number): Row => ({
    id: c.id,
    name: c.name,
    problem: clinicProblem(c, check),
    free: Math.max(0, c.capacity - c.attached),
    distanceMeters,
  });
  if (mode.kind === "nearest") {
    const near = await nearestClinics(db, { lat: mode.lat, lon: mode.lon }, PAGE, { settlementId });
    return { rows: near.map((n) => view(n, n.distanceMeters)), total: near.length };
  }
  if (mode.kind === "search") {
    const hits = await searchClinics(db, mode.query, { settlementId, limit: PAGE });
    return { rows: hits.map((h) => view(h)), total: hits.length };
  }
  const { items, total } = await clinicsOfSettlement(db, settlementId, { page: mode.page, pageSize: PAGE });
  return { rows: items.map((i) => view(i)), total };
}

function label(ctx: BaseContext, r: Row): string {
  const name = r.name[ctx.locale];
  const km = r.distanceMeters !== undefined ? ` · ${(r.distanceMeters / 1000).toFixed(1)} км` : "";
  return `${r.problem ? "⛔ " : ""}${name}${km}`;
}

export function clinicCard(ctx: BaseContext, c: ClinicView): string {
  return ctx.t("apply.clinic.card", {
    name: c.name[ctx.locale],
    address: c.address[ctx.locale],
    phone: c.phone ?? "—",
    hours: c.hours[ctx.locale] ?? "—",
    free: Math.max(0, c.capacity - c.attached),
  });
}

/** R15: a few nearest clinics of the same settlement that can take the person. */
async function suggestions(db: Db, draft: Draft, from: ClinicView, check: ClinicCheck): Promise<Row[]> {
  const near = await nearestClinics(db, { lat: from.lat, lon: from.lon }, 12, { settlementId: draft.settlementId });
  return near
    .filter((n) => n.id !== from.id && clinicProblem(n, check) === null)
    .slice(0, 3)
    .map((n) => ({ id: n.id, name: n.name, problem: null, free: n.capacity - n.attached, distanceMeters: n.distanceMeters }));
}

export const clinicStep: StepHandler = async ({ conversation, ctx, draft }) => {
  const check = await conversation.external((o) => clinicCheck(o.deps, draft));
  let mode: Mode = draft.location ? { kind: "nearest", ...draft.location } : { kind: "list", page: 0 };
  let c = ctx;
  let lead = "";
  let extra: Row[] = [];
  for (;;) {
    const m = mode;
    const { rows: list, total } = await conversation.external((o) => rows(o.deps.db, draft, m, check));
    const settlementName = await conversation.external(async (o) => (await getSettlement(o.deps.db, draft.settlementId ?? ""))?.name ?? null);
    const kb = new InlineKeyboard();
    for (const r of [...extra, ...list]) kb.text(label(c, r), pickData("clinic", r.id)).row();
    if (m.kind === "list" && m.page > 0) kb.text(c.t("apply.place.prev"), pickData("clinic", "p", m.page - 1));
    if (m.kind === "list" && (m.page + 1) * PAGE < total) kb.text(c.t("apply.place.more"), pickData("clinic", "p", m.page + 1));
    kb.row().text(c.t("apply.clinic.nearest_button"), pickData("clinic", "near"));
    if (m.kind !== "list") kb.text(c.t("apply.clinic.list_button"), pickData("clinic", "p", 0));
    const pages = Math.max(1, Math.ceil(total / PAGE));
    const settlement = settlementName?.[c.locale] ?? "";
    const question =
      m.kind === "nearest"
        ? c.t("apply.clinic.q_nearest")
        : m.kind === "search"
          ? c.t("apply.clinic.q_search", { query: m.query })
          : c.t("apply.clinic.q", { settlement, page: m.page + 1, pages });
    const res = await ask(conversation, c, {
      step: "clinic",
      text: lead + question,
      keyboard: withNav(kb, c),
      accept: { text: true, location: true },
      validPick: (p) => (p[0] === "p" ? /^\d{1,3}$/.test(p[1] ?? "") : ID.test(p[0] ?? "")),
      hint: "apply.hints.buttons_or_text",
    });
    c = res.ctx;
    lead = "";
    extra = [];
    const reply = res.reply;
    if (reply.kind === "nav") return { kind: reply.to, ctx: c } as StepResult;
    if (reply.kind === "location") {
      mode = { kind: "nearest", lat: reply.lat, lon: reply.lon };
      await c.reply(c.t("apply.clinic.q_nearest"), { parse_mode: "HTML", reply_markup: { remove_keyboard: true } });
      continue;
    }
    if (reply.kind === "text") {
      const query = reply.text;
      const found = await conversation.external((o) => searchClinics(o.deps.db, query, { settlementId: draft.settlementId, limit: 1 }));
      if (found.length) mode = { kind: "search", query };
      else lead = `${c.t("apply.clinic.none_found", { query: escapeHtml(query), settlement })}\n\n`;
      continue;
    }
    if (reply.kind !== "pick") continue;
    const [head, arg] = reply.parts;
    if (head === "p") {
      mode = { kind: "list", page: Number(arg) };
      continue;
    }
    if (head === "near") {
      await c.reply(c.t("apply.place.share_hint"), { reply_markup: locationKeyboard(c) });
      continue;
    }
    const id = head ?? "";
    const chosen = await conversation.external(async (o) => {
      const clinic = await getClinic(o.deps.db, id);
      if (!clinic || clinic.settlementId !== draft.settlementId && !draft.location) return null;
      const problem = clinicProblem(clinic, check);
      return { clinic, problem, suggest: problem ? await suggestions(o.deps.db, draft, clinic, check) : [] };
    });
    if (!chosen) continue;
    if (chosen.problem) {
      lead = `${c.t("apply.clinic.unavailable_pick", { reason: c.t(`rules.reasons.${chosen.problem}`) })}\n${chosen.suggest.length ? c.t("apply.clinic.suggest") : ""}\n\n`;
      extra = chosen.suggest;
      continue;
    }
    await c.reply(`${c.t("apply.clinic.chosen", { name: chosen.clinic.name[c.locale] })}\n\n${clinicCard(c, chosen.clinic)}\n\n${c.t("apply.clinic.family_tip")}`, {
      parse_mode: "HTML",
    });
    return { kind: "next", patch: { clinicId: chosen.clinic.id, settlementId: chosen.clinic.settlementId }, ctx: c };
  }
};
