import { Composer, InlineKeyboard } from "grammy";
import { z } from "zod";
import { loadDraft, saveDraft, type DraftRow } from "../../../data/repositories/drafts.js";
import { getClinic } from "../../../data/repositories/clinics.js";
import { getRequest } from "../../../data/repositories/requests.js";
import { callbackCodec, zId } from "../../callback-data.js";
import type { BotContext } from "../../context.js";
import type { Feature } from "../../feature.js";
import { checkIntro } from "../check/index.js";
import { ensureConsent } from "../../ui/consent.js";
import { menuCb } from "../../ui/menu.js";
import { stepOfData } from "./ask.js";
import { applyFlow, enterFlow, leaveFlow } from "./flow.js";
import { emptyDraft, hasProgress, parseDraft, type Draft } from "../../application/draft.js";
import { zPlaceId } from "./steps/place.js";
import { draftWithClinic } from "./switch-clinic.js";
import { othersButton } from "../../ui/conversation-state.js";

const resumeCb = callbackCodec("ap2", [z.enum(["go", "new"])]);
const childCb = callbackCodec("ap2", [z.literal("child"), zId]);
/** "Apply" on a clinic's card in /clinics: the application offers that clinic first. */
export const applyForClinicCb = callbackCodec("ap2", [z.literal("clinic"), zPlaceId]);
/** "Apply here" on the card a clinic's link opened: the same, and the clinic step says it came from the link. */
const applyByLinkCb = callbackCodec("ap2", [z.literal("link"), zPlaceId]);

const DAY_MS = 24 * 3600_000;
/** A flow left alone this long (by the bot's clock) has expired: the next message says so and offers the choice. */
export const FLOW_IDLE_MS = DAY_MS;

// `opening`: a line (HTML) to say first, in the message that follows (the consent just given).
async function enter(ctx: BotContext, opening?: string): Promise<void> {
  // Nothing personal is asked before the person agreed to the current notice.
  if (!(await ensureConsent(ctx, { kind: "apply" }))) return;
  // Re-entering restarts from the saved draft: the current question is asked again, and the idle time starts anew.
  await enterFlow(ctx, opening);
}

/** A fresh application opens with what is possible today (check first), in the first question's message. */
async function enterFresh(ctx: BotContext, opening?: string): Promise<void> {
  if (!(await ensureConsent(ctx, { kind: "apply" }))) return;
  const intro = await checkIntro(ctx);
  await enter(ctx, opening === undefined ? intro : `${opening}\n\n${intro}`);
}

/** "Continue where you stopped" or "start over", with the day and the step where the person stopped. */
async function offerResume(ctx: BotContext, saved: DraftRow, key: "apply.resume" | "apply.expired"): Promise<void> {
  const draft = parseDraft(saved.data);
  const kb = new InlineKeyboard()
    .text(ctx.t("apply.resume_continue"), resumeCb.data("go"))
    .text(ctx.t("apply.resume_restart"), resumeCb.data("new"));
  await ctx.reply(ctx.t(key, { date: saved.updatedAt, step: ctx.t(`apply.step_names.${draft.step}`) }), {
    reply_markup: kb,
  });
}

/**
 * /apply: consent to the current notice first (before any personal data); then a person with answers saved chooses
 * to continue or start over, and anyone else starts with today's check.
 */
export async function startApplication(ctx: BotContext, opening?: string): Promise<void> {
  if (!(await ensureConsent(ctx, { kind: "apply" }))) return;
  const saved = ctx.from ? await loadDraft(ctx.deps, ctx.from.id) : undefined;
  if (saved && hasProgress(parseDraft(saved.data))) {
    // The offer to continue is not a question the line can open.
    if (opening !== undefined) await ctx.reply(opening, { parse_mode: "HTML" });
    return offerResume(ctx, saved, "apply.resume");
  }
  await enterFresh(ctx, opening);
}

/** "Apply" on a clinic's card: the application, with that clinic offered first (after consent, as always). */
export async function applyForClinic(
  ctx: BotContext,
  clinicId: string,
  byLink = false,
  opening?: string,
): Promise<void> {
  if (!ctx.from || !(await ensureConsent(ctx, { kind: "clinic", clinicId, byLink }))) return;
  const saved = await loadDraft(ctx.deps, ctx.from.id);
  const draft = saved ? parseDraft(saved.data) : emptyDraft();
  await saveDraft(
    ctx.deps,
    ctx.from.id,
    { ...draft, preferredClinicId: clinicId, preferredByLink: byLink || undefined },
    ctx.deps.clock.now().toISOString(),
  );
  // Half an application already: continue it (the clinic will be offered) or start over, as /apply asks.
  if (saved && hasProgress(draft)) return startApplication(ctx, opening);
  return enterFresh(ctx, opening);
}

