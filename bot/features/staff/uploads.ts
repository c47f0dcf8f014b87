import { Composer } from "grammy";
import { receiveDocument, requestAwaitingDocuments } from "../../../data/repositories/decisions.js";
import type { RequestRow } from "../../../data/repositories/requests.js";
import { DecisionSchema, DocumentCodeSchema } from "../../../rules/index.js";
import type { BotContext } from "../../context.js";
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
 * A file from an applicant whose request waits for documents (outside the application flow, which takes its own
 * files): attached to that request, which goes back to the queue. The acknowledgement, and the note to the reviewer
 * who asked for it, are queued in the outbox with the document (notices.ts renders them) and sent after the commit.
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
    const receipt = await receiveDocument(
      ctx.deps.db,
      r.id,
      ctx.from.id,
      {
        kind: askedKind(r),
        file_id: file.file_id,
        file_unique_id: file.file_unique_id,
        mime_type: doc ? (doc.mime_type ?? null) : "image/jpeg",
        file_size: file.file_size ?? null,
        file_name: doc ? (doc.file_name ?? null) : null,
        added_at: at,
      },
      at,
    );
    // Sent by the outbox worker; waiting for it keeps the acknowledgement before whatever this chat hears next.
    await ctx.deps.outbox.delivered(receipt.noticeIds);
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
