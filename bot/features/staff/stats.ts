import { Composer } from "grammy";
import { getClinic } from "../../../data/repositories/clinics.js";
import type { StaffMember } from "../../../data/repositories/staff.js";
import { linkStartsByClinic } from "../../../data/repositories/link-starts.js";
import { requestStats, type Count, type DayRange } from "../../../data/repositories/stats.js";
import { almatyDate, IsoDateSchema } from "../../../rules/index.js";
import type { BaseContext, BotContext } from "../../context.js";
import { replyLong } from "../../ui/long-text.js";
import { formatDate } from "../../format.js";
import { REVIEWERS, scopeOf, staffCommand } from "../../access.js";
import { clinicPlace } from "./queue.js";

/** As many clinics as the other lists show (their "top 10"). */
const TOP = 10;
const STATUSES = ["pending", "needs_documents", "approved", "rejected", "withdrawn"] as const;

/** The current campaign window of this year, or the calendar year when attachment is open all year (R7). */
export async function currentPeriod(ctx: BaseContext): Promise<DayRange> {
  const now = ctx.deps.clock.now();
  const year = almatyDate(now).slice(0, 4);
  const policy = await ctx.deps.rules.policyFor(now);
  return policy.campaign
    ? { from: `${year}-${policy.campaign.start}`, to: `${year}-${policy.campaign.end}` }
    : { from: `${year}-01-01`, to: `${year}-12-31` };
}

/** A day typed DD.MM.YYYY (as the usage shows it) or YYYY-MM-DD, as YYYY-MM-DD; anything else is left as typed. */
const typedDay = (s: string) => s.replace(/^(\d{2})\.(\d{2})\.(\d{4})$/, "$3-$2-$1");

/** "", "FROM" (to today) or "FROM TO" as Almaty days; "bad" for anything else. */
export function parseRange(args: string, today: string): DayRange | "bad" | null {
  const parts = args
    .trim()
    .split(/\s+/)
    .filter((p) => p !== "")
    .map(typedDay);
  if (parts.length === 0) return null;
  if (parts.length > 2) return "bad";
  const [from, to = today] = parts as [string, string?];
  if (!IsoDateSchema.safeParse(from).success || !IsoDateSchema.safeParse(to).success || from > to) return "bad";
  return { from, to };
}

function counts(ctx: BaseContext, list: Count[], label: (c: Count) => string): string {
  return list.length ? list.map((c) => `${label(c)} — ${c.n}`).join("; ") : "—";
}

/** Same-named clinics of different towns told apart by their settlement. Plain: the list is escaped as a whole. */
async function clinicLabels(ctx: BaseContext, list: Count[]): Promise<Map<string, string>> {
  const labels = new Map<string, string>();
  for (const c of list) {
    const clinic = await getClinic(ctx.deps.db, c.key);
    labels.set(c.key, clinic ? clinicPlace(ctx, clinic, c.key) : (c.name?.[ctx.locale] ?? c.key));
  }
  return labels;
}

async function block(ctx: BaseContext, member: StaffMember, title: string, range: DayRange): Promise<string> {
  const today = almatyDate(ctx.deps.clock.now());
  const s = await requestStats(ctx.deps.db, scopeOf(member), range, today);
  const clinics = await clinicLabels(ctx, s.byClinic);
  // Starts by a clinic's deep link (its poster's QR code), within the same scope and days.
  const byLink: Count[] = (await linkStartsByClinic(ctx.deps.db, scopeOf(member), range))
    .slice(0, TOP)
    .map((c) => ({ key: c.clinicId, name: null, n: c.n }));
  const linkClinics = await clinicLabels(ctx, byLink);
  const statusLine = STATUSES.filter((st) => s.byStatus[st]).map(
    (st) => `${ctx.t(`requests.status.${st}`)} — ${s.byStatus[st] ?? 0}`,
  );
  return [
    `<b>${title}</b>: ${range.from === range.to ? formatDate(range.from) : `${formatDate(range.from)} – ${formatDate(range.to)}`}`,
    ctx.t("staff.stats.total", { count: s.total }),
    ctx.t("staff.stats.by_status", { list: statusLine.join("; ") || "—" }),
    ctx.t("staff.stats.by_settlement", { list: counts(ctx, s.bySettlement, (c) => c.name?.[ctx.locale] ?? c.key) }),
    ctx.t("staff.stats.by_clinic", { list: counts(ctx, s.byClinic, (c) => clinics.get(c.key) ?? c.key) }),
    ctx.t("staff.stats.by_ground", {
      list: counts(ctx, s.byGround, (c) => ctx.t(`rules.grounds.${c.key}.title`, { defaultValue: c.key })),
    }),
    ctx.t("links.stats", { list: counts(ctx, byLink, (c) => linkClinics.get(c.key) ?? c.key) }),
    s.medianDecisionHours === null
      ? ctx.t("staff.stats.median_none")
      : ctx.t("staff.stats.median", { hours: s.medianDecisionHours.toFixed(1) }),
    ctx.t("staff.stats.overdue", { open: s.overdueOpen, late: s.decidedLate }),
  ].join("\n");
}

export const statsHandlers = new Composer<BotContext>();

statsHandlers.chatType("private").command(
  "stats",
  staffCommand(REVIEWERS, async (ctx, member) => {
    const today = almatyDate(ctx.deps.clock.now());
    const range = parseRange(ctx.match, today);
    if (range === "bad") return void (await ctx.reply(ctx.t("staff.stats.usage"), { parse_mode: "HTML" }));
    const blocks = range
      ? [await block(ctx, member, ctx.t("staff.stats.period"), range)]
      : [
          await block(ctx, member, ctx.t("staff.stats.today"), { from: today, to: today }),
          await block(ctx, member, ctx.t("staff.stats.campaign"), await currentPeriod(ctx)),
        ];
    await replyLong(ctx, blocks.join("\n\n"));
  }),
);
