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
import { readShared } from "../../../../data/shared-reads.js";
import { settlementOf } from "../../../application/eligibility.js";
import type { BaseContext } from "../../../context.js";
import { drawnWhenShown, pickData, withNav } from "../ask.js";
import { defineStep } from "../step.js";

const PAGE = 8;

/** The regions, as the bot keeps them (the region question is rebuilt to check its answer; the next one names it). */
function regionsOnce(ctx: BaseContext) {
  return readShared(ctx.deps, "directory", "regions", () => listRegions(ctx.deps.db));
}

/** A page of a region's settlements, as the bot keeps it. */
function settlementsPage(ctx: BaseContext, regionId: string, opts: { page?: number; pageSize: number }) {
  const key = `settlements:${regionId}:${opts.page ?? 0}:${opts.pageSize}`;
  return readShared(ctx.deps, "directory", key, () => listSettlements(ctx.deps.db, regionId, opts));
}
export const zPlaceId = z.string().regex(/^[\w-]{1,40}$/);
export const zPage = z.string().regex(/^\d{1,3}$/);

// The shapes of the place questions' buttons; which ids they may name is each question's own (offered).
const REGION_PICK = z.union([z.tuple([z.literal("loc")]), z.tuple([z.literal("s"), zPlaceId]), z.tuple([zPlaceId])]);
const SETTLEMENT_PICK = z.union([z.tuple([z.literal("p"), zPage]), z.tuple([zPlaceId])]);
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

const NAME = z.object({ ru: z.string().max(200), kk: z.string().max(200) });
const REGION_VIEW = z.object({
  lead: z.enum(["location_unknown", "found_several", "not_found"]).optional(),
  query: z.string().max(200).optional(),
  /** Settlements a typed name found in several regions, offered above the regions. */
  found: z
    .array(z.object({ id: zPlaceId, name: NAME }))
    .max(6)
    .default([]),
});
type RegionView = z.infer<typeof REGION_VIEW>;

/** Region buttons, typed settlement names (any region) or a shared location. */
export const regionStep = defineStep({
  view: REGION_VIEW,
  async question({ ctx, view }) {
    const regions = await regionsOnce(ctx);
    const draw = () => {
      const kb = new InlineKeyboard();
      for (const s of view.found) kb.text(s.name[ctx.locale], pickData("region", "s", s.id)).row();
      twoColumns(
        kb,
        regions.map((r) => ({ label: r.name[ctx.locale], data: pickData("region", r.id) })),
      );
      kb.text(ctx.t("apply.place.share_location"), pickData("region", "loc")).row();
      const lead = view.lead ? `${ctx.t(`apply.place.${view.lead}`, { query: view.query ?? "" })}\n\n` : "";
      return { text: lead + ctx.t("apply.place.region_q"), keyboard: withNav(kb, ctx) };
    };
    return drawnWhenShown(
      {
        step: "region",
        accept: { text: true, location: true },
        pick: REGION_PICK,
        offered: ([a, b]) =>
          a === "loc" || (b === undefined ? regions.some((r) => r.id === a) : view.found.some((f) => f.id === b)),
        hint: "apply.hints.buttons_or_text",
      },
      draw,
    );
  },
  async answer({ ctx, view }, reply) {
    const db = ctx.deps.db;
    const inSettlement = (regionId: string, settlementId: string, location?: { lat: number; lon: number }) =>
      ({ kind: "goto", step: "clinic", patch: { regionId, settlementId, location } }) as const;
    switch (reply.kind) {
      case "nav":
        return { kind: reply.to };
      case "pick": {
        const [head, id = ""] = reply.parts;
        if (head === "loc") {
          // An inline button cannot ask for a location: a reply keyboard button can.
          await ctx.reply(ctx.t("apply.place.share_hint"), { reply_markup: locationKeyboard(ctx) });
          return { kind: "again", view };
        }
        if (head === "s") {
          const s = await settlementOf(ctx.deps, id);
          return s ? inSettlement(s.regionId, s.id) : { kind: "again", view };
        }
        const regionId = head ?? "";
        // Cities of republican significance are one settlement: no second question.
        const page = await settlementsPage(ctx, regionId, { pageSize: 2 });
        const only = page.total === 1 ? page.items[0]?.id : undefined;
        if (only) return inSettlement(regionId, only);
        return { kind: "next", patch: { regionId, settlementId: undefined } };
      }
      case "location": {
        const near = await settlementNear(db, reply.lat, reply.lon);
        if (!near) return { kind: "again", view: { ...view, lead: "location_unknown" } satisfies RegionView };
        await ctx.reply(ctx.t("apply.place.by_location", { settlement: near.name[ctx.locale] }), {
          reply_markup: { remove_keyboard: true },
        });
        return inSettlement(near.regionId, near.settlementId, { lat: reply.lat, lon: reply.lon });
      }
      case "text": {
        const query = reply.text;
        const hits = await searchSettlements(db, query, 6);
        const [only] = hits;
        if (hits.length === 1 && only) return inSettlement(only.regionId, only.id);
        const found = hits.map((s) => ({ id: s.id, name: s.name }));
        const lead = hits.length ? ("found_several" as const) : ("not_found" as const);
        return { kind: "again", view: { lead, query, found } };
      }
      default:
        return { kind: "again", view };
    }
  },
});

