import { InlineKeyboard, Keyboard } from "grammy";
import { z } from "zod";
import type { Db } from "../../../../data/db.js";
import { nearestClinics } from "../../../../data/repositories/clinics.js";
import {
  getSettlement,
  listRegions,
  listSettlements,
  searchSettlements,
} from "../../../../data/repositories/places.js";
import type { BaseContext } from "../../../context.js";
import { ask, pickData, withNav } from "../ask.js";
import type { StepHandler, StepResult } from "../step.js";

const PAGE = 8;
export const zPlaceId = z.string().regex(/^[\w-]{1,40}$/);
export const zPage = z.string().regex(/^\d{1,3}$/);
const NEAR_ENOUGH_M = 50_000;

export function locationKeyboard(ctx: BaseContext): Keyboard {
  return new Keyboard().requestLocation(ctx.t("apply.place.share_location")).resized().oneTime();
}

/** The settlement of the clinic nearest to a shared point: where the person most likely lives. */
export async function settlementNear(db: Db, lat: number, lon: number) {
  const [nearest] = await nearestClinics(db, { lat, lon }, 1);
  if (!nearest || nearest.distanceMeters > NEAR_ENOUGH_M) return null;
  const s = await getSettlement(db, nearest.settlementId);
  return s ? { settlementId: s.id, regionId: s.regionId, name: s.name } : null;
}

function twoColumns(kb: InlineKeyboard, items: { label: string; data: string }[]): InlineKeyboard {
  items.forEach((it, i) => {
    kb.text(it.label, it.data);
    if (i % 2 === 1) kb.row();
  });
  return kb.row();
}

/** Region buttons, typed settlement names (any region) or a shared location. */
export const regionStep: StepHandler = async ({ conversation, ctx }) => {
  const regions = await conversation.external((o) => listRegions(o.deps.db));
  let c = ctx;
  let lead = "";
  let found: { id: string; label: string }[] = [];
  for (;;) {
    const kb = new InlineKeyboard();
    const shown = found;
    for (const s of found) kb.text(s.label, pickData("region", "s", s.id)).row();
    twoColumns(
      kb,
      regions.map((r) => ({ label: r.name[c.locale], data: pickData("region", r.id) })),
    );
    kb.text(c.t("apply.place.share_location"), pickData("region", "loc")).row();
    const res = await ask(conversation, c, {
      step: "region",
      text: lead + c.t("apply.place.region_q"),
      keyboard: withNav(kb, c),
      accept: { text: true, location: true },
      pick: z.union([
        z.tuple([z.literal("loc")]),
        z.tuple([z.literal("s"), zPlaceId.refine((id) => shown.some((f) => f.id === id))]),
        z.tuple([zPlaceId.refine((id) => regions.some((r) => r.id === id))]),
      ]),
      hint: "apply.hints.buttons_or_text",
    });
    c = res.ctx;
    const reply = res.reply;
    if (reply.kind === "nav") return { kind: reply.to, ctx: c } as StepResult;
    if (reply.kind === "pick" && reply.parts[0] === "loc") {
      // An inline button cannot ask for a location: a reply keyboard button can.
      await c.reply(c.t("apply.place.share_hint"), { reply_markup: locationKeyboard(c) });
      continue;
    }
    if (reply.kind === "pick" && reply.parts[0] !== "s") {
      const regionId = reply.parts[0] ?? "";
      // Cities of republican significance are one settlement: no second question.
      const only = await conversation.external(async (o) => {
        const page = await listSettlements(o.deps.db, regionId, { pageSize: 2 });
        return page.total === 1 ? (page.items[0]?.id ?? null) : null;
      });
      if (only)
        return { kind: "goto", step: "clinic", patch: { regionId, settlementId: only, location: undefined }, ctx: c };
      return { kind: "next", patch: { regionId, settlementId: undefined }, ctx: c };
    }
    if (reply.kind === "pick") {
      const id = reply.parts[1] ?? "";
      const s = await conversation.external((o) => getSettlement(o.deps.db, id));
      if (s)
        return {
          kind: "goto",
          step: "clinic",
          patch: { regionId: s.regionId, settlementId: s.id, location: undefined },
          ctx: c,
        };
      continue;
    }
    if (reply.kind === "location") {
      const { lat, lon } = reply;
      const near = await conversation.external((o) => settlementNear(o.deps.db, lat, lon));
      if (!near) {
        lead = `${c.t("apply.place.location_unknown")}\n\n`;
        continue;
      }
      await c.reply(c.t("apply.place.by_location", { settlement: near.name[c.locale] }), {
        reply_markup: { remove_keyboard: true },
      });
      const patch = { regionId: near.regionId, settlementId: near.settlementId, location: { lat, lon } };
      return { kind: "goto", step: "clinic", patch, ctx: c };
    }
    if (reply.kind === "text") {
      const query = reply.text;
      const hits = await conversation.external((o) => searchSettlements(o.deps.db, query, 6));
      const [only] = hits;
      if (hits.length === 1 && only) {
        return {
          kind: "goto",
          step: "clinic",
          patch: { regionId: only.regionId, settlementId: only.id, location: undefined },
          ctx: c,
        };
      }
      found = hits.map((s) => ({ id: s.id, label: s.name[c.locale] }));
      lead = hits.length ? `${c.t("apply.place.found_several")}\n\n` : `${c.t("apply.place.not_found", { query })}\n\n`;
    }
  }
};

