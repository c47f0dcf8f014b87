// A scripted Telegram user: produces updates the way a real client would, and reads what the bot
// sent to its chat. Reading uses a cursor, so `nextMessage()` returns each bot message exactly once.
import type { Chat, MessageEntity, ReplyKeyboardMarkup, User } from "grammy/types";
import { inlineButtons } from "./markup.js";
import { photoSizes } from "./methods/media.js";
import { type State, toApi } from "./state.js";
import type { CallbackAnswer, EditEvent, StoredMessage } from "./types.js";
import { type WaitOptions, describeChat, summarize, waitUntil } from "./wait.js";

export interface UserInit {
  id: number;
  first_name?: string;
  last_name?: string;
  username?: string;
  language_code?: string;
  is_premium?: true;
}

/** What the scripted user needs from the emulator. */
export interface UserHost {
  state: State;
  push(update: Record<string, unknown>): number | undefined;
  defaultTimeoutMs: number;
}

export interface CallbackHandle {
  id: string;
  data: string | undefined;
  message: StoredMessage | undefined;
  /** The bot's answerCallbackQuery, once it arrives. */
  answer(opts?: WaitOptions): Promise<CallbackAnswer>;
}

type Extra = { caption?: string; reply_to?: number };

export class ScriptedUser {
  readonly user: User;
  readonly chat: Chat;
  private cursor = 0;
  private editCursor: number;

  constructor(
    private readonly host: UserHost,
    init: UserInit,
    chat?: Chat,
  ) {
    this.user = { is_bot: false, first_name: `User ${init.id}`, ...init };
    this.chat = chat ?? {
      id: init.id,
      type: "private",
      first_name: this.user.first_name,
      ...(init.last_name !== undefined ? { last_name: init.last_name } : {}),
      ...(init.username !== undefined ? { username: init.username } : {}),
    };
    host.state.ensureChat(this.chat);
    this.editCursor = host.state.editLog.length;
  }

  get id(): number {
    return this.user.id;
  }

  /** The same person writing in another (group) chat. */
  in(chat: Chat): ScriptedUser {
    return new ScriptedUser(this.host, this.user as UserInit, chat);
  }

  // ---------- sending ----------

  /** A text message; a leading /command gets its bot_command entity, as Telegram clients do. */
  send(text: string, extra: { entities?: MessageEntity[]; reply_to?: number } = {}): StoredMessage {
    const cmd = /^\/[A-Za-z0-9_]+(@[A-Za-z0-9_]+)?/.exec(text);
    const entities =
      extra.entities ?? (cmd ? [{ type: "bot_command" as const, offset: 0, length: cmd[0].length }] : []);
    return this.post({ text, ...(entities.length ? { entities } : {}) }, extra);
  }

  /** `command("/start", "ref_1")` or `command("start")`. */
  command(command: string, args?: string): StoredMessage {
    const name = command.startsWith("/") ? command : `/${command}`;
    return this.post({
      text: args ? `${name} ${args}` : name,
      entities: [{ type: "bot_command", offset: 0, length: name.length }],
    });
  }

  sendPhoto(opts: Extra & { file_size?: number; content?: Buffer } = {}): StoredMessage {
    const f = this.host.state.files.add({ kind: "photo", mime_type: "image/jpeg", ...sized(opts, 120_000) });
    return this.post({ photo: photoSizes(this.host.state, f), ...caption(opts) }, opts);
  }

  sendDocument(
    opts: Extra & { file_name?: string; mime_type?: string; file_size?: number; content?: Buffer } = {},
  ): StoredMessage {
    const file_name = opts.file_name ?? "document.pdf";
    const mime_type = opts.mime_type ?? (file_name.endsWith(".pdf") ? "application/pdf" : "application/octet-stream");
    const f = this.host.state.files.add({ kind: "document", file_name, mime_type, ...sized(opts, 50_000) });
    return this.post(
      {
        document: {
          file_id: f.file_id,
          file_unique_id: f.file_unique_id,
          file_name,
          mime_type,
          file_size: f.file_size,
        },
        ...caption(opts),
      },
      opts,
    );
  }

  sendSticker(opts: { emoji?: string } = {}): StoredMessage {
    const f = this.host.state.files.add({ kind: "sticker", size: 20_000, mime_type: "image/webp" });
    const sticker = {
      file_id: f.file_id,
      file_unique_id: f.file_unique_id,
      file_size: f.file_size,
      type: "regular" as const,
      width: 512,
      height: 512,
      is_animated: false,
      is_video: false,
      emoji: opts.emoji ?? "👍",
    };
    return this.post({ sticker });
  }

