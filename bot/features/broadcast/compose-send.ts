import { InlineKeyboard } from "grammy";
import type { MessageEntity } from "grammy/types";
import { audit } from "../../../data/repositories/audit.js";
import { countAudienceByLanguage, createBroadcast, deleteComposeDraft } from "../../../data/repositories/broadcasts.js";
import type { BaseContext } from "../../context.js";
import { formatInstant } from "../../format.js";
import { BROADCASTERS, holdsRole } from "../../access.js";
import { describeAudience } from "./audience.js";
import {
  ask,
  cancel,
  goCb,
  navigate,
  navOf,
  navRow,
  pick,
  type ComposeConversation,
  type Step,
  type StepResult,
} from "./compose-ask.js";
import { languagesOf, missingText, previousStep, stepOf, type Draft, type Lang } from "./compose-draft.js";
import { withFooter } from "./message.js";
import { isQuietHour } from "./quiet-hours.js";
import { campaignWindow } from "./reminders.js";

// The last step of /broadcast: the previews, the count by language, and the broadcast created from the draft.

type Created = { id: number; total: number } | "forbidden" | "incomplete";

/** Creates the broadcast if the author may still broadcast; plain JSON for the replay log. */
function create(conversation: ComposeConversation, draft: Draft, sendAt: string | null) {
  return conversation.external(async (o): Promise<Created> => {
    const from = o.from?.id ?? 0;
    const audience = draft.audience;
    if (!audience || missingText(o.deps.i18n, draft)) return "incomplete";
    if (!(await holdsRole(o.deps, from, BROADCASTERS))) return "forbidden";
    // Only the texts its audience reads are stored: the sender falls back to the one there is (see languageFor).
    const langs = languagesOf(audience);
    const text = (l: Lang) => (langs.includes(l) ? (draft[l] ?? null) : null);
    const now = o.deps.clock.now();
    const policy = await o.deps.rules.policyFor(now);
    const row = await createBroadcast(
      o.deps.db,
      {
        createdBy: from,
        at: now.toISOString(),
        sendAt: sendAt ?? now.toISOString(),
        audience,
        ru: text("ru"),
        kk: text("kk"),
        photoFileId: draft.photo,
      },
      campaignWindow(policy, now),
      now,
    );
    await audit(
      o.deps.db,
      {
        actorId: from,
        action: "broadcast_create",
        details: { broadcast: row.id, audience: audience.kind, recipients: row.total, scheduled: sendAt !== null },
      },
      now.toISOString(),
    );
    await deleteComposeDraft(o.deps.db, from);
    o.deps.broadcastWake.notify();
    return { id: row.id, total: row.total };
  });
}

/** Creates the broadcast (now, or at `sendAt`) and says so; the composition ends. */
export async function finish(
  conversation: ComposeConversation,
  ctx: BaseContext,
  draft: Draft,
  sendAt: string | null,
): Promise<StepResult> {
  const made = await create(conversation, draft, sendAt);
  if (made === "incomplete") return { ctx, draft: { ...draft, step: missingText(ctx.deps.i18n, draft) ?? "audience" } };
  if (made === "forbidden") await ctx.reply(ctx.t("broadcast.not_allowed"));
  else if (sendAt)
    await ctx.reply(
      ctx.t("broadcast.compose.created_scheduled", { id: made.id, count: made.total, when: formatInstant(sendAt) }),
    );
  else await ctx.reply(ctx.t("broadcast.compose.created_now", { id: made.id, count: made.total }));
  return { ctx, draft: null };
}

/** Each text the audience reads, as its people will see it (with the footer); one preview for one language. */
async function preview(ctx: BaseContext, draft: Draft): Promise<void> {
  for (const lang of languagesOf(draft.audience)) {
    const piece = draft[lang];
    if (!piece) continue;
    const out = withFooter(ctx.deps.i18n, lang, piece.text, piece.entities as MessageEntity[], draft.photo);
    await ctx.reply(ctx.t("broadcast.compose.preview_title", { language: ctx.t(`broadcast.compose.lang_${lang}`) }));
    if (out.photo) await ctx.replyWithPhoto(out.photo, { caption: out.text, caption_entities: out.entities });
    else await ctx.reply(out.text, { entities: out.entities });
  }
}

export const summaryStep: Step = async (conversation, ctx, draft) => {
  const audience = draft.audience;
  if (!audience) return { ctx, draft: { ...draft, step: "audience" } };
  const missing = missingText(ctx.deps.i18n, draft);
  if (missing) return { ctx, draft: { ...draft, step: missing } };
  const count = await conversation.external(async (o) => {
    const now = o.deps.clock.now();
    return countAudienceByLanguage(o.deps.db, audience, campaignWindow(await o.deps.rules.policyFor(now), now));
  });
  const total = count.ru + count.kk;
  if (total === 0) {
    await ctx.reply(ctx.t("broadcast.compose.empty"));
    return { ctx, draft: { ...draft, step: "audience" } };
  }
  await preview(ctx, draft);
  const kb = new InlineKeyboard()
    .text(ctx.t("broadcast.compose.send_now"), goCb.data("now"))
    .text(ctx.t("broadcast.compose.schedule"), goCb.data("later"))
    .row()
    .text(ctx.t("broadcast.compose.restart"), goCb.data("restart"));
  const text = ctx.t("broadcast.compose.summary", {
    ...stepOf(draft, "summary"),
    audience: describeAudience(ctx.t, audience),
    count: total,
    // Who gets which text; an audience by language reads one.
    split: languagesOf(audience).length > 1 ? ` ${ctx.t("broadcast.compose.summary_split", count)}` : "",
    photo: ctx.t(draft.photo ? "broadcast.compose.photo_yes" : "broadcast.compose.photo_no"),
    interpolation: { escapeValue: false },
  });
  const a = await ask(conversation, ctx, {
    text,
    keyboard: navRow(kb, ctx, "summary", true),
    accept: (c) => pick(goCb)(c)?.[0] ?? navOf(c, "summary", ["back"]),
    hint: (c) => c.t("broadcast.compose.pick_button"),
    repeat: true,
  });
  switch (a.value) {
    case "cancel":
      return cancel(a.ctx);
    case "back":
      return navigate("back", a.ctx, draft, previousStep(draft, "summary"));
    case "restart":
      return { ctx: a.ctx, draft: { step: "audience", photo: null } };
    case "later":
      return { ctx: a.ctx, draft: { ...draft, step: "when" } };
    case "now": {
      const night = await conversation.external((o) => isQuietHour(o.deps.clock.now().toISOString()));
      return night
        ? { ctx: a.ctx, draft: { ...draft, step: "night", sendAt: null } }
        : finish(conversation, a.ctx, draft, null);
    }
  }
};
