import { Composer, InlineKeyboard } from "grammy";
import { audit, auditTrail, type AuditRow } from "../../../data/repositories/audit.js";
import { getClinic } from "../../../data/repositories/clinics.js";
import { getSettlement } from "../../../data/repositories/places.js";
import { getRequest, getRequestByNumber } from "../../../data/repositories/requests.js";
import {
  findStaff,
  listStaff,
  removeStaff,
  staffName,
  upsertStaff,
  type StaffMember,
} from "../../../data/repositories/staff.js";
import type { StaffRole } from "../../../data/schema/staff.js";
import type { BaseContext, BotContext } from "../../context.js";
import { formatInstant } from "../../format.js";
import { escapeHtml, userLocale } from "../../i18n.js";
import { getUser } from "../../../data/repositories/users.js";
import { roleCb } from "./callbacks.js";
import { registerStaffMenu } from "./commands.js";
import { ADMINS, nowIso, staffButton, staffCommand } from "../../access.js";
import { privacyAudit } from "./audit-privacy.js";
import { replyLong } from "../../ui/long-text.js";

const ROLES = ["admin", "support", "operator"] as const;
const isRole = (s: string | undefined): s is StaffRole => (ROLES as readonly string[]).includes(s ?? "");
const ID = /^\d{1,15}$/;

type Scope = { clinicIds: string[] | null; settlementId: string | null };

/** "clinic:<id>[,<id>…]" or "settlement:<id>"; only support members are limited. Null when invalid. */
async function parseScope(ctx: BaseContext, arg: string | undefined): Promise<Scope | null> {
  if (!arg) return { clinicIds: null, settlementId: null };
  const m = /^(clinic|settlement):([\w,-]{1,400})$/.exec(arg);
  if (!m?.[2]) return null;
  const ids = [...new Set(m[2].split(",").filter((s) => s !== ""))];
  if (ids.length === 0) return null;
  if (m[1] === "settlement")
    return ids.length === 1 && (await getSettlement(ctx.deps.db, ids[0] ?? ""))
      ? { clinicIds: null, settlementId: ids[0] ?? null }
      : null;
  for (const id of ids) if (!(await getClinic(ctx.deps.db, id))) return null;
  return { clinicIds: ids, settlementId: null };
}

export function describeScope(
  ctx: BaseContext,
  m: Pick<StaffMember, "clinicIds" | "settlementId"> & { role?: StaffRole },
): string {
  // An operator works on broadcasts: "all requests" would say the opposite.
  if (m.role === "operator") return ctx.t("staff.scope.operator");
  if (m.clinicIds) return ctx.t("staff.scope.clinics", { list: m.clinicIds.join(", ") });
  if (m.settlementId) return ctx.t("staff.scope.settlement", { id: m.settlementId });
  return ctx.t("staff.scope.all");
}

/**
 * After a change of role: their menu and a note to them in their language. Someone who never opened the bot has no
 * chat to write to (Telegram refuses): nothing is sent, and false tells the admin so.
 */
async function tellMember(ctx: BaseContext, userId: number, member: StaffMember | null): Promise<boolean> {
  const user = await getUser(ctx.deps.db, userId);
  if (!user) return false;
  await registerStaffMenu(ctx.api, ctx.deps, userId, member);
  const t = ctx.deps.i18n.t(userLocale(user));
  // Their own commands by name: an operator pointed at /queue would only hear "not for your role".
  const commands = member
    ? ctx.deps.commands
        .forRole(member.role, t)
        .map((c) => `/${c.command}`)
        .join(", ")
    : "";
  const text = member
    ? t("staff.admin.you_are", { role: t(`staff.roles.${member.role}`), commands })
    : t("staff.admin.you_were_removed");
  return ctx.api.sendMessage(userId, text, { parse_mode: "HTML" }).then(
    () => true,
    () => false,
  );
}

async function addMember(
  ctx: BaseContext,
  by: StaffMember,
  userId: number,
  role: StaffRole,
  scope: Scope,
): Promise<void> {
  if (ctx.deps.config.adminIds.includes(userId))
    return void (await ctx.reply(ctx.t("staff.admin.from_config", { id: userId }), { parse_mode: "HTML" }));
  const at = nowIso(ctx);
  await upsertStaff(ctx.deps.db, { userId, role, ...scope }, by.userId, at);
  await audit(
    ctx.deps.db,
    {
      actorId: by.userId,
      action: "staff_add",
      details: { target: userId, role, clinics: scope.clinicIds?.join(",") ?? null, settlement: scope.settlementId },
    },
    at,
  );
  const member = await findStaff(ctx.deps.db, userId, ctx.deps.config.adminIds);
  const told = await tellMember(ctx, userId, member);
  const added = ctx.t("staff.admin.added", {
    id: userId,
    role: ctx.t(`staff.roles.${role}`),
    scope: describeScope(ctx, { ...scope, role }),
  });
  await ctx.reply(told ? added : `${added}\n${ctx.t("staff.admin.not_started")}`, { parse_mode: "HTML" });
}

/** `withUsage`: bare /staff, which also says what else it does. */
async function listMembers(ctx: BaseContext, withUsage: boolean): Promise<void> {
  const members = await listStaff(ctx.deps.db);
  const lines = [
    ctx.t("staff.admin.list_title"),
    ...ctx.deps.config.adminIds.map(
      (id) => `• <code>${id}</code> — ${ctx.t("staff.roles.admin")} (${ctx.t("staff.admin.config")})`,
    ),
  ];
  for (const m of members) {
    const name = await staffName(ctx.deps.db, m.userId);
    const who = name ? ` ${escapeHtml(name.firstName)}` : "";
    lines.push(`• <code>${m.userId}</code>${who} — ${ctx.t(`staff.roles.${m.role}`)}, ${describeScope(ctx, m)}`);
  }
  if (withUsage) lines.push("", ctx.t("staff.admin.usage"));
  await replyLong(ctx, lines.join("\n"));
}

