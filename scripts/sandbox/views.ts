// What the page gets to draw a chat: plain JSON of a message (text + entities, never HTML), and the command menu
// resolved the way Telegram resolves it for a private chat.
import type { BotCommand, MessageEntity } from "grammy/types";
import type { Emulator, StoredMessage } from "../emulator/index.js";

export interface ButtonView {
  text: string;
  data?: string;
  url?: string;
  copy?: string;
}

export interface KeyButtonView {
  text: string;
  location?: true;
  contact?: true;
}

export interface ReplyKeyboardView {
  rows: KeyButtonView[][];
  oneTime: boolean;
  placeholder?: string;
}

export interface FileView {
  fileId: string;
  name?: string;
  mime?: string;
  size?: number;
}

export interface MessageView {
  id: number;
  /** Sent by the bot (left), or by the persona (right). */
  fromBot: boolean;
  date: number;
  edited: boolean;
  text?: string;
  entities?: MessageEntity[];
  caption?: string;
  captionEntities?: MessageEntity[];
  photo?: FileView & { width?: number; height?: number };
  document?: FileView;
  location?: { latitude: number; longitude: number };
  contact?: { phone: string; name: string };
  sticker?: string;
  voice?: { duration: number };
  forwardedFrom?: string;
  inline?: ButtonView[][];
  /** A reply keyboard this message shows, or `"remove"` when it takes the keyboard away. */
  keyboard?: ReplyKeyboardView | "remove";
}

export function messageView(m: StoredMessage): MessageView {
  // Like Telegram, only a changed text or caption marks a message edited (not a keyboard taken away).
  const edited = m.edits.some((e) => e.text !== m.text || e.caption !== m.caption);
  const v: MessageView = { id: m.message_id, fromBot: m.outgoing, date: m.date, edited };
  if (m.text !== undefined) v.text = m.text;
  if (m.entities?.length) v.entities = m.entities;
  if (m.caption !== undefined) v.caption = m.caption;
  if (m.caption_entities?.length) v.captionEntities = m.caption_entities;
  // The largest size is the file that was uploaded; smaller ones are the emulator's stand-ins.
  const photo = m.photo?.at(-1);
  if (photo) v.photo = { fileId: photo.file_id, width: photo.width, height: photo.height, size: photo.file_size ?? 0 };
  if (m.document) v.document = fileView(m.document);
  if (m.location) v.location = { latitude: m.location.latitude, longitude: m.location.longitude };
  if (m.contact)
    v.contact = {
      phone: m.contact.phone_number,
      name: [m.contact.first_name, m.contact.last_name].filter(Boolean).join(" "),
    };
  if (m.sticker) v.sticker = m.sticker.emoji ?? "🖼";
  if (m.voice) v.voice = { duration: m.voice.duration };
  const origin = m.forward_origin;
  if (origin)
    v.forwardedFrom =
      origin.type === "user"
        ? origin.sender_user.first_name
        : origin.type === "hidden_user"
          ? origin.sender_user_name
          : origin.type;
  const rm = m.reply_markup;
  if (rm && "inline_keyboard" in rm) {
    v.inline = rm.inline_keyboard.map((row) =>
      row.map((b) => ({
        text: b.text,
        ...("callback_data" in b ? { data: b.callback_data } : {}),
        ...("url" in b ? { url: b.url } : {}),
        ...("copy_text" in b ? { copy: b.copy_text.text } : {}),
      })),
    );
  }
  if (rm && "keyboard" in rm) {
    v.keyboard = {
      rows: rm.keyboard.map((row) =>
        row.map((b) =>
          typeof b === "string"
            ? { text: b }
            : {
                text: b.text,
                ...("request_location" in b && b.request_location ? { location: true as const } : {}),
                ...("request_contact" in b && b.request_contact ? { contact: true as const } : {}),
              },
        ),
      ),
      oneTime: rm.one_time_keyboard === true,
      ...(rm.input_field_placeholder !== undefined ? { placeholder: rm.input_field_placeholder } : {}),
    };
  }
  if (rm && "remove_keyboard" in rm) v.keyboard = "remove";
  return v;
}

function fileView(d: { file_id: string; file_name?: string; mime_type?: string; file_size?: number }): FileView {
  return {
    fileId: d.file_id,
    ...(d.file_name !== undefined ? { name: d.file_name } : {}),
    ...(d.mime_type !== undefined ? { mime: d.mime_type } : {}),
    ...(d.file_size !== undefined ? { size: d.file_size } : {}),
  };
}

/** Every message of a private chat, oldest first, both sides. */
export function chatMessages(tg: Emulator, chatId: number): MessageView[] {
  const cs = tg.state.chats.get(chatId);
  return cs ? [...cs.messages.values()].filter((m) => !m.deleted).map(messageView) : [];
}

/** Telegram's order for a private chat: chat scope, all private chats, default; each with the language first. */
export function commandMenu(tg: Emulator, chatId: number, languageCode: string): BotCommand[] {
  const scopes = [{ type: "chat", chat_id: chatId }, { type: "all_private_chats" }, { type: "default" }];
  for (const scope of scopes) {
    for (const lang of [languageCode, ""]) {
      const list = tg.commands(scope, lang);
      if (list?.length) return list;
    }
  }
  return [];
}
