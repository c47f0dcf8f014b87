import { Composer, InlineKeyboard } from "grammy";
import { loadPolicies, policyForYear } from "../../../../data/datasets/load-rules-data.js";
import { StoredPolicySchema } from "../../../../data/datasets/policy-overrides.js";
import { getSetting } from "../../../../data/repositories/settings.js";
import {
  almatyDate,
  DOCUMENTS,
  GROUNDS,
  HolidayYearSchema,
  type HolidayYear,
  type Policy,
} from "../../../../rules/index.js";
import { ADMINS, nowIso, staffButton } from "../../../access.js";
import type { BaseContext, BotContext } from "../../../context.js";
import { holidaysKey, policyKey } from "../../../rules-service.js";
import { changedFields, fieldValue, listLabel, policyDiff, policyText, tableDiff, tableState } from "./describe.js";
import { applyEdit, DOCUMENT_LISTS, documentList } from "./edit.js";
import {
  BUTTON_FIELDS,
  documentsKeyboard,
  fieldKeyboard,
  fromMask,
  groundsKeyboard,
  policyCb,
  viewKeyboard,
  type ButtonField,
} from "./keyboards.js";
import { cancel, confirm, propose, type Via } from "./pending.js";

/** A rules file an admin sends stays small (a policy is ~3 KB, a holiday table ~6 KB). */
export const MAX_RULES_FILE_KB = 64;

/** Admins change this year's policy and the next one's: earlier years are history, later ones unknown. */
export function openYears(now: Date): [number, number] {
  const year = Number(almatyDate(now).slice(0, 4));
  return [year, year + 1];
}

/** True when the year may be changed now; otherwise the admin is told which years may. */
export async function yearOpen(ctx: BaseContext, year: number): Promise<boolean> {
  const [thisYear, next] = openYears(ctx.deps.clock.now());
  if (year === thisYear || year === next) return true;
  await ctx.reply(ctx.t("policy.admin.bad_year", { this: thisYear, next }));
  return false;
}

/** R7: a campaign's effective day when the year has none yet: the nearest shipped year's that has a campaign. */
function nearestCampaign(year: number): Policy["campaign"] {
  const withCampaign = [...loadPolicies().values()].filter((p) => p.campaign);
  withCampaign.sort((a, b) => Math.abs(a.year - year) - Math.abs(b.year - year));
  return withCampaign[0]?.campaign ?? null;
}

export async function showPolicy(ctx: BaseContext, year: number): Promise<void> {
  const policy = await ctx.deps.rules.policyOf(year);
  const overridden = (await getSetting(ctx.deps.db, policyKey(year), StoredPolicySchema)) !== undefined;
  const [thisYear, next] = openYears(ctx.deps.clock.now());
  await ctx.reply(policyText(ctx.t, policy, overridden), {
    parse_mode: "HTML",
    reply_markup: viewKeyboard(ctx.t, year, year === thisYear ? next : thisYear),
  });
}

function confirmKeyboard(ctx: BaseContext, year: number, nonce: string): InlineKeyboard {
  return new InlineKeyboard()
    .text(ctx.t("policy.admin.buttons.apply"), policyCb.data("ok", year, nonce))
    .text(ctx.t("policy.admin.buttons.cancel"), policyCb.data("no", year, nonce));
}

/** Shows a policy change as before/after with Apply / Cancel; `after` null = back to the shipped data. */
export async function proposePolicy(
  ctx: BaseContext,
  adminId: number,
  year: number,
  after: Policy | null,
  via: Via,
): Promise<void> {
  const before = await ctx.deps.rules.policyOf(year);
  const target = after ?? policyForYear(year);
  const lines = policyDiff(ctx.t, before, target);
  const overridden = (await getSetting(ctx.deps.db, policyKey(year), StoredPolicySchema)) !== undefined;
  if (lines.length === 0 && !(after === null && overridden))
    return void (await ctx.reply(ctx.t("policy.admin.no_change", { year })));
  const changed = changedFields(before, target, ctx.t);
  const fields = [...changed.fields, ...changed.other].join(",");
  const nonce = await propose(ctx.deps, adminId, { kind: "policy", year, after, via, fields }, nowIso(ctx));
  const head = ctx.t(after ? "policy.admin.proposal_title" : "policy.admin.proposal_reset", { year });
  await ctx.reply([head, ...lines, "", ctx.t("policy.admin.confirm_question")].join("\n"), {
    parse_mode: "HTML",
    reply_markup: confirmKeyboard(ctx, year, nonce),
  });
}