export const adminHandlers = new Composer<BotContext>();
const pm = adminHandlers.chatType("private");

pm.command(
  "staff",
  staffCommand(ADMINS, async (ctx, admin) => {
    const [verb = "list", id, role, scopeArg, ...rest] = ctx.match
      .trim()
      .split(/\s+/)
      .filter((s) => s !== "");
    if (verb === "list" && !id) return listMembers(ctx, ctx.match.trim() === "");
    if (verb === "add" && id && ID.test(id) && isRole(role) && rest.length === 0) {
      const scope = await parseScope(ctx, scopeArg);
      if (!scope || (role !== "support" && scopeArg))
        return void (await ctx.reply(ctx.t("staff.admin.bad_scope"), { parse_mode: "HTML" }));
      return addMember(ctx, admin, Number(id), role, scope);
    }
    if (verb === "remove" && id && ID.test(id) && !role) {
      const userId = Number(id);
      if (ctx.deps.config.adminIds.includes(userId))
        return void (await ctx.reply(ctx.t("staff.admin.from_config", { id: userId }), { parse_mode: "HTML" }));
      const old = await findStaff(ctx.deps.db, userId, ctx.deps.config.adminIds);
      if (!old || !(await removeStaff(ctx.deps.db, userId)))
        return void (await ctx.reply(ctx.t("staff.admin.not_staff", { id: userId })));
      await audit(
        ctx.deps.db,
        { actorId: admin.userId, action: "staff_remove", details: { target: userId, role: old.role } },
        nowIso(ctx),
      );
      await tellMember(ctx, userId, null);
      return void (await ctx.reply(ctx.t("staff.admin.removed", { id: userId })));
    }
    await ctx.reply(ctx.t("staff.admin.usage"), { parse_mode: "HTML" });
  }),
);

/** An admin forwards a message from the person to add: their id comes from the forward, the role from a button. */
pm.on("message").filter(
  (ctx) => ctx.message.forward_origin !== undefined,
  staffCommand(ADMINS, async (ctx) => {
    const origin = ctx.message?.forward_origin;
    if (origin?.type !== "user")
      return void (await ctx.reply(ctx.t("staff.admin.forward_hidden"), { parse_mode: "HTML" }));
    const person = origin.sender_user;
    if (person.is_bot) return void (await ctx.reply(ctx.t("staff.admin.forward_bot")));
    const kb = new InlineKeyboard();
    for (const role of ROLES) kb.text(ctx.t(`staff.roles.${role}`), roleCb.data(role, person.id));
    kb.row().text(ctx.t("common.cancel"), roleCb.data("cancel", person.id));
    await ctx.reply(ctx.t("staff.admin.choose_role", { name: person.first_name, id: person.id }), {
      parse_mode: "HTML",
      reply_markup: kb,
    });
  }),
);

pm.callbackQuery(
  roleCb.filter,
  staffButton(ADMINS, async (ctx, admin) => {
    const parsed = roleCb.parse(ctx.callbackQuery.data);
    if (!parsed) return void (await ctx.answerCallbackQuery({ text: ctx.t("common.stale_button") }));
    await ctx.answerCallbackQuery();
    await ctx.editMessageReplyMarkup().catch(() => undefined);
    const [role, userId] = parsed;
    if (role === "cancel") return void (await ctx.reply(ctx.t("staff.admin.add_cancelled")));
    await addMember(ctx, admin, userId, role, { clinicIds: null, settlementId: null });
  }),
);

async function auditLine(ctx: BaseContext, e: AuditRow, numbers: Map<number, string>): Promise<string> {
  const req = e.request_id
    ? (numbers.get(e.request_id) ?? (await getRequest(ctx.deps.db, e.request_id))?.number ?? `#${e.request_id}`)
    : "";
  if (e.request_id) numbers.set(e.request_id, req);
  const change = e.old_status || e.new_status ? ` · ${e.old_status ?? "—"} → ${e.new_status ?? "—"}` : "";
  let details = "";
  try {
    const d = e.details ? (JSON.parse(e.details) as Record<string, unknown>) : {};
    details = Object.entries(d)
      .map(([k, v]) => `${k}=${String(v)}`)
      .join(", ");
  } catch {
    details = "";
  }
  return `${formatInstant(e.at)} · <code>${e.actor_id}</code> · ${escapeHtml(e.action)}${req ? ` · ${req}` : ""}${change}${details ? ` · ${escapeHtml(details)}` : ""}`;
}

pm.command(
  "audit",
  staffCommand(ADMINS, async (ctx) => {
    const arg = ctx.match.trim();
    const privacy = /^privacy(\s+|$)(.*)$/i.exec(arg);
    if (privacy) return privacyAudit(ctx, privacy[2] ?? "");
    let requestId: number | undefined;
    if (arg) {
      const r = /^A-\d{4}-\d{6}$/i.test(arg) ? await getRequestByNumber(ctx.deps.db, arg) : undefined;
      if (!r) return void (await ctx.reply(ctx.t("staff.audit.usage"), { parse_mode: "HTML" }));
      requestId = r.id;
    }
    const rows = await auditTrail(ctx.deps.db, { requestId, limit: 30 });
    if (rows.length === 0) return void (await ctx.reply(ctx.t("staff.audit.empty")));
    const numbers = new Map<number, string>();
    const lines: string[] = [];
    for (const e of rows) lines.push(await auditLine(ctx, e, numbers));
    await replyLong(ctx, `${ctx.t("staff.audit.title", { count: rows.length })}\n${lines.join("\n")}`);
  }),
);
