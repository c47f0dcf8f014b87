import { InlineKeyboard, InputFile } from "grammy";
import { z } from "zod";
import { audit } from "../../../data/repositories/audit.js";
import { consentKey, knownConsent } from "../../../data/repositories/consents.js";
import { deleteDraft, loadDraft } from "../../../data/repositories/drafts.js";
import { erasePerson, personalData } from "../../../data/repositories/personal-data.js";
import { listUserRequests } from "../../../data/repositories/requests.js";
import { almatyDate } from "../../../rules/index.js";
import { parseDraft } from "../../application/draft.js";
import { callbackCodec } from "../../callback-data.js";
import type { BotContext } from "../../context.js";
import { noticeText, noticeVersion } from "../../ui/consent.js";
import { replyLong } from "../../ui/long-text.js";

/** The /privacy screen's buttons (the consent question's share the prefix, told apart by their first part). */
export const privacyCb = callbackCodec("pv", [z.enum(["copy", "erase", "erase_yes", "erase_no", "notice"])]);

/** What the bot holds about the person, in words, with the three things they may do. */
export async function showPrivacy(ctx: BotContext): Promise<void> {
  if (!ctx.from) return;
  const { t } = ctx;
  const userId = ctx.from.id;
  const [consent, version, saved, requests] = await Promise.all([
    knownConsent(ctx.deps.db, userId, ctx.deps.uow),
    noticeVersion(ctx.deps),
    loadDraft(ctx.deps, userId),
    listUserRequests(ctx.deps.db, userId, 50),
  ]);
  const user = ctx.user;
  const lines = [t("privacy.menu.title"), t("privacy.menu.intro")];
  lines.push(
    user?.language
      ? t("privacy.menu.language", { language: t(`privacy.languages.${user.language}`) })
      : t("privacy.menu.language_none"),
  );
  lines.push(t(user && user.subscribed === 0 ? "privacy.menu.unsubscribed" : "privacy.menu.subscribed"));
  if (!consent) lines.push(t("privacy.menu.consent_none"));
  else
    lines.push(
      t(consent.version === version ? "privacy.menu.consent" : "privacy.menu.consent_old", {
        date: consent.given_at,
      }),
    );
  if (saved) {
    const step = parseDraft(saved.data).step;
    lines.push(t("privacy.menu.draft", { step: t(`apply.step_names.${step}`), date: saved.updatedAt }));
  } else lines.push(t("privacy.menu.draft_none"));
  if (requests.length === 0) lines.push(t("privacy.menu.requests_none"));
  else {
    const list = requests
      .map((r) =>
        t(r.erased_at ? "privacy.menu.erased_item" : "privacy.menu.request_item", {
          number: r.number,
          status: t(`requests.status.${r.status}`),
        }),
      )
      .join("; ");
    lines.push(t("privacy.menu.requests", { count: requests.length, list }));
  }
  lines.push("", t("privacy.menu.storage"));
  const kb = new InlineKeyboard()
    .text(t("privacy.buttons.copy"), privacyCb.data("copy"))
    .row()
    .text(t("privacy.buttons.erase"), privacyCb.data("erase"))
    .row()
    .text(t("privacy.buttons.notice"), privacyCb.data("notice"));
  await replyLong(ctx, lines.join("\n"), { reply_markup: kb });
}

/** "Send me my data": a JSON file of everything stored about the person, nobody else's; the copy is audited first. */
export async function sendCopy(ctx: BotContext): Promise<void> {
  if (!ctx.from) return;
  const now = ctx.deps.clock.now();
  const at = now.toISOString();
  await audit(ctx.deps.db, { actorId: ctx.from.id, action: "privacy_copy" }, at);
  const copy = await personalData(ctx.deps, ctx.from.id, at);
  const body = Buffer.from(`${JSON.stringify(copy, null, 2)}\n`, "utf8");
  const day = almatyDate(now);
  await ctx.replyWithDocument(new InputFile(body, `emhana-my-data-${day}.json`), {
    caption: ctx.t("privacy.copy.caption", { date: day }),
  });
}

export async function showNotice(ctx: BotContext): Promise<void> {
  await ctx.reply(await noticeText(ctx.deps, ctx.locale), { parse_mode: "HTML" });
}

/** "Withdraw consent and delete", asked once more with what it does and what the retention keeps. */
export async function confirmErase(ctx: BotContext): Promise<void> {
  const policy = await ctx.deps.rules.policyFor(ctx.deps.clock.now());
  const kb = new InlineKeyboard()
    .text(ctx.t("privacy.erase.yes"), privacyCb.data("erase_yes"))
    .text(ctx.t("privacy.erase.no"), privacyCb.data("erase_no"));
  await ctx.reply(
    ctx.t("privacy.erase.confirm", { years: ctx.t("privacy.period.years", { count: policy.retention.requestYears }) }),
    { parse_mode: "HTML", reply_markup: kb },
  );
}

export async function erase(ctx: BotContext): Promise<void> {
  if (!ctx.from) return;
  // A flow in progress holds typed answers in its state: it ends now, and its stored state goes with the rest.
  await ctx.conversation.exitAll();
  // The update's own buffered draft becomes a delete too, so its end-of-update commit cannot write the draft back.
  await deleteDraft(ctx.deps, ctx.from.id);
  const result = await erasePerson(ctx.deps.db, ctx.from.id, ctx.deps.clock.now().toISOString());
  // The consent went with the rest: nothing later in this update may take it as given.
  ctx.deps.uow?.remember(consentKey(ctx.from.id), undefined);
  ctx.deps.applicants.forget(ctx.from.id);
  const lines = [ctx.t("privacy.erase.done")];
  if (result.withdrawn.length) lines.push(ctx.t("privacy.erase.withdrawn", { list: result.withdrawn.join(", ") }));
  if (result.kept.length) lines.push(ctx.t("privacy.erase.kept", { list: result.kept.join(", ") }));
  lines.push(ctx.t("privacy.erase.after"));
  await replyLong(ctx, lines.join("\n\n"));
}
