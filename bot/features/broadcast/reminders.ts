import { z } from "zod";
import { createReminder, type CampaignWindow } from "../../../data/repositories/broadcasts.js";
import { getSetting, putSetting } from "../../../data/repositories/settings.js";
import type { ReminderKind } from "../../../data/schema/broadcasts.js";
import { addDays, almatyDate, almatyMinutes, type Policy } from "../../../rules/index.js";
import type { Deps } from "../../context.js";

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

export async function toggleReminder(deps: Pick<Deps, "db">, kind: ReminderKind, at: string, by: number): Promise<ReminderSettings> {
  const current = await reminderSettings(deps);
  const next = { ...current, [kind]: !current[kind] };
  await putSetting(deps.db, REMINDER_SETTINGS_KEY, next, at, by);
  return next;
}

const ALMATY = "+05:00";

/** Instant of an Almaty midnight. */
function almatyMidnight(date: string): string {
  return new Date(`${date}T00:00:00${ALMATY}`).toISOString();
}

/** This campaign's requests are those submitted inside its window (Almaty days, inclusive); all year: this year. */
export function campaignWindow(policy: Policy, now: Date): CampaignWindow {
  const year = almatyDate(now).slice(0, 4);
  if (!policy.campaign) return { from: almatyMidnight(`${year}-01-01`), to: almatyMidnight(`${Number(year) + 1}-01-01`) };
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

/** Reminders due now: switched on, today is their day and it is past 10:00 Almaty. */
export function dueReminders(policy: Policy, now: Date, settings: ReminderSettings): { kind: ReminderKind; year: number }[] {
  const today = almatyDate(now);
  if (almatyMinutes(now) < REMINDER_FROM_MINUTES) return [];
  const year = Number(today.slice(0, 4));
  const days = reminderDays(policy, year);
  return REMINDERS.filter((k) => settings[k] && days[k] === today).map((kind) => ({ kind, year }));
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