/** Shows a holiday table change (a file, or back to the shipped table) as before/after with Apply / Cancel. */
export async function proposeHolidays(
  ctx: BaseContext,
  adminId: number,
  year: number,
  after: HolidayYear | null,
  via: Via,
): Promise<void> {
  const before = await ctx.deps.rules.holidayTable(year);
  const overridden = (await getSetting(ctx.deps.db, holidaysKey(year), HolidayYearSchema)) !== undefined;
  if (JSON.stringify(before ?? null) === JSON.stringify(after) || (after === null && !overridden))
    return void (await ctx.reply(ctx.t("policy.admin.holidays_no_change", { year })));
  const nonce = await propose(
    ctx.deps,
    adminId,
    { kind: "holidays", year, after, via, fields: after ? "days" : "reset" },
    nowIso(ctx),
  );
  const lines = after ? tableDiff(ctx.t, before, overridden, after) : [ctx.t("policy.admin.holidays_reset", { year })];
  await ctx.reply(
    [
      ctx.t("policy.admin.proposal_holidays_title", { year }),
      ...lines,
      "",
      ctx.t("policy.admin.confirm_question"),
    ].join("\n"),
    { parse_mode: "HTML", reply_markup: confirmKeyboard(ctx, year, nonce) },
  );
}

function usage(ctx: BaseContext): Promise<unknown> {
  return ctx.reply(
    ctx.t("policy.admin.usage", {
      grounds: GROUNDS.join(", "),
      lists: DOCUMENT_LISTS.join(", "),
      documents: DOCUMENTS.join(", "),
      kb: MAX_RULES_FILE_KB,
    }),
    { parse_mode: "HTML" },
  );
}

/**
 * `/settings policy [year] [field words…]`: without a field, the year's policy in words with its buttons; with one,
 * the change as before/after to confirm (`help`: every command; `reset`: back to the shipped data).
 */
export async function policyCommand(ctx: BaseContext, adminId: number, words: string[]): Promise<void> {
  const rest = [...words];
  const year = /^\d{4}$/.test(rest[0] ?? "") ? Number(rest.shift()) : openYears(ctx.deps.clock.now())[0];
  if (rest[0] === "help") return void (await usage(ctx));
  if (!(await yearOpen(ctx, year))) return;
  const [field, ...values] = rest;
  if (!field) return showPolicy(ctx, year);
  if (field === "reset" && values.length === 0) return proposePolicy(ctx, adminId, year, null, "command");
  const edit = applyEdit(await ctx.deps.rules.policyOf(year), field, values, nearestCampaign(year));
  if (!edit.ok) return void (await ctx.reply(ctx.t("policy.admin.invalid", { problem: edit.problem })));
  await proposePolicy(ctx, adminId, year, edit.next, "command");
}

/** `/settings holidays [year] [reset]`: the year's holiday table in a line, or back to the shipped one. */
export async function holidaysCommand(ctx: BaseContext, adminId: number, words: string[]): Promise<void> {
  const rest = [...words];
  const year = /^\d{4}$/.test(rest[0] ?? "") ? Number(rest.shift()) : openYears(ctx.deps.clock.now())[0];
  if (!(await yearOpen(ctx, year))) return;
  if (rest.length === 1 && rest[0] === "reset") return proposeHolidays(ctx, adminId, year, null, "command");
  const table = await ctx.deps.rules.holidayTable(year);
  const overridden = (await getSetting(ctx.deps.db, holidaysKey(year), HolidayYearSchema)) !== undefined;
  await ctx.reply(
    ctx.t("policy.admin.holidays_view", {
      year,
      state: tableState(ctx.t, table, overridden),
      kb: MAX_RULES_FILE_KB,
      interpolation: { escapeValue: false },
    }),
    { parse_mode: "HTML" },
  );
}

/** A field's question under the view: its value, how to change it, and its usual values as buttons. */
async function askField(ctx: BaseContext, adminId: number, policy: Policy, field: ButtonField): Promise<void> {
  const year = policy.year;
  if (field === "counts") return proposePolicy(ctx, adminId, year, toggled(policy, field), "button");
  if (field === "proof") return proposePolicy(ctx, adminId, year, toggled(policy, field), "button");
  const text = ctx.t(`policy.admin.ask.${field}`, {
    year,
    value: fieldValue(ctx.t, policy, field),
    interpolation: { escapeValue: false },
  });
  await ctx.reply(text, { parse_mode: "HTML", reply_markup: fieldKeyboard(ctx.t, policy, field) });
}