function isApplyRequest(ctx: BotContext): boolean {
  const text = ctx.message?.text ?? "";
  return /^\/apply(@\w+)?(\s|$)/.test(text) || ctx.callbackQuery?.data === menuCb.data("apply");
}

/**
 * Runs before the flow: a flow idle for longer than FLOW_IDLE_MS ends at the person's next update, which is told so
 * and offered to continue or start over (the answers are kept). Idle time goes by the bot's clock, like the draft's
 * age.
 */
function expireIdleFlow() {
  return async (ctx: BotContext, next: () => Promise<void>): Promise<void> => {
    // Only what a person sends counts as coming back (not an edit, not a block or unblock).
    const sent = ctx.message !== undefined || ctx.callbackQuery !== undefined;
    if (!sent || ctx.chat?.type !== "private" || !ctx.from) return next();
    const saved = await loadDraft(ctx.deps, ctx.from.id);
    if (!saved || !parseDraft(saved.data).active) return next();
    if (ctx.deps.clock.now().getTime() - Date.parse(saved.updatedAt) <= FLOW_IDLE_MS) return next();
    // The draft keeps its age: the offer says when the person stopped.
    await leaveFlow(ctx, saved.updatedAt);
    // /apply makes the same offer itself.
    if (isApplyRequest(ctx)) return next();
    const others = othersButton(ctx);
    if (ctx.callbackQuery && !others)
      await ctx.answerCallbackQuery({ text: ctx.t("apply.expired_short") }).catch(() => undefined);
    await offerResume(ctx, saved, "apply.expired");
    // Commands and other features' buttons still do what they say; an answer to the old question does not count.
    if (others || ctx.message?.text?.startsWith("/")) return next();
  };
}

/** A prefilled draft for the next child: the same place, clinic and ground; the IIN first, then the summary. */
function nextChildDraft(req: {
  applicant_category: string;
  region_id: string;
  settlement_id: string;
  clinic_id: string;
  ground: string;
  residence_kind: string;
}): Draft {
  return parseDraft({
    ...emptyDraft(),
    step: "iin",
    // Like an edit of the IIN: the summary next, through the birth certificate the new child needs (R11).
    returnToSummary: true,
    editFrom: "iin",
    forChild: true,
    category: req.applicant_category,
    regionId: req.region_id,
    settlementId: req.settlement_id,
    clinicId: req.clinic_id,
    ground: req.ground,
    residenceKind: req.residence_kind,
  });
}

const handlers = new Composer<BotContext>();
const pm = handlers.chatType("private");

pm.command("apply", (ctx) => startApplication(ctx));
pm.callbackQuery(menuCb.data("apply"), async (ctx) => {
  await ctx.answerCallbackQuery();
  await startApplication(ctx);
});

// Every ap2 button, valid or forged, is answered here.
pm.callbackQuery(resumeCb.filter, async (ctx) => {
  const data = ctx.callbackQuery.data;
  const resume = resumeCb.parse(data);
  const child = childCb.parse(data);
  const forClinic = applyForClinicCb.parse(data) ?? applyByLinkCb.parse(data);
  if (forClinic) {
    await ctx.answerCallbackQuery();
    return applyForClinic(ctx, forClinic[1], forClinic[0] === "link");
  }
  if (resume) {
    await ctx.answerCallbackQuery();
    await ctx.editMessageReplyMarkup().catch(() => undefined);
    if (resume[0] === "go") {
      // An old offer pressed after the draft was submitted or cancelled: say so rather than start at step 1 mutely.
      const saved = await loadDraft(ctx.deps, ctx.from.id);
      if (saved && hasProgress(parseDraft(saved.data))) return enter(ctx);
      await ctx.reply(ctx.t("apply.nothing_to_resume"));
      return enterFresh(ctx);
    }
    // Starting over keeps a clinic chosen from /clinics or by its link: it is still the one the person wants.
    const { preferredClinicId, preferredByLink } = parseDraft((await loadDraft(ctx.deps, ctx.from.id))?.data ?? null);
    await saveDraft(
      ctx.deps,
      ctx.from.id,
      { ...emptyDraft(), preferredClinicId, preferredByLink },
      ctx.deps.clock.now().toISOString(),
    );
    return enterFresh(ctx);
  }
  const req = child ? await getRequest(ctx.deps.db, child[1]) : undefined;
  if (!req || req.user_id !== ctx.from.id)
    return void (await ctx.answerCallbackQuery({ text: ctx.t("common.stale_button") }));
  await ctx.answerCallbackQuery();
  // Consent withdrawn since (the request kept under retention): asked again before anything is stored.
  if (!(await ensureConsent(ctx, { kind: "apply" }))) return;
  await saveDraft(ctx.deps, ctx.from.id, nextChildDraft(req), ctx.deps.clock.now().toISOString());
  await enter(ctx);
});