  sendVoice(opts: { duration?: number; file_size?: number } = {}): StoredMessage {
    const f = this.host.state.files.add({ kind: "voice", size: opts.file_size ?? 8_000, mime_type: "audio/ogg" });
    return this.post({
      voice: {
        file_id: f.file_id,
        file_unique_id: f.file_unique_id,
        duration: opts.duration ?? 3,
        mime_type: "audio/ogg",
        file_size: f.file_size,
      },
    });
  }

  sendLocation(latitude: number, longitude: number): StoredMessage {
    return this.post({ location: { latitude, longitude } });
  }

  /** Defaults to the user's own contact (what a request_contact button shares). */
  sendContact(
    c: { phone_number?: string; first_name?: string; last_name?: string; user_id?: number } = {},
  ): StoredMessage {
    const own = c.user_id === undefined && c.first_name === undefined;
    return this.post({
      contact: {
        phone_number: c.phone_number ?? `+7701${String(this.id).padStart(7, "0").slice(-7)}`,
        first_name: c.first_name ?? this.user.first_name,
        ...(c.last_name !== undefined ? { last_name: c.last_name } : {}),
        ...(own ? { user_id: this.id } : c.user_id !== undefined ? { user_id: c.user_id } : {}),
      },
    });
  }

  /** A message forwarded from someone else (or from a user who hides their account). */
  forward(opts: { from: UserInit | { hidden: string }; text?: string; date?: number }): StoredMessage {
    const date = opts.date ?? this.host.state.unixNow() - 3600;
    const origin =
      "hidden" in opts.from
        ? { type: "hidden_user" as const, sender_user_name: opts.from.hidden, date }
        : {
            type: "user" as const,
            sender_user: { is_bot: false, first_name: `User ${opts.from.id}`, ...opts.from },
            date,
          };
    return this.post({ text: opts.text ?? "forwarded message", forward_origin: origin });
  }

  /** Presses the inline button with this text or callback_data on the newest bot message showing it. */
  press(button: string, opts: { message?: StoredMessage | number } = {}): CallbackHandle {
    const candidates = opts.message !== undefined ? [this.resolve(opts.message)] : this.messages().reverse();
    for (const m of candidates) {
      const b = inlineButtons(m).find((x) => x.text === button || ("callback_data" in x && x.callback_data === button));
      if (b && "callback_data" in b) return this.callback(b.callback_data, m);
    }
    throw new Error(
      `No inline button "${button}" in chat ${this.chat.id}.\n${describeChat(this.host.state, this.chat.id)}`,
    );
  }

  /** A callback query with arbitrary data, as a tampered or outdated client could send. */
  pressForged(data: string, opts: { message?: StoredMessage | number } = {}): CallbackHandle {
    const m = opts.message !== undefined ? this.resolve(opts.message) : this.lastMessage();
    return this.callback(data, m);
  }

  /** Presses a reply-keyboard button: sends its text, or the contact/location it requests. */
  tap(text: string): StoredMessage {
    const kb = this.replyKeyboard();
    const b = kb?.keyboard.flat().find((x) => (typeof x === "string" ? x : x.text) === text);
    if (!b)
      throw new Error(
        `No reply keyboard button "${text}" in chat ${this.chat.id}.\n${describeChat(this.host.state, this.chat.id)}`,
      );
    if (typeof b !== "string" && "request_contact" in b && b.request_contact) return this.sendContact();
    if (typeof b !== "string" && "request_location" in b && b.request_location)
      return this.sendLocation(43.238949, 76.889709);
    return this.send(text);
  }

  /** The user edits one of their messages (edited_message update). */
  edit(message: StoredMessage, text: string): void {
    message.edits.push({ ...(message.text !== undefined ? { text: message.text } : {}) });
    message.text = text;
    message.edit_date = this.host.state.unixNow();
    this.host.push({ edited_message: toApi(message) });
  }

  /** Blocks the bot: later calls to this chat answer 403, and the bot gets a my_chat_member update. */
  block(): void {
    this.host.state.ensureChat(this.chat).blocked = true;
    this.memberUpdate("member", "kicked");
  }

  unblock(): void {
    this.host.state.ensureChat(this.chat).blocked = false;
    this.memberUpdate("kicked", "member");
  }

  // ---------- reading ----------

  /** Bot messages in this chat, oldest first (deleted ones excluded unless asked). */
  messages(opts: { includeDeleted?: boolean } = {}): StoredMessage[] {
    return this.host.state.botMessages(this.chat.id).filter((m) => opts.includeDeleted || !m.deleted);
  }

  lastMessage(): StoredMessage | undefined {
    return this.messages().at(-1);
  }

  /** The next bot message not yet returned by nextMessage (it may already have arrived). */
  nextMessage(opts: WaitOptions = {}): Promise<StoredMessage> {
    return waitUntil(
      this.host.state,
      () => {
        const m = this.host.state.botMessages(this.chat.id)[this.cursor];
        if (m) this.cursor += 1;
        return m;
      },
      this.waitOpts("nextMessage", opts, ["message"]),
    );
  }

