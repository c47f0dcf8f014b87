import { createHash } from "node:crypto";
import { InlineKeyboard } from "grammy";
import { z } from "zod";
import { knownConsent } from "../../data/repositories/consents.js";
import { getOperator } from "../../data/repositories/settings.js";
import { readShared } from "../../data/shared-reads.js";
import { almatyDate } from "../../rules/index.js";
import { callbackCodec } from "../callback-data.js";
import type { BaseContext, Deps } from "../context.js";
import { LOCALES, type Locale } from "../i18n.js";

/**
 * Consent before personal data (Law № 94-V): the notice, its version, and the question asked before the bot
 * collects anything (the application, a document sent later). The privacy feature answers the buttons.
 */

/** What agreeing leads to: the application, an application for a clinic chosen in /clinics, or a document again. */
export type ConsentNext =
  { kind: "apply" } | { kind: "upload" } | { kind: "clinic"; clinicId: string; byLink?: boolean };

export const consentCb = callbackCodec("pv", [z.enum(["yes", "no"]), z.enum(["apply", "upload"])]);
export const clinicConsentCb = callbackCodec("pv", [
  z.enum(["yes", "no"]),
  // "link": the clinic came from its own link, which the clinic step says.
  z.enum(["clinic", "link"]),
  z.string().regex(/^[\w-]{1,40}$/),
]);

type NoticeDeps = Pick<Deps, "db" | "i18n" | "rules" | "clock" | "uow" | "reads">;

/**
 * The notice in one language: the operator (the bot_operator setting) and the policy's retention in its text. The
 * same for everyone until the settings change or the year does (its policy), and shown to every new applicant.
 */
export function noticeText(deps: NoticeDeps, locale: Locale): Promise<string> {
  const year = almatyDate(deps.clock.now()).slice(0, 4);
  return readShared(deps, "settings", `notice:${locale}:${year}`, async () => {
    const t = deps.i18n.t(locale);
    const [operator, policy] = await Promise.all([getOperator(deps.db), deps.rules.policyFor(deps.clock.now())]);
    const r = policy.retention;
    return t("privacy.notice", {
      operator: operator?.[locale] ?? t("start.operator_unknown"),
      drafts: t("privacy.period.days", { count: r.draftDays }),
      documents: t("privacy.period.days", { count: r.documentDays }),
      requests: t("privacy.period.years", { count: r.requestYears }),
    });
  });
}

/**
 * The notice's version: a digest of its text in both languages as shown today. Any change (the wording, the
 * operator, the retention) makes a new version, and the next collection asks again.
 */
export function noticeVersion(deps: NoticeDeps): Promise<string> {
  // Asked several times by one update (/apply, the consent, entering the flow), and the same for everyone until the
  // settings change (the operator, the policy's retention) or the year does (its policy).
  const year = almatyDate(deps.clock.now()).slice(0, 4);
  return readShared(deps, "settings", `notice-version:${year}`, async () => {
    const texts = await Promise.all(LOCALES.map((l) => noticeText(deps, l)));
    return createHash("sha256").update(texts.join("\u0000")).digest("hex").slice(0, 12);
  });
}

export type ConsentState = "current" | "outdated" | "none";

export async function consentState(ctx: BaseContext): Promise<ConsentState> {
  if (!ctx.from) return "none";
  const stored = await knownConsent(ctx.deps.db, ctx.from.id, ctx.deps.uow);
  if (!stored) return "none";
  return stored.version === (await noticeVersion(ctx.deps)) ? "current" : "outdated";
}

function buttons(ctx: BaseContext, next: ConsentNext): InlineKeyboard {
  const data = (answer: "yes" | "no") =>
    next.kind === "clinic"
      ? clinicConsentCb.data(answer, next.byLink ? "link" : "clinic", next.clinicId)
      : consentCb.data(answer, next.kind);
  return new InlineKeyboard()
    .text(ctx.t("privacy.consent.agree"), data("yes"))
    .text(ctx.t("privacy.consent.decline"), data("no"));
}

/** Shows the notice with Agree / Decline; `outdated`: the person agreed to an earlier text, which is said. */
export async function askConsent(ctx: BaseContext, next: ConsentNext, state: ConsentState = "none"): Promise<void> {
  const lead = ctx.t(
    state === "outdated"
      ? "privacy.consent.changed"
      : next.kind === "upload"
        ? "privacy.consent.before_upload"
        : "privacy.consent.before",
  );
  await ctx.reply(`${lead}\n\n${await noticeText(ctx.deps, ctx.locale)}`, {
    parse_mode: "HTML",
    reply_markup: buttons(ctx, next),
  });
}

/** True when the person agreed to the current notice; otherwise the notice is shown and false returned. */
export async function ensureConsent(ctx: BaseContext, next: ConsentNext): Promise<boolean> {
  const state = await consentState(ctx);
  if (state === "current") return true;
  await askConsent(ctx, next, state);
  return false;
}
