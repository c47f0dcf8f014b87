// Shapes shared by the emulator modules. Telegram object types come from grammY so results stay realistic.
import type {
  Chat,
  Contact,
  Document,
  ForceReply,
  InlineKeyboardMarkup,
  Location,
  MessageEntity,
  MessageOrigin,
  PhotoSize,
  ReplyKeyboardMarkup,
  ReplyKeyboardRemove,
  Sticker,
  User,
  Voice,
} from "grammy/types";

export type ReplyMarkup = InlineKeyboardMarkup | ReplyKeyboardMarkup | ReplyKeyboardRemove | ForceReply;

/** A message as stored by the emulator: Telegram fields plus bookkeeping that is never serialised. */
export interface StoredMessage {
  message_id: number;
  date: number;
  chat: Chat;
  from?: User;
  text?: string;
  entities?: MessageEntity[];
  caption?: string;
  caption_entities?: MessageEntity[];
  photo?: PhotoSize[];
  document?: Document;
  sticker?: Sticker;
  voice?: Voice;
  location?: Location;
  contact?: Contact;
  forward_origin?: MessageOrigin;
  reply_to_message?: Record<string, unknown>;
  edit_date?: number;
  /** Any markup kind is kept here; the API only echoes inline keyboards, as Telegram does. */
  reply_markup?: ReplyMarkup;
  // --- emulator bookkeeping ---
  /** true when the bot sent it. */
  outgoing: boolean;
  /** parse_mode the bot asked for, and the text/caption before entity parsing. */
  parse_mode?: string;
  raw_text?: string;
  /** Earlier versions, oldest first; the current state is the message itself. */
  edits: MessageSnapshot[];
  deleted: boolean;
}

export type MessageSnapshot = Pick<
  StoredMessage,
  "text" | "entities" | "caption" | "caption_entities" | "reply_markup" | "edit_date" | "parse_mode" | "raw_text"
>;

/** What the bot answered to a callback query. */
export interface CallbackAnswer {
  callback_query_id: string;
  text?: string;
  show_alert?: boolean;
  url?: string;
  cache_time?: number;
  date: number;
}

export interface StoredCallbackQuery {
  /** The callback_query object as delivered to the bot. */
  query: Record<string, unknown>;
  createdAt: number;
  answer?: CallbackAnswer;
}

export interface StoredFile {
  file_id: string;
  file_unique_id: string;
  file_path: string;
  file_size: number;
  mime_type?: string;
  file_name?: string;
  /** Lazily materialised for user "uploads" that only declared a size. */
  bytes: () => Buffer;
}

/** Every Bot API call, as observed by tests and the sandbox. */
export interface CallEvent {
  seq: number;
  method: string;
  params: Record<string, unknown>;
  ok: boolean;
  result?: unknown;
  error?: { error_code: number; description: string; parameters?: Record<string, unknown> };
  at: number;
}

export interface EditEvent {
  message: StoredMessage;
  previous: MessageSnapshot;
}

export interface EmulatorEvents {
  call: [CallEvent];
  /** A new bot message (sent, copied or forwarded by the bot). */
  message: [StoredMessage];
  edit: [EditEvent];
  delete: [StoredMessage];
  /** An update was queued for the bot. */
  update: [Record<string, unknown>];
  callbackAnswer: [CallbackAnswer];
  /** A getUpdates request is now held open waiting for updates. */
  polling: [];
}
