import type { BotContext } from "../../context.js";
import { declineConsent, giveConsent } from "../../../data/repositories/consents.js";
import { clinicConsentCb, consentCb, noticeVersion, type ConsentNext } from "../../ui/consent.js";
import { answeredBeside } from "../../ui/press.js";
import { applyForClinic, startApplication } from "../apply/index.js";

/** Agree or Decline on the notice: the answer stored with the notice's version (audited), then what it was asked for. */
export async function answerConsent(ctx: BotContext): Promise<boolean> {
  const data = ctx.callbackQuery?.data;
  const plain = consentCb.parse(data);
  const clinic = clinicConsentCb.parse(data);
  if (!ctx.from || (!plain && !clinic)) return false;
  const answer = plain?.[0] ?? clinic?.[0];
  const next: ConsentNext = clinic
    ? { kind: "clinic", clinicId: clinic[2], byLink: clinic[1] === "link" }
    : { kind: plain?.[1] ?? "apply" };
  await answeredBeside(ctx, () => recordAnswer(ctx, answer, next));
  return true;
}

/** The answer stored, then what it was asked for: the application, the clinic, or an upload's hint. */
async function recordAnswer(ctx: BotContext, answer: "yes" | "no" | undefined, next: ConsentNext): Promise<void> {
  if (!ctx.from) return;
  const at = ctx.deps.clock.now().toISOString();
  const version = await noticeVersion(ctx.deps);
  if (answer === "no") {
    await declineConsent(ctx.deps.db, ctx.from.id, version, at);
    await ctx.reply(ctx.t("privacy.consent.declined"), { parse_mode: "HTML" });
    return;
  }
  await giveConsent(ctx.deps.db, ctx.from.id, version, at, ctx.deps.uow);
  // The thanks opens what comes next (the application's first message), rather than a message of its own.
  const given = ctx.t("privacy.consent.given", { date: at });
  if (next.kind === "apply") await startApplication(ctx, given);
  else if (next.kind === "clinic") await applyForClinic(ctx, next.clinicId, next.byLink, given);
  else {
    await ctx.reply(given, { parse_mode: "HTML" });
    await ctx.reply(ctx.t("privacy.consent.upload_again"));
  }
}
