// In-memory world of the emulator: the bot, chats with their messages, callback queries, settings.
import { EventEmitter } from "node:events";
import type { BotCommand, Chat, User } from "grammy/types";
import { badRequest } from "./errors.js";
import { FileStore } from "./files.js";
import type {
  CallbackAnswer,
  CallEvent,
  EditEvent,
  EmulatorEvents,
  MessageSnapshot,
  StoredCallbackQuery,
  StoredMessage,
} from "./types.js";

export interface ChatState {
  chat: Chat;
  messages: Map<number, StoredMessage>;
  nextMessageId: number;
  blocked: boolean;
  actions: Array<{ action: string; date: number }>;
  menuButton?: unknown;
}

export interface StateOptions {
  token: string;
  botFirstName?: string;
  botUsername?: string;
  /** Clock in milliseconds (dates, callback query ages, rate limits). */
  now?: () => number;
  callbackQueryMaxAgeMs?: number;
}

export class State {
  readonly events = new EventEmitter<EmulatorEvents>();
  readonly files = new FileStore();
  readonly bot: User;
  readonly token: string;
  readonly now: () => number;
  readonly callbackQueryMaxAgeMs: number;
  readonly chats = new Map<number, ChatState>();
  readonly callbackQueries = new Map<string, StoredCallbackQuery>();
  readonly callbackAnswers: CallbackAnswer[] = [];
  readonly calls: CallEvent[] = [];
  /** Every edit of a bot message, in order (per-chat cursors index into it). */
  readonly editLog: EditEvent[] = [];
  /** setMyCommands storage, keyed by scopeKey(scope, language_code). */
  readonly commands = new Map<string, BotCommand[]>();
  /** Other bot settings (description, name, default menu button…), keyed by method-ish name. */
  readonly settings = new Map<string, unknown>();
  private callbackSeq = 0;

  constructor(opts: StateOptions) {
    this.token = opts.token;
    this.now = opts.now ?? Date.now;
    this.callbackQueryMaxAgeMs = opts.callbackQueryMaxAgeMs ?? 60_000;
    const id = Number(opts.token.split(":")[0]);
    this.bot = {
      id: Number.isFinite(id) ? id : 7000000001,
      is_bot: true,
      first_name: opts.botFirstName ?? "Emhana Test Bot",
      username: opts.botUsername ?? "emhana_test_bot",
    };
    this.events.setMaxListeners(0);
  }

  unixNow(): number {
    return Math.floor(this.now() / 1000);
  }

  ensureChat(chat: Chat): ChatState {
    let s = this.chats.get(chat.id);
    if (!s) {
      s = { chat, messages: new Map(), nextMessageId: 1, blocked: false, actions: [] };
      this.chats.set(chat.id, s);
    }
    return s;
  }

  /** Resolves a chat_id parameter; unknown chats answer like Telegram. */
  chat(id: number | string): ChatState {
    const s =
      typeof id === "number"
        ? this.chats.get(id)
        : [...this.chats.values()].find((c) => "username" in c.chat && `@${c.chat.username}` === id);
    if (!s) throw badRequest("chat not found");
    return s;
  }

  addMessage(
    cs: ChatState,
    fields: Omit<StoredMessage, "message_id" | "date" | "chat" | "edits" | "deleted" | "outgoing">,
    outgoing: boolean,
  ): StoredMessage {
    const m: StoredMessage = {
      message_id: cs.nextMessageId++,
      ...(outgoing ? { from: this.bot } : {}),
      chat: cs.chat,
      date: this.unixNow(),
      ...fields,
      outgoing,
      edits: [],
      deleted: false,
    };
    cs.messages.set(m.message_id, m);
    if (outgoing) this.events.emit("message", m);
    return m;
  }

  findMessage(chatId: number | string, messageId: number | undefined): StoredMessage | undefined {
    if (messageId === undefined) return undefined;
    const m = this.chat(chatId).messages.get(messageId);
    return m && !m.deleted ? m : undefined;
  }

  /** Applies an edit in place and keeps the previous version in `edits`. */
  applyEdit(m: StoredMessage, next: MessageSnapshot): void {
    const previous = snapshot(m);
    m.edits.push(previous);
    for (const key of SNAPSHOT_KEYS) {
      if (next[key] === undefined) delete m[key];
      else Object.assign(m, { [key]: next[key] });
    }
    m.edit_date = this.unixNow();
    const event = { message: m, previous };
    this.editLog.push(event);
    this.events.emit("edit", event);
  }

  newCallbackQueryId(): string {
    this.callbackSeq += 1;
    return `${this.bot.id}${String(this.callbackSeq).padStart(8, "0")}`;
  }

  botMessages(chatId: number): StoredMessage[] {
    const cs = this.chats.get(chatId);
    return cs ? [...cs.messages.values()].filter((m) => m.outgoing) : [];
  }
}

const SNAPSHOT_KEYS = [
  "text",
  "entities",
  "caption",
  "caption_entities",
  "reply_markup",
  "edit_date",
  "parse_mode",
  "raw_text",
] as const;

export function snapshot(m: StoredMessage): MessageSnapshot {
  const s: MessageSnapshot = {};
  for (const key of SNAPSHOT_KEYS) if (m[key] !== undefined) Object.assign(s, { [key]: m[key] });
  return s;
}

const INTERNAL_KEYS = new Set(["outgoing", "parse_mode", "raw_text", "edits", "deleted"]);

/** The Telegram object for a stored message: bookkeeping dropped, only inline keyboards echoed. */
export function toApi(m: StoredMessage): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(m)) {
    if (INTERNAL_KEYS.has(k) || v === undefined) continue;
    if (k === "reply_markup" && !(typeof v === "object" && v !== null && "inline_keyboard" in v)) continue;
    out[k] = v;
  }
  return out;
}

/**
 * The command menu a person sees in their private chat with the bot: the narrowest scope that has commands, each
 * first for their app's language (its two letters), then for all languages: the chat, all private chats, the default.
 */
export function menuSeen(commands: ReadonlyMap<string, BotCommand[]>, chatId: number, languageCode = ""): BotCommand[] {
  const lang = languageCode.slice(0, 2).toLowerCase();
  for (const scope of [{ type: "chat", chat_id: chatId }, { type: "all_private_chats" }, { type: "default" }])
    for (const code of lang ? [lang, ""] : [""]) {
      const found = commands.get(scopeKey(scope, code));
      if (found) return found;
    }
  return [];
}

export function scopeKey(scope: unknown, languageCode: unknown): string {
  const s = typeof scope === "object" && scope !== null ? (scope as Record<string, unknown>) : { type: "default" };
  const parts = [String(s["type"] ?? "default")];
  if (s["chat_id"] !== undefined) parts.push(`chat:${String(s["chat_id"])}`);
  if (s["user_id"] !== undefined) parts.push(`user:${String(s["user_id"])}`);
  return `${parts.join("/")}|${typeof languageCode === "string" ? languageCode : ""}`;
}
