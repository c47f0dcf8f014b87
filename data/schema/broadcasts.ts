import type { Generated } from "kysely";

export type BroadcastStatus = "scheduled" | "sending" | "paused" | "cancelled" | "done";
/** skipped: not sent because the person sent /stop or blocked the bot after the audience was fixed (error says which). */
export type RecipientStatus = "pending" | "sending" | "sent" | "failed" | "blocked" | "skipped";
export type ReminderKind = "opening" | "week_before" | "last_day";

/** An operator's message (or a campaign reminder) to many subscribers; texts per language. */
export interface BroadcastsTable {
  id: Generated<number>;
  kind: "broadcast" | "reminder";
  /** Reminders only: which one and for which campaign year; unique together. */
  reminder: ReminderKind | null;
  campaign_year: number | null;
  status: BroadcastStatus;
  created_by: number | null;
  created_at: string;
  /** Not before this instant (ISO). */
  send_at: string;
  started_at: string | null;
  finished_at: string | null;
  /** JSON: the audience as chosen, kept for the list. */
  audience: string;
  text_ru: string | null;
  /** JSON array of MessageEntity, or null. */
  entities_ru: string | null;
  text_kk: string | null;
  entities_kk: string | null;
  photo_file_id: string | null;
  total: number;
}

/** One row per person, materialised at confirm time: progress survives a crash. */
export interface BroadcastRecipientsTable {
  id: Generated<number>;
  broadcast_id: number;
  user_id: number;
  language: "ru" | "kk";
  status: RecipientStatus;
  attempts: Generated<number>;
  /** Error class and code only, never text of the person. */
  error: string | null;
  updated_at: string | null;
}

/** The /broadcast composition in progress, one per operator. */
export interface BroadcastDraftsTable {
  user_id: number;
  data: string;
  updated_at: string;
}

/** A reminder goes to a person once per campaign year, even across restarts. */
export interface ReminderSendsTable {
  reminder: ReminderKind;
  year: number;
  user_id: number;
  broadcast_id: number;
}

export interface BroadcastTables {
  broadcasts: BroadcastsTable;
  broadcast_recipients: BroadcastRecipientsTable;
  broadcast_drafts: BroadcastDraftsTable;
  reminder_sends: ReminderSendsTable;
}
