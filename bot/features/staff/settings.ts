import { Composer } from "grammy";
import { audit } from "../../../data/repositories/audit.js";
import {
  getOperator,
  getSetting,
  OPERATOR_KEY,
  OperatorSchema,
  putSetting,
  type Operator,
} from "../../../data/repositories/settings.js";
import type { BaseContext, BotContext } from "../../context.js";
import { ADMINS, nowIso, staffCommand } from "../../access.js";
import { CONTACTS_KEY, ContactsSchema } from "./notify.js";
import { holidaysCommand, policyCommand } from "./policy/handlers.js";

function operatorText(ctx: BaseContext, operator: Operator | undefined): string {
  if (!operator) return ctx.t("staff.settings.not_set");
  if (operator.ru === operator.kk) return ctx.t("staff.settings.operator_both", { name: operator.ru });
  return ctx.t("staff.settings.operator_each", { ru: operator.ru, kk: operator.kk });
}

async function show(ctx: BaseContext): Promise<void> {
  const now = ctx.deps.clock.now();
  const policy = await ctx.deps.rules.policyFor(now);
  const contacts = await getSetting(ctx.deps.db, CONTACTS_KEY, ContactsSchema);
  const operator = await getOperator(ctx.deps.db);
  const c = policy.campaign;
  const campaign = c
    ? ctx.t("staff.settings.window", {
        start: `${policy.year}-${c.start}`,
        end: `${policy.year}-${c.end}`,
        effective: `${policy.year + c.effectiveFrom.yearOffset}-${c.effectiveFrom.monthDay}`,
      })
    : ctx.t("staff.settings.all_year");
  await ctx.reply(
    [
      ctx.t("staff.settings.title", { year: policy.year }),
      // operatorText is already escaped (its names went in as variables): not a second time.
      ctx.t("staff.settings.operator", {
        operator: operatorText(ctx, operator),
        interpolation: { escapeValue: false },
      }),
      ctx.t("staff.settings.campaign", { campaign }),
      ctx.t("staff.settings.contacts", { contacts: contacts ?? ctx.t("staff.settings.not_set") }),
      "",
      ctx.t("staff.settings.usage"),
      ctx.t("policy.admin.settings_hint", { next: policy.year + 1 }),
    ].join("\n"),
    { parse_mode: "HTML" },
  );
}

async function setContacts(ctx: BaseContext, actorId: number, text: string): Promise<void> {
  const value = text === "off" ? null : text;
  if (value !== null && !ContactsSchema.safeParse(value).success) {
    return void (await ctx.reply(ctx.t("staff.settings.usage"), { parse_mode: "HTML" }));
  }
  const at = nowIso(ctx);
  // null fails ContactsSchema on reading: "not set".
  await putSetting(ctx.deps.db, CONTACTS_KEY, value, at, actorId);
  await audit(ctx.deps.db, { actorId, action: "settings", details: { key: CONTACTS_KEY, set: value !== null } }, at);
  await ctx.reply(ctx.t("staff.settings.saved"));
  await show(ctx);
}

/**
 * Who runs the bot, shown in the welcome, /help and /contacts. "operator <name>" names it in both
 * languages; "operator ru|kk <name>" changes one (the other keeps its name, or takes this one if none was set);
 * "operator off" clears it (the bot then says it is not set).
 */
async function setOperator(ctx: BaseContext, actorId: number, text: string): Promise<void> {
  const lang = /^(ru|kk)(\s|$)/.exec(text)?.[1] as "ru" | "kk" | undefined;
  // One line: the name is shown inside a sentence.
  const name = (lang ? text.slice(2) : text).replace(/\s+/g, " ").trim();
  const at = nowIso(ctx);
  if (!lang && name === "off") {
    // null fails OperatorSchema on reading: "not set".
    await putSetting(ctx.deps.db, OPERATOR_KEY, null, at, actorId);
    await audit(ctx.deps.db, { actorId, action: "settings", details: { key: OPERATOR_KEY, cleared: true } }, at);
  } else {
    const current = lang ? await getOperator(ctx.deps.db) : undefined;
    const value = lang ? { ru: current?.ru ?? name, kk: current?.kk ?? name, [lang]: name } : name;
    const parsed = OperatorSchema.safeParse(value);
    if (!parsed.success) return void (await ctx.reply(ctx.t("staff.settings.bad_operator"), { parse_mode: "HTML" }));
    await putSetting(ctx.deps.db, OPERATOR_KEY, parsed.data, at, actorId);
    // Codes only in the audit log: the name itself is in the settings row, with who set it.
    await audit(ctx.deps.db, { actorId, action: "settings", details: { key: OPERATOR_KEY, lang: lang ?? "both" } }, at);
  }
  await ctx.reply(ctx.t("staff.settings.saved"));
  await show(ctx);
}

export const settingsHandlers = new Composer<BotContext>();

settingsHandlers.chatType("private").command(
  "settings",
  staffCommand(ADMINS, async (ctx, admin) => {
    const match = ctx.match.trim();
    const [what, ...args] = match.split(/\s+/).filter((s) => s !== "");
    if (!what) return show(ctx);
    // This year's campaign, as before; like every policy change, shown as before/after to confirm.
    if (what === "campaign") return policyCommand(ctx, admin.userId, ["campaign", ...args]);
    if (what === "policy") return policyCommand(ctx, admin.userId, args);
    if (what === "holidays") return holidaysCommand(ctx, admin.userId, args);
    if (what === "contacts" && args.length)
      return setContacts(ctx, admin.userId, match.slice("contacts".length).trim());
    if (what === "operator") return setOperator(ctx, admin.userId, match.slice("operator".length).trim());
    await ctx.reply(ctx.t("staff.settings.usage"), { parse_mode: "HTML" });
  }),
);