/** Settlements of the chosen region, paged, or typed. */
export const settlementStep: StepHandler = async ({ conversation, ctx, draft }) => {
  const regionId = draft.regionId ?? "";
  const region = await conversation.external(
    async (o) => (await listRegions(o.deps.db)).find((r) => r.id === regionId) ?? null,
  );
  let page = 0;
  let c = ctx;
  let lead = "";
  let paged = false;
  for (;;) {
    const p = page;
    const { items, total } = await conversation.external((o) =>
      listSettlements(o.deps.db, regionId, { page: p, pageSize: PAGE }),
    );
    const kb = twoColumns(
      new InlineKeyboard(),
      items.map((s) => ({ label: s.name[c.locale], data: pickData("settlement", s.id) })),
    );
    if (page > 0) kb.text(c.t("apply.place.prev"), pickData("settlement", "p", page - 1));
    if ((page + 1) * PAGE < total) kb.text(c.t("apply.place.more"), pickData("settlement", "p", page + 1));
    const res = await ask(conversation, c, {
      step: "settlement",
      text: lead + c.t("apply.place.settlement_q", { region: region?.name[c.locale] ?? "" }),
      keyboard: withNav(kb, c),
      accept: { text: true },
      // Only the settlements of this page: an id from elsewhere is forged or stale.
      pick: z.union([
        z.tuple([z.literal("p"), zPage]),
        z.tuple([zPlaceId.refine((id) => items.some((s) => s.id === id))]),
      ]),
      hint: "apply.hints.buttons_or_text",
      inPlace: paged,
    });
    c = res.ctx;
    lead = "";
    paged = false;
    const reply = res.reply;
    if (reply.kind === "nav") return { kind: reply.to, ctx: c } as StepResult;
    if (reply.kind === "pick" && reply.parts[0] === "p") {
      page = Number(reply.parts[1]);
      paged = true;
      continue;
    }
    const query = reply.kind === "text" ? reply.text : null;
    const id = reply.kind === "pick" ? (reply.parts[0] ?? "") : null;
    const hit = await conversation.external(async (o) => {
      if (id !== null) return (await getSettlement(o.deps.db, id)) ?? null;
      const hits = (await searchSettlements(o.deps.db, query ?? "", 20)).filter((s) => s.regionId === regionId);
      return hits.length === 1 ? (hits[0] ?? null) : null;
    });
    if (hit)
      return { kind: "next", patch: { settlementId: hit.id, regionId: hit.regionId, location: undefined }, ctx: c };
    if (query !== null) lead = `${c.t("apply.place.not_found", { query })}\n\n`;
  }
};
