import { Composer } from "grammy";
import type { BotContext } from "../../context.js";
import type { Feature } from "../../feature.js";
import { answerConsent } from "./consent.js";
import { confirmErase, erase, privacyCb, sendCopy, showNotice, showPrivacy } from "./overview.js";

export { startRetentionWorker, type RetentionWorker } from "./retention.js";

/**
 * The person's rights over their data: /privacy (what is held, a copy, withdraw consent and delete), and the
 * answers to the consent question other features ask before collecting anything (bot/ui/consent.ts).
 */
const handlers = new Composer<BotContext>();
const pm = handlers.chatType("private");

pm.command("privacy", showPrivacy);

// Every pv button, valid or forged, is answered here.
pm.callbackQuery(/^pv(:|$)/, async (ctx) => {
  if (await answerConsent(ctx)) return;
  const parsed = privacyCb.parse(ctx.callbackQuery.data);
  if (!parsed) return void (await ctx.answerCallbackQuery({ text: ctx.t("common.stale_button") }));
  await ctx.answerCallbackQuery();
  const [action] = parsed;
  if (action === "copy") return sendCopy(ctx);
  if (action === "notice") return showNotice(ctx);
  if (action === "erase") return confirmErase(ctx);
  await ctx.editMessageReplyMarkup().catch(() => undefined);
  if (action === "erase_yes") return erase(ctx);
  await ctx.reply(ctx.t("privacy.erase.kept_as_is"));
});

export const privacyFeature: Feature = {
  name: "privacy",
  handlers: () => handlers,
  commands: [{ command: "privacy", menu: 11 }],
  callbacks: [privacyCb],
};