/**
 * A button of the flow when the flow does not wait (ended, cancelled or expired; while it waits it answers every
 * press itself): a press of the draft's current step resumes the flow from the draft, any other is stale.
 */
pm.callbackQuery(/^a:/, async (ctx) => {
  const saved = await loadDraft(ctx.deps, ctx.from.id);
  const draft = saved ? parseDraft(saved.data) : undefined;
  if (draft?.active) return;
  const current = draft?.step === stepOfData(ctx.callbackQuery.data);
  await ctx.answerCallbackQuery(current ? undefined : { text: ctx.t("common.stale_button") }).catch(() => undefined);
  if (current) await enter(ctx);
});

/** /cancel's part: the application stops waiting, its answers kept; false when it was not waiting. */
export const leaveApplication = leaveFlow;

/** /apply's own start (continue or start over, else a fresh application), for a link that asks to apply. */
/** Whether a clinic id fits an application (ids of the directory longer than that cannot be chosen in the flow). */
export function isApplicableClinicId(clinicId: string): boolean {
  return zPlaceId.safeParse(clinicId).success;
}

/** "Apply here" under a clinic's link: the application offers it first; an id the flow cannot hold opens /apply. */
export function applyByLinkData(clinicId: string): string {
  return isApplicableClinicId(clinicId) ? applyByLinkCb.data("link", clinicId) : menuCb.data("apply");
}

/** Back to the application where the person stopped (its current question asked again), or /apply's start. */
export async function resumeApplication(ctx: BotContext): Promise<void> {
  const saved = ctx.from ? await loadDraft(ctx.deps, ctx.from.id) : undefined;
  if (saved && hasProgress(parseDraft(saved.data))) return enter(ctx);
  return startApplication(ctx);
}

/**
 * Mid-application, the person chose another clinic by its link: the draft takes it (or offers it first at the clinic
 * step, which explains why when it cannot take it) and keeps every other answer; the flow goes on where it was.
 */
export async function switchApplicationClinic(ctx: BotContext, clinicId: string): Promise<void> {
  if (!ctx.from) return;
  const now = ctx.deps.clock.now().toISOString();
  const clinic = await getClinic(ctx.deps.db, clinicId);
  if (!clinic) return void (await ctx.reply(ctx.t("common.stale_button")));
  const saved = await loadDraft(ctx.deps, ctx.from.id);
  const draft = saved ? parseDraft(saved.data) : emptyDraft();
  // Submitted or cancelled meanwhile: a fresh application with this clinic first.
  if (!hasProgress(draft)) {
    await saveDraft(ctx.deps, ctx.from.id, { ...draft, preferredClinicId: clinic.id, preferredByLink: true }, now);
    return enterFresh(ctx);
  }
  const next = await draftWithClinic(ctx.deps, draft, clinic);
  await saveDraft(ctx.deps, ctx.from.id, next.draft, now);
  const name = clinic.name[ctx.locale];
  if (next.outcome === "taken") await ctx.reply(ctx.t("links.switched", { name }), { parse_mode: "HTML" });
  if (next.outcome === "later") await ctx.reply(ctx.t("links.offered_later", { name }), { parse_mode: "HTML" });
  await enter(ctx);
}

/** Installed after conversations() and /cancel, before the features. */
function conversations() {
  const composer = new Composer<BotContext>();
  composer.use(expireIdleFlow(), applyFlow());
  return composer;
}

export const applyFeature: Feature = {
  name: "apply",
  conversations,
  handlers: () => handlers,
  commands: [{ command: "apply", menu: 2 }],
  // "a:" is the flow's own (every question answers its buttons); "ap2:" the offers around it.
  callbacks: [resumeCb, { prefix: "a" }],
};
