import { Composer, type Api, type RawApi } from "grammy";
import type { BotCommand } from "grammy/types";
import { findStaff, type StaffMember } from "../../../data/repositories/staff.js";
import { getUser } from "../../../data/repositories/users.js";
import type { StaffRole } from "../../../data/schema/staff.js";
import type { BaseContext, BotContext, Deps } from "../../context.js";
import { type T, userLocale } from "../../i18n.js";
import { registerChatCommands } from "../start/commands.js";

/** What each role may run; the handlers check the role again on every use (guard.ts). */
const BY_ROLE: Record<StaffRole, readonly string[]> = {
  admin: ["queue", "find", "stats", "export", "staff", "audit", "settings", "broadcast", "broadcasts", "reminders"],
  support: ["queue", "find", "stats", "export"],
  operator: ["broadcast", "broadcasts"],
};

/** Every staff command, the broadcast feature's too: a member whose role lacks one is told so (roleGate). */
const OWN_COMMANDS = [
  "queue",
  "find",
  "stats",
  "export",
  "staff",
  "audit",
  "settings",
  "broadcast",
  "broadcasts",
  "reminders",
] as const;

/**
 * A staff member typing a staff command their role lacks (an operator's /queue) is told so, with the role, instead
 * of "unknown command". Anyone who is not staff passes on to the ordinary answer: to citizens the staff commands do
 * not exist. The handlers check the role again (staffCommand).
 */
export const roleGate = new Composer<BotContext>();
roleGate.chatType("private").command([...OWN_COMMANDS], async (ctx, next) => {
  const member = await findStaff(ctx.deps.db, ctx.from.id, ctx.deps.config.adminIds);
  const command = /^\/([A-Za-z0-9_]+)/.exec(ctx.msg.text ?? "")?.[1]?.toLowerCase() ?? "";
  if (!member || BY_ROLE[member.role].includes(command)) return next();
  await ctx.reply(ctx.t("staff.not_for_role", { command, role: ctx.t(`staff.roles.${member.role}`) }));
});

/** The staff part of a member's command menu, in the language of `t`; empty for non-staff. */
export function staffCommandList(member: Pick<StaffMember, "role"> | null | undefined, t: T): BotCommand[] {
  if (!member) return [];
  return BY_ROLE[member.role].map((command) => ({ command, description: t(`staff.commands.${command}`) }));
}

/** For the language handler: the sender's staff commands now, to pass as `extra` to registerChatCommands. */
export async function staffMenuExtra(ctx: BaseContext): Promise<BotCommand[]> {
  if (!ctx.from) return [];
  return staffCommandList(await findStaff(ctx.deps.db, ctx.from.id, ctx.deps.config.adminIds), ctx.t);
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
    await registerChatCommands(api, userId, t, staffCommandList(member, t));
    return true;
  } catch (err) {
    deps.log.warn({ user_id: userId, error: err instanceof Error ? err.name : "unknown" }, "staff menu not registered");
    return false;
  }
}
