import { Composer, InlineKeyboard } from "grammy";
import { documentsAskedBy } from "../../../data/repositories/audit.js";
import { documentsReceived, requestAwaitingDocuments } from "../../../data/repositories/decisions.js";
import { addDocuments, type RequestRow } from "../../../data/repositories/requests.js";
import { DecisionSchema, DocumentCodeSchema } from "../../../rules/index.js";
import { getUser } from "../../../data/repositories/users.js";
import type { BotContext } from "../../context.js";
import { userLocale } from "../../i18n.js";
import { cardCb } from "./callbacks.js";
import { ensureConsent } from "../../ui/consent.js";
import { noConversation } from "../../ui/conversation-state.js";
import { isAcceptedDocument } from "../../application/upload-rules.js";

/** Pages sent together after the first one still belong to the request that asked for them. */
const GRACE_MS = 15 * 60_000;

/** The document asked for by a reviewer (stored as the note), else the first one the rules found missing. */
function askedKind(r: RequestRow): string {
  const asked = DocumentCodeSchema.safeParse(r.reject_note);
  if (asked.success) return asked.data;
  try {
    const d = DecisionSchema.safeParse(JSON.parse(r.outcome_at_submission));
    if (d.success && d.data.missingDocuments[0]) return d.data.missingDocuments[0];
  } catch {
    // An unreadable stored outcome only loses the label.
  }
  return "document";
}

/**
 * The reviewer who asked for the document learns it came, in their language, with the card one tap away (still
 * only if they may review it now: the card checks the role and scope again when opened).
 */
async function tellAsker(ctx: BotContext, r: RequestRow): Promise<void> {
  const asker = await documentsAskedBy(ctx.deps.db, r.id);
  if (asker === null || asker === r.user_id) return;
  const user = await getUser(ctx.deps.db, asker);
  const t = ctx.deps.i18n.t(userLocale(user));
  const kb = new InlineKeyboard().text(t("staff.upload.open_card"), cardCb.data("open", r.id));
  await ctx.api
    .sendMessage(asker, t("staff.upload.received_for_staff", { number: r.number }), {
      parse_mode: "HTML",
      reply_markup: kb,
    })
    .catch((err: unknown) => {
      ctx.deps.log.warn(
        { request_id: r.id, error: err instanceof Error ? err.name : "unknown" },
        "reviewer not told of documents",
      );
    });
}

/**
 * A file from an applicant whose request waits for documents (outside the application flow, which takes its own
 * files): attached to that request, which goes back to the queue. Nobody else is notified.
 */
export const uploadHandlers = new Composer<BotContext>();

uploadHandlers
  .chatType("private")
  .on(["message:photo", "message:document"])
  .filter(noConversation, async (ctx, next) => {
    const now = ctx.deps.clock.now();
    const r = await requestAwaitingDocuments(
      ctx.deps.db,
      ctx.from.id,
      new Date(now.getTime() - GRACE_MS).toISOString(),
    );
    if (!r) return next();
    const at = now.toISOString();
    const doc = ctx.message.document;
    const photo = ctx.message.photo?.at(-1); // the largest size
    if (doc && !isAcceptedDocument(doc.mime_type, doc.file_size, doc.file_name)) {
      await ctx.reply(ctx.t("staff.upload.bad_file"));
      return;
    }
    const file = doc ?? photo;
    if (!file) return next();
    // A document is personal data: kept only under consent to the current notice (asked again when it changed).
    if (!(await ensureConsent(ctx, { kind: "upload" }))) return;
    await addDocuments(ctx.deps.db, r.id, [
      {
        kind: askedKind(r),
        file_id: file.file_id,
        file_unique_id: file.file_unique_id,
        mime_type: doc ? (doc.mime_type ?? null) : "image/jpeg",
        file_size: file.file_size ?? null,
        file_name: doc ? (doc.file_name ?? null) : null,
        added_at: at,
      },
    ]);
    const back = await documentsReceived(ctx.deps.db, r.id, ctx.from.id, at);
    await ctx.reply(ctx.t(back ? "staff.upload.thanks" : "staff.upload.more", { number: r.number }), {
      parse_mode: "HTML",
    });
    if (back) await tellAsker(ctx, r);
  });

// Anything else (a sticker, a typed question) while a reviewer waits for a document: say what is awaited, not
// "I did not understand". Forwards stay with the staff feature; commands with their handlers.
uploadHandlers
  .chatType("private")
  .on("message")
  .filter(
    (ctx) =>
      !ctx.message.photo &&
      !ctx.message.document &&
      !ctx.message.text?.startsWith("/") &&
      ctx.message.forward_origin === undefined,
    async (ctx, next) => {
      if (!(await noConversation(ctx))) return next();
      const r = await requestAwaitingDocuments(ctx.deps.db, ctx.from.id, ctx.deps.clock.now().toISOString());
      if (r?.status !== "needs_documents") return next();
      const kind = askedKind(r);
      const document = kind === "document" ? ctx.t("staff.notify.any_document") : ctx.t(`rules.documents.${kind}`);
      await ctx.reply(ctx.t("staff.upload.reminder", { number: r.number, document }), { parse_mode: "HTML" });
    },
  );
