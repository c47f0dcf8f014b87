import type { ColumnType, Generated } from "kysely";

/** Everyone who pressed /start: the subscriber list for broadcasts. Booleans are 0/1 (SQLite). */
export interface UsersTable {
  id: number; // Telegram user id
  language: "ru" | "kk" | null; // null until chosen
  /** Telegram's language_code of their app at their last update (null if Telegram never sent one). */
  language_code: ColumnType<string | null, string | null | undefined, string | null>;
  first_seen: string;
  last_seen: string;
  blocked: Generated<number>; // 1 after a 403 from Telegram
  subscribed: Generated<number>; // campaign reminders; /stop sets 0
}

export interface ProcessedUpdatesTable {
  update_id: number;
  processed_at: string;
}

/** grammY conversations v2 state, one row per chat and conversation. */
export interface ConversationStateTable {
  key: string;
  value: string;
}

/** Admin-editable settings and policy overrides, JSON per key. */
export interface SettingsTable {
  key: string;
  value: string;
  updated_at: string;
  updated_by: number | null;
}

export interface CoreTables {
  users: UsersTable;
  processed_updates: ProcessedUpdatesTable;
  conversation_state: ConversationStateTable;
  settings: SettingsTable;
}
