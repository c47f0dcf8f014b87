import type { MiddlewareFn } from "grammy";
import { loadDraft } from "../../data/repositories/drafts.js";
import type { BaseContext } from "../context.js";

// ЭЦП keys of НУЦ РК come as .p12 files (AUTH_RSA…, GOSTKNCA…); .pfx, .jks, .key and certificate files are the
// other key stores people send when a fake "service" asks for them.
const KEY_FILE = /\.(p12|pfx|jks|key|pem|cer|crt|p7b)$/i;
const KEY_MIME = /pkcs12|x-pkcs|x509|pkix|pem-file|java-keystore/i;

export function looksLikeSigningKey(fileName: string | undefined, mime: string | undefined): boolean {
  return KEY_FILE.test(fileName ?? "") || KEY_MIME.test(mime ?? "");
}

/**
 * The bot never asks for ЭЦП keys: one sent anyway is taken out of the chat (a bot may delete a person's message in
 * a private chat) before any step sees it, never stored or passed on, and the person is told why. A waiting
 * question keeps waiting: the progress stays.
 */
export const guardSigningKeys: MiddlewareFn<BaseContext> = async (ctx, next) => {
  const doc = ctx.message?.document;
  if (!doc || ctx.chat?.type !== "private" || !looksLikeSigningKey(doc.file_name, doc.mime_type)) return next();
  const deleted = await ctx.deleteMessage().then(
    () => true,
    () => false,
  );
  // "Your answers are kept" only to someone with an application under way.
  const draft = ctx.from ? await loadDraft(ctx.deps, ctx.from.id) : undefined;
  const kept = draft ? ` ${ctx.t("common.answers_kept")}` : "";
  await ctx.reply(`${ctx.t(deleted ? "common.signing_key_deleted" : "common.signing_key")}${kept}`, {
    parse_mode: "HTML",
  });
};
