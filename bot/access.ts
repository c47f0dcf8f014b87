import type { NextFunction } from "grammy";
import { getRequest, type RequestRow } from "../data/repositories/requests.js";
import { findStaff, rememberStaffName, staffName, type StaffMember } from "../data/repositories/staff.js";
import type { Scope } from "../data/repositories/stats.js";
import type { StaffRole } from "../data/schema/staff.js";
import type { BaseContext, Deps } from "./context.js";

/**
 * Who may do what, in one place: every staff and operator action asks here when it is performed (never trusting
 * what a button or menu said when it was drawn).
 */
export const REVIEWERS: readonly StaffRole[] = ["admin", "support"];
export const ADMINS: readonly StaffRole[] = ["admin"];
export const BROADCASTERS: readonly StaffRole[] = ["admin", "operator"];

/** The person's role as it is now (admins of ADMIN_IDS included), or null. Reads only. */
export function memberNow(deps: Pick<Deps, "db" | "config">, userId: number): Promise<StaffMember | null> {
  return findStaff(deps.db, userId, deps.config.adminIds);
}

/** True when the person holds one of `roles` now; read on every action (a role can be taken away mid-flow). */
export async function holdsRole(
  deps: Pick<Deps, "db" | "config">,
  userId: number,
  roles: readonly StaffRole[],
): Promise<boolean> {
  const member = await memberNow(deps, userId);
  return member !== null && roles.includes(member.role);
}

/** The sender's role as it is now, if the sender is staff in a private chat. Reads only. */
export async function senderMember(ctx: BaseContext): Promise<StaffMember | null> {
  if (!ctx.from || ctx.chat?.type !== "private") return null;
  return memberNow(ctx.deps, ctx.from.id);
}

/**
 * The member acting now, if their role is one of `roles`. Acting refreshes the name colleagues see ("already
 * decided by …"): the one write here, made only for staff.
 */
export async function actingMember(ctx: BaseContext, roles: readonly StaffRole[]): Promise<StaffMember | null> {
  const member = await senderMember(ctx);
  return member ? actingAs(ctx, member, roles) : null;
}

async function actingAs(
  ctx: BaseContext,
  member: StaffMember,
  roles: readonly StaffRole[],
): Promise<StaffMember | null> {
  if (!ctx.from) return null;
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

export function inScope(scope: Scope, r: Pick<RequestRow, "clinic_id" | "settlement_id">): boolean {
  if (scope.clinicIds && !scope.clinicIds.includes(r.clinic_id)) return false;
  if (scope.settlementId && scope.settlementId !== r.settlement_id) return false;
  return true;
}

/** May this member work this request now: a reviewer's role, and the request within their scope. */
export function mayReview(member: StaffMember, r: Pick<RequestRow, "clinic_id" | "settlement_id">): boolean {
  return REVIEWERS.includes(member.role) && inScope(scopeOf(member), r);
}

/** The request if it exists and the member may work it now; otherwise nothing is returned. */
export async function reviewableRequest(
  deps: Pick<Deps, "db">,
  member: StaffMember,
  id: number,
): Promise<RequestRow | undefined> {
  const r = await getRequest(deps.db, id);
  return r && mayReview(member, r) ? r : undefined;
}

/** As reviewableRequest, and when there is none the member is told so (on the button pressed, or in the chat). */
export async function requestForReview(
  ctx: BaseContext,
  member: StaffMember,
  id: number,
): Promise<RequestRow | undefined> {
  const r = await reviewableRequest(ctx.deps, member, id);
  if (r) return r;
  if (ctx.callbackQuery) await ctx.answerCallbackQuery({ text: ctx.t("staff.not_in_scope") }).catch(() => undefined);
  else await ctx.reply(ctx.t("staff.not_in_scope"));
  return undefined;
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
    const member = await actingMember(ctx, roles);
    if (!member) return next();
    await handler(ctx, member);
  };
}

/**
 * A staff button pressed by someone who may not use it. Staff, and former staff pressing their old buttons (known by
 * the name remembered when they acted), are told `refusal` plainly; to anyone else it is any stale button, so a
 * forged one tells nobody that staff actions exist.
 */
export async function refuseStaffButton(ctx: BaseContext, refusal: string, alert = false): Promise<void> {
  const knownStaff =
    ctx.from !== undefined &&
    ((await memberNow(ctx.deps, ctx.from.id)) !== null || (await staffName(ctx.deps.db, ctx.from.id)) !== undefined);
  await ctx.answerCallbackQuery(
    knownStaff ? { text: refusal, show_alert: alert } : { text: ctx.t("common.stale_button") },
  );
}

/** A staff button: the role is checked when pressed; a removed member's old button only says so. */
export function staffButton<C extends BaseContext>(
  roles: readonly StaffRole[],
  handler: (ctx: C, member: StaffMember) => Promise<unknown>,
): (ctx: C) => Promise<void> {
  return async (ctx) => {
    const member = await senderMember(ctx);
    const acting = member ? await actingAs(ctx, member, roles) : null;
    if (!acting) return refuseStaffButton(ctx, ctx.t("staff.no_access"), true);
    await handler(ctx, acting);
  };
}

export function nowIso(ctx: BaseContext): string {
  return ctx.deps.clock.now().toISOString();
}
