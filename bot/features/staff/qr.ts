import { Composer, InputFile } from "grammy";
import { getClinic } from "../../../data/repositories/clinics.js";
import { inScope, REVIEWERS, scopeOf, staffCommand } from "../../access.js";
import type { BotContext } from "../../context.js";
import { CLINIC_ID, clinicLink } from "../../deep-links.js";
import { qrPng } from "../../qr-code.js";

/**
 * /qr <clinic id>: the clinic's deep link as a QR picture for its lobby, with the link and the clinic's name in the
 * member's language. Admins may ask for any clinic, support only for one within their scope; a clinic that does not
 * exist and one out of scope get the same answer (a scope does not reveal what lies outside it).
 */
export const qrHandlers = new Composer<BotContext>();

qrHandlers.chatType("private").command(
  "qr",
  staffCommand(REVIEWERS, async (ctx, member) => {
    const id = ctx.match.trim();
    if (id === "" || /\s/.test(id)) return void (await ctx.reply(ctx.t("links.qr.usage"), { parse_mode: "HTML" }));
    const clinic = CLINIC_ID.test(id) ? await getClinic(ctx.deps.db, id) : undefined;
    if (!clinic || !inScope(scopeOf(member), { clinic_id: clinic.id, settlement_id: clinic.settlementId }))
      return void (await ctx.reply(ctx.t("links.qr.not_found", { id: id.slice(0, 64) }), { parse_mode: "HTML" }));
    if (!clinic.active)
      return void (await ctx.reply(ctx.t("links.qr.inactive", { name: clinic.name[ctx.locale] }), {
        parse_mode: "HTML",
      }));
    const link = clinicLink(ctx.me.username, clinic.id);
    const { png } = await qrPng(link);
    await ctx.replyWithPhoto(new InputFile(png, `qr-${clinic.id}.png`), {
      caption: ctx.t("links.qr.caption", {
        name: clip(clinic.name[ctx.locale]),
        settlement: clinic.settlementName[ctx.locale],
        address: clip(clinic.address[ctx.locale]),
        link,
      }),
      parse_mode: "HTML",
    });
  }),
);

/** A caption holds 1024 characters: a registry's longest name and address must leave room for the link. */
function clip(s: string): string {
  return s.length > CAPTION_FIELD ? `${s.slice(0, CAPTION_FIELD - 1)}…` : s;
}
const CAPTION_FIELD = 250;