  /** Marks everything received so far as read for nextMessage/nextEdit. */
  skip(): void {
    this.cursor = this.host.state.botMessages(this.chat.id).length;
    this.editCursor = this.host.state.editLog.length;
  }

  nextEdit(opts: WaitOptions = {}): Promise<EditEvent> {
    const log = this.host.state.editLog;
    return waitUntil(
      this.host.state,
      () => {
        while (this.editCursor < log.length) {
          const e = log[this.editCursor++];
          if (e && e.message.chat.id === this.chat.id) return e;
        }
        return undefined;
      },
      this.waitOpts("nextEdit", opts, ["edit"]),
    );
  }

  /** Resolves with the first bot message (current state, edits included) matching the predicate. */
  waitFor(predicate: (m: StoredMessage) => boolean, opts: WaitOptions = {}): Promise<StoredMessage> {
    return waitUntil(
      this.host.state,
      () => this.messages().find(predicate),
      this.waitOpts("waitFor", opts, ["message", "edit"]),
    );
  }

  /** The reply keyboard currently shown to the user, if any. */
  replyKeyboard(): ReplyKeyboardMarkup | undefined {
    for (const m of this.messages({ includeDeleted: true }).reverse()) {
      const rm = m.reply_markup;
      if (rm && "keyboard" in rm) return rm;
      if (rm && "remove_keyboard" in rm) return undefined;
    }
    return undefined;
  }

  /** Chat actions (typing, upload_document…) the bot sent to this chat. */
  actions(): string[] {
    return (this.host.state.chats.get(this.chat.id)?.actions ?? []).map((a) => a.action);
  }

  /** Human-readable transcript of what the bot sent, for assertions and debugging. */
  transcript(): string {
    return this.messages({ includeDeleted: true }).map(summarize).join("\n");
  }

  // ---------- internals ----------

  private waitOpts(what: string, opts: WaitOptions, events: Array<"message" | "edit">) {
    return {
      timeoutMs: opts.timeout ?? this.host.defaultTimeoutMs,
      what: `${what} (chat ${this.chat.id})`,
      describe: () => describeChat(this.host.state, this.chat.id),
      events,
    };
  }

  private post(content: Partial<StoredMessage>, extra: Extra = {}): StoredMessage {
    const cs = this.host.state.ensureChat(this.chat);
    const reply = extra.reply_to !== undefined ? cs.messages.get(extra.reply_to) : undefined;
    const m = this.host.state.addMessage(
      cs,
      { from: this.user, ...content, ...(reply ? { reply_to_message: toApi(reply) } : {}) },
      false,
    );
    this.host.push({ message: toApi(m) });
    return m;
  }

  private resolve(m: StoredMessage | number): StoredMessage {
    const found = typeof m === "number" ? this.host.state.chats.get(this.chat.id)?.messages.get(m) : m;
    if (!found) throw new Error(`Message ${String(m)} not found in chat ${this.chat.id}`);
    return found;
  }

  private callback(data: string, m: StoredMessage | undefined): CallbackHandle {
    const state = this.host.state;
    const id = state.newCallbackQueryId();
    const query = {
      id,
      from: this.user,
      chat_instance: `-${String(1e15 + Math.abs(this.chat.id))}`,
      data,
      ...(m ? { message: toApi(m) } : {}),
    };
    state.callbackQueries.set(id, { query, createdAt: state.now() });
    this.host.push({ callback_query: query });
    return {
      id,
      data,
      message: m,
      answer: (opts = {}) =>
        waitUntil(state, () => state.callbackQueries.get(id)?.answer, {
          timeoutMs: opts.timeout ?? this.host.defaultTimeoutMs,
          what: `answerCallbackQuery for "${data}"`,
          describe: () => describeChat(state, this.chat.id),
          events: ["callbackAnswer"],
        }),
    };
  }

  private memberUpdate(from: "member" | "kicked", to: "member" | "kicked"): void {
    const date = this.host.state.unixNow();
    const member = (status: string) =>
      status === "kicked"
        ? { status, user: this.host.state.bot, until_date: 0 }
        : { status, user: this.host.state.bot };
    this.host.push({
      my_chat_member: {
        chat: this.chat,
        from: this.user,
        date,
        old_chat_member: member(from),
        new_chat_member: member(to),
      },
    });
  }
}

function sized(opts: { file_size?: number; content?: Buffer }, fallback: number): { data?: Buffer; size?: number } {
  return opts.content ? { data: opts.content } : { size: opts.file_size ?? fallback };
}

function caption(opts: Extra): { caption?: string } {
  return opts.caption !== undefined ? { caption: opts.caption } : {};
}
