import { Composer, InlineKeyboard, Keyboard } from "grammy";
import { z } from "zod";
import { getClinic, nearestClinics, searchClinics, type Clinic } from "../../../data/repositories/clinics.js";
import { callbackCodec } from "../../callback-data.js";
import type { BotContext } from "../../context.js";
import type { Feature } from "../../feature.js";
import { noConversation } from "../../ui/conversation-state.js";
import { applyForClinicCb } from "../apply/index.js";
import { menuCb } from "../../ui/menu.js";
import { clinicCardText, clinicCheckNow, clinicName, clinicProblems } from "../../ui/clinic-card.js";

const NEAREST = 5;
const clinicCb = callbackCodec("cl", [z.string().regex(/^[\w-]{1,40}$/)]);

function locationKeyboard(ctx: BotContext): Keyboard {
  return new Keyboard().requestLocation(ctx.t("apply.place.share_location")).resized().oneTime();
}

/** "Clinics near me": outside the application, anyone may look; choosing is done in /apply. */
async function askLocation(ctx: BotContext): Promise<void> {
  await ctx.reply(ctx.t("clinics.ask_location"), { reply_markup: locationKeyboard(ctx) });
}

/** ⛔ marks exactly the clinics whose card gives a reason (the rules' clinic checks, R3–R7). */
async function listKeyboard(
  ctx: BotContext,
  clinics: (Clinic & { distanceMeters?: number })[],
): Promise<InlineKeyboard> {
  const check = await clinicCheckNow(ctx);
  const kb = new InlineKeyboard();
  for (const c of clinics) {
    const km = c.distanceMeters !== undefined ? ` · ${(c.distanceMeters / 1000).toFixed(1)} км` : "";
    const mark = clinicProblems(c, check).length ? "⛔ " : "";
    // The town too: "Городская поликлиника №42" stands in several of them.
    kb.text(`${mark}${clinicName(ctx, c)} · ${c.settlementName[ctx.locale]}${km}`, clinicCb.data(c.id)).row();
  }
  return kb;
}

const clinics = new Composer<BotContext>();
const pm = clinics.chatType("private");

/** Clinics by part of a name or address; false when none matched. */
async function showFound(ctx: BotContext, query: string): Promise<boolean> {
  const found = await searchClinics(ctx.deps.db, query, { limit: 8, locale: ctx.locale });
  if (found.length === 0) return false;
  // The query goes in as a variable: i18next escapes it for HTML, once.
  await ctx.reply(ctx.t("clinics.found", { query }), {
    parse_mode: "HTML",
    reply_markup: await listKeyboard(ctx, found),
  });
  return true;
}

pm.command("clinics", async (ctx) => {
  const query = ctx.match.trim();
  if (!query) return askLocation(ctx);
  if (!(await showFound(ctx, query))) await ctx.reply(ctx.t("clinics.none_found", { query }), { parse_mode: "HTML" });
});

// Outside any flow, plain text that names a clinic or a street (as /clinics asks: "Абая") finds it; anything else
// goes on to the fallback's hint. Forwards stay with the staff feature (adding a member by a forwarded message).
pm.on("message:text").filter(
  (ctx) =>
    !ctx.message.text.startsWith("/") &&
    ctx.message.forward_origin === undefined &&
    ctx.message.text.trim().length >= 2 &&
    ctx.message.text.length <= 100,
  async (ctx, next) => {
    if (!(await noConversation(ctx)) || !(await showFound(ctx, ctx.message.text.trim()))) await next();
  },
);

pm.callbackQuery(menuCb.data("clinics"), async (ctx) => {
  await ctx.answerCallbackQuery();
  await askLocation(ctx);
});

pm.on("message:location").filter(noConversation, async (ctx) => {
  const { latitude: lat, longitude: lon } = ctx.message.location;
  const near = await nearestClinics(ctx.deps.db, { lat, lon }, NEAREST);
  await ctx.reply(ctx.t("clinics.nearest", { count: near.length }), { reply_markup: { remove_keyboard: true } });
  if (near.length) await ctx.reply(ctx.t("clinics.pick"), { reply_markup: await listKeyboard(ctx, near) });
});

pm.callbackQuery(clinicCb.filter, async (ctx) => {
  const id = clinicCb.parse(ctx.callbackQuery.data)?.[0];
  const clinic = id ? await getClinic(ctx.deps.db, id) : undefined;
  if (!clinic) return void (await ctx.answerCallbackQuery({ text: ctx.t("common.stale_button") }));
  await ctx.answerCallbackQuery();
  const text = clinicCardText(ctx, clinic, clinicProblems(clinic, await clinicCheckNow(ctx)));
  // "Apply" from a card carries the clinic: the application offers it first.
  await ctx.reply(text, {
    parse_mode: "HTML",
    reply_markup: new InlineKeyboard().text(ctx.t("menu.apply"), applyForClinicCb.data("clinic", clinic.id)),
  });
});

export const clinicsFeature: Feature = {
  name: "clinics",
  handlers: () => clinics,
  commands: [{ command: "clinics", menu: 5 }],
  callbacks: [clinicCb],
};