const SETTLEMENT_VIEW = z.object({
  page: z.number().int().min(0).max(999).default(0),
  /** The page came from a "more" press: redrawn in that message. */
  paged: z.boolean().default(false),
  notFound: z.string().max(200).optional(),
});

/** Settlements of the chosen region, paged, or typed. */
export const settlementStep = defineStep({
  view: SETTLEMENT_VIEW,
  async question({ ctx, draft, view }) {
    const regionId = draft.regionId ?? "";
    const region = (await regionsOnce(ctx)).find((r) => r.id === regionId);
    const { page } = view;
    const { items, total } = await settlementsPage(ctx, regionId, { page, pageSize: PAGE });
    const draw = () => {
      const kb = twoColumns(
        new InlineKeyboard(),
        items.map((s) => ({ label: s.name[ctx.locale], data: pickData("settlement", s.id) })),
      );
      if (page > 0) kb.text(ctx.t("apply.place.prev"), pickData("settlement", "p", page - 1));
      if ((page + 1) * PAGE < total) kb.text(ctx.t("apply.place.more"), pickData("settlement", "p", page + 1));
      const notFound = view.notFound;
      const lead = notFound !== undefined ? `${ctx.t("apply.place.not_found", { query: notFound })}\n\n` : "";
      const question = ctx.t("apply.place.settlement_q", { region: region?.name[ctx.locale] ?? "" });
      return { text: lead + question, keyboard: withNav(kb, ctx) };
    };
    return drawnWhenShown(
      {
        step: "settlement",
        accept: { text: true },
        // Only the settlements of this page: an id from elsewhere is forged or stale.
        pick: SETTLEMENT_PICK,
        offered: ([a, b]) => b !== undefined || items.some((s) => s.id === a),
        hint: "apply.hints.buttons_or_text",
        inPlace: view.paged,
      },
      draw,
    );
  },
  async answer({ ctx, draft, view }, reply) {
    if (reply.kind === "nav") return { kind: reply.to };
    if (reply.kind === "pick" && reply.parts[0] === "p")
      return { kind: "again", view: { page: Number(reply.parts[1]), paged: true } };
    const { page } = view;
    const db = ctx.deps.db;
    const query = reply.kind === "text" ? reply.text : null;
    const id = reply.kind === "pick" ? (reply.parts[0] ?? "") : null;
    let hit;
    if (id !== null) hit = await settlementOf(ctx.deps, id);
    else {
      const hits = (await searchSettlements(db, query ?? "", 20)).filter((s) => s.regionId === draft.regionId);
      hit = hits.length === 1 ? hits[0] : undefined;
    }
    if (hit) return { kind: "next", patch: { settlementId: hit.id, regionId: hit.regionId, location: undefined } };
    return { kind: "again", view: { page, paged: false, notFound: query ?? undefined } };
  },
});
