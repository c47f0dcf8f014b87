import { Composer } from "grammy";
import { audit } from "../../../data/repositories/audit.js";
import { listDocuments } from "../../../data/repositories/requests.js";
import type { StaffMember } from "../../../data/repositories/staff.js";
import { DocumentCodeSchema } from "../../../rules/index.js";
import type { BotContext } from "../../context.js";
import { cardCb, queueCb } from "./callbacks.js";
import { renderCard } from "./card.js";
import { decisionAction } from "./decide.js";
import { nowIso, requestForReview, REVIEWERS, staffButton, staffCommand } from "../../access.js";
import { showQueue } from "./queue.js";

export const reviewHandlers = new Composer<BotContext>();
const pm = reviewHandlers.chatType("private");

pm.command(
  "queue",
  staffCommand(REVIEWERS, (ctx, member) => showQueue(ctx, member, 0, false)),
);

pm.callbackQuery(
  queueCb.filter,
  staffButton(REVIEWERS, async (ctx, member) => {
    const parsed = queueCb.parse(ctx.callbackQuery.data);
    await ctx.answerCallbackQuery(parsed ? undefined : { text: ctx.t("common.stale_button") });
    await showQueue(ctx, member, parsed?.[0] ?? 0, true);
  }),
);

/** Opens a card as a new message (from a list) or in place (back from a menu, after "show IIN"). */
export async function openCard(
  ctx: BotContext,
  member: StaffMember,
  id: number,
  opts: { edit: boolean; showIin?: boolean },
): Promise<void> {
  const r = await requestForReview(ctx, member, id);
  if (!r) return;
  if (ctx.callbackQuery) await ctx.answerCallbackQuery();
  // Opening a card shows personal data: the access itself is recorded.
  await audit(
    ctx.deps.db,
    { actorId: member.userId, action: opts.showIin ? "show_iin" : "view", requestId: r.id },
    nowIso(ctx),
  );
  const applicant = await ctx.deps.applicants.contact(ctx.api, r.user_id, ctx.deps.clock.now().getTime());
  const card = await renderCard(ctx, r, { showIin: opts.showIin, applicant });
  const send = { parse_mode: "HTML" as const, reply_markup: card.keyboard };
  if (opts.edit) await ctx.editMessageText(card.text, send).catch(() => ctx.reply(card.text, send));
  else await ctx.reply(card.text, send);
}

/** The stored files sent back into the chat by file_id: photos as photos, the rest as documents. */
async function sendFiles(ctx: BotContext, member: StaffMember, id: number): Promise<void> {
  const r = await requestForReview(ctx, member, id);
  if (!r) return;
  await ctx.answerCallbackQuery();
  const docs = await listDocuments(ctx.deps.db, r.id);
  await audit(
    ctx.deps.db,
    { actorId: member.userId, action: "view_documents", requestId: r.id, details: { files: docs.length } },
    nowIso(ctx),
  );
  if (docs.length === 0) return void (await ctx.reply(ctx.t("staff.files.none")));
  for (const d of docs) {
    const known = DocumentCodeSchema.safeParse(d.kind);
    const caption = ctx.t("staff.files.caption", {
      number: r.number,
      kind: known.success ? ctx.t(`rules.documents.${known.data}`) : d.kind,
    });
    const isPhoto = d.mime_type === "image/jpeg" && d.file_name === null;
    if (isPhoto) await ctx.replyWithPhoto(d.file_id, { caption });
    else await ctx.replyWithDocument(d.file_id, { caption });
  }
}

pm.callbackQuery(
  cardCb.filter,
  staffButton(REVIEWERS, async (ctx, member) => {
    const parsed = cardCb.parse(ctx.callbackQuery.data);
    if (!parsed) return void (await ctx.answerCallbackQuery({ text: ctx.t("common.stale_button") }));
    const [action, id] = parsed;
    switch (action) {
      case "open":
        // From a list: a new message, so the list stays.
        return openCard(ctx, member, id, { edit: false });
      case "back":
        return openCard(ctx, member, id, { edit: true });
      case "iin":
        return openCard(ctx, member, id, { edit: true, showIin: true });
      case "files":
        return sendFiles(ctx, member, id);
      case "queue":
        await ctx.answerCallbackQuery();
        return showQueue(ctx, member, 0, false);
      default:
        return decisionAction(ctx, member, action, id);
    }
  }),
);