function toggled(policy: Policy, field: "counts" | "proof"): Policy | null {
  const edit = applyEdit(policy, field, [
    (field === "counts" ? policy.campaignCountsTowardQuota : policy.requireProofForTemporaryResidence) ? "off" : "on",
  ]);
  return edit.ok ? edit.next : null;
}

export const policyButtons = new Composer<BotContext>();

policyButtons.chatType("private").callbackQuery(
  policyCb.filter,
  staffButton(ADMINS, async (ctx, admin) => {
    const parsed = policyCb.parse(ctx.callbackQuery.data);
    if (!parsed) return void (await ctx.answerCallbackQuery({ text: ctx.t("common.stale_button") }));
    const [action, year, arg] = parsed;
    if (action === "ok" || action === "no") return decide(ctx, admin.userId, action, arg);
    if (!(await yearOpen(ctx, year))) return void (await ctx.answerCallbackQuery());
    await ctx.answerCallbackQuery();
    const policy = await ctx.deps.rules.policyOf(year);
    if (action === "v") return showPolicy(ctx, year);
    if (action === "f") {
      const field = BUTTON_FIELDS.find((f) => f === arg);
      return field ? askField(ctx, admin.userId, policy, field) : undefined;
    }
    if (action === "set") {
      const [field = "", value = ""] = arg.split("=");
      const edit = applyEdit(policy, field, value.split("."), nearestCampaign(year));
      if (!edit.ok) return void (await ctx.reply(ctx.t("policy.admin.invalid", { problem: edit.problem })));
      return proposePolicy(ctx, admin.userId, year, edit.next, "button");
    }
    if (action === "g" || action === "gd") {
      const grounds = fromMask(GROUNDS, arg);
      if (!grounds) return;
      if (action === "g")
        return void (await ctx
          .editMessageReplyMarkup({ reply_markup: groundsKeyboard(ctx.t, year, grounds) })
          .catch(() => undefined));
      const edit = applyEdit(policy, "grounds", grounds);
      if (!edit.ok) return void (await ctx.reply(ctx.t("policy.admin.invalid", { problem: edit.problem })));
      return proposePolicy(ctx, admin.userId, year, edit.next, "button");
    }
    const [listId = "", mask = ""] = arg.split(".");
    const list = DOCUMENT_LISTS.find((l) => l === listId);
    if (!list) return;
    if (action === "dl") {
      return void (await ctx.reply(ctx.t("policy.admin.ask.documents_list", { list: listLabel(ctx.t, list) }), {
        reply_markup: documentsKeyboard(ctx.t, year, list, documentList(policy, list)),
      }));
    }
    const docs = fromMask(DOCUMENTS, mask);
    if (!docs) return;
    if (action === "d")
      return void (await ctx
        .editMessageReplyMarkup({ reply_markup: documentsKeyboard(ctx.t, year, list, docs) })
        .catch(() => undefined));
    const edit = applyEdit(policy, "documents", [list, ...docs]);
    if (!edit.ok) return void (await ctx.reply(ctx.t("policy.admin.invalid", { problem: edit.problem })));
    await proposePolicy(ctx, admin.userId, year, edit.next, "button");
  }),
);

/** Apply or Cancel under a proposal: the buttons go, the outcome is said, and an applied change runs the scheduler. */
async function decide(ctx: BaseContext, adminId: number, action: "ok" | "no", nonce: string): Promise<void> {
  if (action === "no") {
    const done = await cancel(ctx.deps, adminId, nonce);
    await ctx.answerCallbackQuery(done ? {} : { text: ctx.t("policy.admin.stale"), show_alert: true });
    if (!done) return;
    await ctx.editMessageReplyMarkup().catch(() => undefined);
    return void (await ctx.reply(ctx.t("policy.admin.cancelled")));
  }
  const outcome = await confirm(ctx.deps, adminId, nonce, nowIso(ctx));
  if (outcome.kind === "stale")
    return void (await ctx.answerCallbackQuery({ text: ctx.t("policy.admin.stale"), show_alert: true }));
  await ctx.answerCallbackQuery();
  await ctx.editMessageReplyMarkup().catch(() => undefined);
  if (outcome.kind === "changed")
    return void (await ctx.reply(ctx.t("policy.admin.changed_meanwhile", { year: outcome.year }), {
      parse_mode: "HTML",
    }));
  // Reminders due under the new rules (a campaign just confirmed) are queued before the admin hears "done".
  await ctx.deps.schedulerWake.notify();
  const { kind, year } = outcome.pending;
  await ctx.reply(ctx.t(kind === "policy" ? "policy.admin.saved" : "policy.admin.saved_holidays", { year }));
  if (kind === "policy") await showPolicy(ctx, year);
}
