import { z } from "zod";
import { audit } from "../../../data/repositories/audit.js";
import { createReminder, type CampaignWindow } from "../../../data/repositories/broadcasts.js";
import { getSetting, putSetting } from "../../../data/repositories/settings.js";
import type { ReminderKind } from "../../../data/schema/broadcasts.js";
import { addDays, almatyDate, almatyMinutes, campaignConfirmed, type Policy } from "../../../rules/index.js";
import type { Deps } from "../../context.js";
import { QUIET_FROM } from "./quiet-hours.js";

export const REMINDERS: readonly ReminderKind[] = ["opening", "week_before", "last_day"];
export const REMINDER_SETTINGS_KEY = "broadcast:reminders";
/** Reminders go out from this Almaty time on their day (nobody is woken at night), until the day ends. */
export const REMINDER_FROM_MINUTES = 10 * 60;

const SettingsSchema = z.object({ opening: z.boolean(), week_before: z.boolean(), last_day: z.boolean() });
export type ReminderSettings = z.infer<typeof SettingsSchema>;
const DEFAULTS: ReminderSettings = { opening: true, week_before: true, last_day: true };

export async function reminderSettings(deps: Pick<Deps, "db">): Promise<ReminderSettings> {
  return (await getSetting(deps.db, REMINDER_SETTINGS_KEY, SettingsSchema)) ?? DEFAULTS;
}

/** Switches one reminder; the change and who made it go to the audit log in the same transaction. */
export async function toggleReminder(
  deps: Pick<Deps, "db">,
  kind: ReminderKind,
  at: string,
  by: number,
): Promise<ReminderSettings> {
  return deps.db.transaction().execute(async (trx) => {
    const current = await reminderSettings({ db: trx });
    const next = { ...current, [kind]: !current[kind] };
    await putSetting(trx, REMINDER_SETTINGS_KEY, next, at, by);
    await audit(trx, { actorId: by, action: "reminder_toggle", details: { reminder: kind, on: next[kind] } }, at);
    return next;
  });
}

const ALMATY = "+05:00";

/** Instant of an Almaty midnight. */
function almatyMidnight(date: string): string {
  return new Date(`${date}T00:00:00${ALMATY}`).toISOString();
}

/** This campaign's requests are those submitted inside its window (Almaty days, inclusive); all year: this year. */
export function campaignWindow(policy: Policy, now: Date): CampaignWindow {
  const year = almatyDate(now).slice(0, 4);
  if (!policy.campaign)
    return { from: almatyMidnight(`${year}-01-01`), to: almatyMidnight(`${Number(year) + 1}-01-01`) };
  return {
    from: almatyMidnight(`${year}-${policy.campaign.start}`),
    to: almatyMidnight(addDays(`${year}-${policy.campaign.end}`, 1)),
  };
}

/** The Almaty day of each reminder in this year's campaign; none without a campaign. */
export function reminderDays(policy: Policy, year: number): Partial<Record<ReminderKind, string>> {
  if (!policy.campaign) return {};
  const start = `${year}-${policy.campaign.start}`;
  const end = `${year}-${policy.campaign.end}`;
  const weekBefore = addDays(end, -7);
  return {
    opening: start,
    ...(weekBefore > start ? { week_before: weekBefore } : {}),
    ...(end > start ? { last_day: end } : {}),
  };
}

/**
 * A reminder missed because the bot was down on its day still goes out this many days later (once: each reminder
 * exists once per campaign), while the campaign is open and the next reminder's day has not come. The opening news
 * stays true for a few days; "a week left" only for a day; "today is the last day" never after that day.
 */
export const CATCH_UP_DAYS: Record<ReminderKind, number> = { opening: 3, week_before: 1, last_day: 0 };

/** Reminders due now: switched on, 10:00–21:00 Almaty, on their day or within its catch-up days; the latest only. */
export function dueReminders(
  policy: Policy,
  now: Date,
  settings: ReminderSettings,
): { kind: ReminderKind; year: number }[] {
  const today = almatyDate(now);
  // From 10:00 and never at night (a bot back up at 23:00 waits for the next day, while the reminder still holds).
  const minutes = almatyMinutes(now);
  // R7: only a confirmed campaign is announced (a provisional window in the data may never open).
  if (minutes < REMINDER_FROM_MINUTES || minutes >= QUIET_FROM || !campaignConfirmed(policy)) return [];
  const year = Number(today.slice(0, 4));
  const days = reminderDays(policy, year);
  const end = `${year}-${policy.campaign.end}`;
  // Each reminder's day comes before the next one's: a later reminder that is due supersedes an earlier one.
  const current = [...REMINDERS].reverse().find((k) => {
    const day = days[k];
    return day !== undefined && day <= today;
  });
  const day = current && days[current];
  if (!current || !day || !settings[current] || today > end || today > addDays(day, CATCH_UP_DAYS[current])) return [];
  return [{ kind: current, year }];
}

/** Creates the reminders due now (each once per campaign); returns the new broadcasts' ids. */
export async function runReminders(deps: Pick<Deps, "db" | "rules">, now: Date): Promise<number[]> {
  const policy = await deps.rules.policyFor(now);
  const due = dueReminders(policy, now, await reminderSettings(deps));
  const created: number[] = [];
  for (const { kind, year } of due) {
    const row = await createReminder(deps.db, kind, year, campaignWindow(policy, now), now);
    if (row) created.push(row.id);
  }
  return created;
}
