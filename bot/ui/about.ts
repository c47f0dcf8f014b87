import { getOperator } from "../../data/repositories/settings.js";
import type { BaseContext } from "../context.js";

/**
 * Who runs the bot, from the admins' setting (`bot_operator`); until it is set the bot says so and tells
 * people to check with their clinic. i18next escapes the name for HTML.
 */
export async function operatorLine(ctx: BaseContext): Promise<string> {
  const operator = await getOperator(ctx.deps.db);
  return ctx.t("start.operator_line", { operator: operator?.[ctx.locale] ?? ctx.t("start.operator_unknown") });
}

/** Who runs it, what it is (an assistant preparing a request staff register) and the legally signed channels. */
export async function aboutBot(ctx: BaseContext): Promise<string> {
  return `${await operatorLine(ctx)}\n${ctx.t("start.role")}`;
}
