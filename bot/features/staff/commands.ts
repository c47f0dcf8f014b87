import { Composer, type Api, type RawApi } from "grammy";
import type { StaffMember } from "../../../data/repositories/staff.js";
import { getUser } from "../../../data/repositories/users.js";
import { ADMINS, REVIEWERS, senderMember } from "../../access.js";
import type { CommandSpec } from "../../commands.js";
import type { BotContext, Deps } from "../../context.js";
import { userLocale } from "../../i18n.js";

/** The staff feature's commands and who may run them; the handlers check the role again on every use. */
export const STAFF_COMMANDS: readonly CommandSpec[] = [
  { command: "queue", roles: REVIEWERS },
  { command: "find", roles: REVIEWERS },
  { command: "stats", roles: REVIEWERS },
  { command: "export", roles: REVIEWERS },
  { command: "qr", roles: REVIEWERS },
  { command: "staff", roles: ADMINS },
  { command: "audit", roles: ADMINS },
  { command: "settings", roles: ADMINS },
];

/**
 * A staff member typing a staff command their role lacks (an operator's /queue) is told so, with the role, instead
 * of "unknown command"; every feature's staff commands count (the registry). Anyone who is not staff passes on to
 * the ordinary answer: to citizens the staff commands do not exist. The handlers check the role again.
 */
export function roleGate(commands: readonly string[]): Composer<BotContext> {
  const gate = new Composer<BotContext>();
  gate.chatType("private").command([...commands], async (ctx, next) => {
    const member = await senderMember(ctx);
    const command = /^\/([A-Za-z0-9_]+)/.exec(ctx.msg.text ?? "")?.[1]?.toLowerCase() ?? "";
    if (!member || ctx.deps.commands.mayRun(member.role, command)) return next();
    await ctx.reply(ctx.t("staff.not_for_role", { command, role: ctx.t(`staff.roles.${member.role}`) }));
  });
  return gate;
}

/**
 * Citizen commands plus the member's staff commands, scoped to their private chat, in their language if known
 * (else Russian). A member who never opened the bot has no chat yet: that failure is not an error.
 */
export async function registerStaffMenu(
  api: Api<RawApi>,
  deps: Deps,
  userId: number,
  member: StaffMember | null,
): Promise<boolean> {
  const user = await getUser(deps.db, userId);
  const t = deps.i18n.t(userLocale(user));
  try {
    // A citizen again who never chose a language has no menu of the chat's own, as before the role was given.
    if (!member && user?.language == null) await deps.commands.clearChat(api, userId);
    else await deps.commands.registerChat(api, userId, t, member?.role);
    return true;
  } catch (err) {
    deps.log.warn({ user_id: userId, error: err instanceof Error ? err.name : "unknown" }, "staff menu not registered");
    return false;
  }
}
