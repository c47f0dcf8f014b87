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

/** A batch of polled updates, kept (sealed) until handled: see migration 0017. */
export interface UpdateInboxTable {
  first_id: number;
  last_id: number;
  /** Updates in the batch: done once as many processed marks fall between first_id and last_id. */
  size: number;
  received_at: string;
  /** The batch's JSON array, sealed (typed IINs and names are in it). */
  batch: string;
}

/** grammY conversations v2 state, one row per chat: sealed as a whole (it replays raw updates, typed IINs included). */
export interface ConversationStateTable {
  key: string;
  value: string;
}

/** A person's consent to the privacy notice of this version (migration 0011); gone when withdrawn. */
export interface ConsentsTable {
  user_id: number;
  version: string;
  given_at: string;
}

/** Which data key the database is sealed with ('key_id') and a key rotation in progress ('rotation'). */
export interface VaultStateTable {
  name: string;
  value: string;
}

/** Admin-editable settings and policy overrides, JSON per key. */
export interface SettingsTable {
  key: string;
  value: string;
  updated_at: string;
  updated_by: number | null;
}

/** A counter per group of rarely changed tables, raised by triggers on every write to them (migration 0016). */
export interface CacheEpochsTable {
  name: "settings" | "directory";
  epoch: number;
}

export interface CoreTables {
  users: UsersTable;
  processed_updates: ProcessedUpdatesTable;
  update_inbox: UpdateInboxTable;
  conversation_state: ConversationStateTable;
  settings: SettingsTable;
  consents: ConsentsTable;
  vault_state: VaultStateTable;
  cache_epochs: CacheEpochsTable;
}
