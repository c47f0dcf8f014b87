import type { NextFunction } from "grammy";
import { findStaff, rememberStaffName, type StaffMember } from "../../../data/repositories/staff.js";
import type { Scope } from "../../../data/repositories/stats.js";
import type { StaffRole } from "../../../data/schema/staff.js";
import type { BaseContext } from "../../context.js";

export const REVIEWERS: readonly StaffRole[] = ["admin", "support"];
export const ADMINS: readonly StaffRole[] = ["admin"];

/** The sender's role as it is now (never as it was when a button was drawn), if it is one of `roles`. */
export async function currentMember(ctx: BaseContext, roles: readonly StaffRole[]): Promise<StaffMember | null> {
  if (!ctx.from || ctx.chat?.type !== "private") return null;
  const member = await findStaff(ctx.deps.db, ctx.from.id, ctx.deps.config.adminIds);
  if (!member) return null;
  // Colleagues see this name (e.g. "already decided by …"); refreshed whenever the member acts.
  await rememberStaffName(
    ctx.deps.db,
    member.userId,
    { firstName: ctx.from.first_name, username: ctx.from.username },
    nowIso(ctx),
  );
  return roles.includes(member.role) ? member : null;
}

/** Admins see everything; support may be limited to clinics or a settlement. */
export function scopeOf(member: StaffMember): Scope {
  return member.role === "admin"
    ? { clinicIds: null, settlementId: null }
    : { clinicIds: member.clinicIds, settlementId: member.settlementId };
}

/**
 * A staff command. Anyone else falls through to the fallback's ordinary "unknown command", so nothing reveals
 * that staff commands exist.
 */
export function staffCommand<C extends BaseContext>(
  roles: readonly StaffRole[],
  handler: (ctx: C, member: StaffMember) => Promise<unknown>,
): (ctx: C, next: NextFunction) => Promise<void> {
  return async (ctx, next) => {
    const member = await currentMember(ctx, roles);
    if (!member) return next();
    await handler(ctx, member);
  };
}

/** A staff button: the role is checked when pressed; a removed member's old button only says so. */
export function staffButton<C extends BaseContext>(
  roles: readonly StaffRole[],
  handler: (ctx: C, member: StaffMember) => Promise<unknown>,
): (ctx: C) => Promise<void> {
  return async (ctx) => {
    const member = await currentMember(ctx, roles);
    if (!member) {
      await ctx.answerCallbackQuery({ text: ctx.t("staff.no_access"), show_alert: true });
      return;
    }
    await handler(ctx, member);
  };
}

export function nowIso(ctx: BaseContext): string {
  return ctx.deps.clock.now().toISOString();
}
