// Sending, copying, forwarding and deleting messages.
import { badRequest } from "../errors.js";
import { format } from "../format.js";
import { readReplyMarkup } from "../markup.js";
import type { Params } from "../params.js";
import { type ChatState, type State, toApi } from "../state.js";
import type { StoredMessage } from "../types.js";
import type { CallContext, Handler } from "./context.js";
import { asDocument, photoSizes, resolveFile, resolveFileValue } from "./media.js";

export const TEXT_LIMIT = 4096;
export const CAPTION_LIMIT = 1024;

type Fields = Omit<StoredMessage, "message_id" | "date" | "chat" | "edits" | "deleted" | "outgoing">;

/** Text after parse_mode, with Telegram's emptiness and length checks. */
export function readText(p: Params): Pick<Fields, "text" | "entities" | "parse_mode" | "raw_text"> {
  const raw = p.string("text") ?? "";
  if (raw.trim() === "") throw badRequest("message text is empty");
  const f = format(raw, p.raw["parse_mode"], p.json("entities"));
  if (f.text.trim() === "") throw badRequest("message text is empty");
  if (f.text.length > TEXT_LIMIT) throw badRequest("message is too long");
  return withParseMode(p, { text: f.text, ...(f.entities.length > 0 ? { entities: f.entities } : {}), raw_text: raw });
}

export function readCaption(p: Params): Pick<Fields, "caption" | "caption_entities" | "parse_mode" | "raw_text"> {
  const raw = p.string("caption");
  if (raw === undefined || raw === "") return {};
  const f = format(raw, p.raw["parse_mode"], p.json("caption_entities"));
  if (f.text.length > CAPTION_LIMIT) throw badRequest("message caption is too long");
  return withParseMode(p, {
    caption: f.text,
    ...(f.entities.length > 0 ? { caption_entities: f.entities } : {}),
    raw_text: raw,
  });
}

function withParseMode<T extends object>(p: Params, fields: T): T & { parse_mode?: string } {
  const mode = p.string("parse_mode");
  return mode ? { ...fields, parse_mode: mode } : fields;
}

/** Common part of every send*: target chat, reply target, keyboard. */
function send(c: CallContext, content: Fields): Record<string, unknown> {
  const cs = c.state.chat(c.p.chatId());
  const markup = readReplyMarkup(c.p);
  const reply = replyTarget(c.p, cs);
  const m = c.state.addMessage(
    cs,
    { ...content, ...(markup ? { reply_markup: markup } : {}), ...(reply ? { reply_to_message: toApi(reply) } : {}) },
    true,
  );
  return toApi(m);
}

function replyTarget(p: Params, cs: ChatState): StoredMessage | undefined {
  const rp = p.json("reply_parameters");
  const rpObj = typeof rp === "object" && rp !== null ? (rp as Record<string, unknown>) : undefined;
  const id = typeof rpObj?.["message_id"] === "number" ? rpObj["message_id"] : p.int("reply_to_message_id");
  if (id === undefined) return undefined;
  const m = cs.messages.get(id);
  if (m && !m.deleted) return m;
  if (rpObj?.["allow_sending_without_reply"] === true || p.bool("allow_sending_without_reply")) return undefined;
  throw badRequest("message to be replied not found");
}

const CHAT_ACTIONS = new Set([
  "typing",
  "upload_photo",
  "record_video",
  "upload_video",
  "record_voice",
  "upload_voice",
  "upload_document",
  "choose_sticker",
  "find_location",
  "record_video_note",
  "upload_video_note",
]);

function copyContent(src: StoredMessage): Fields {
  const keys = [
    "text",
    "entities",
    "caption",
    "caption_entities",
    "photo",
    "document",
    "sticker",
    "voice",
    "location",
    "contact",
  ] as const;
  const out: Fields = {};
  for (const k of keys) if (src[k] !== undefined) Object.assign(out, { [k]: src[k] });
  return out;
}

function sourceMessage(state: State, p: Params): StoredMessage {
  const m = state.findMessage(p.chatId("from_chat_id"), p.int("message_id"));
  if (!m) throw badRequest("message to copy not found");
  return m;
}

export const messageMethods: Record<string, Handler> = {
  sendMessage: (c) => send(c, readText(c.p)),

  sendPhoto: (c) => {
    const file = resolveFile(c.state, c.p, "photo", "photo");
    return send(c, { photo: photoSizes(c.state, file), ...readCaption(c.p) });
  },

  sendDocument: (c) =>
    send(c, { document: asDocument(resolveFile(c.state, c.p, "document", "document")), ...readCaption(c.p) }),

  sendSticker: (c) => {
    const f = resolveFile(c.state, c.p, "sticker", "sticker");
    return send(c, {
      sticker: {
        file_id: f.file_id,
        file_unique_id: f.file_unique_id,
        file_size: f.file_size,
        type: "regular",
        width: 512,
        height: 512,
        is_animated: false,
        is_video: false,
      },
    });
  },

  sendLocation: (c) => {
    const latitude = c.p.float("latitude");
    const longitude = c.p.float("longitude");
    if (latitude === undefined || longitude === undefined || Math.abs(latitude) > 90 || Math.abs(longitude) > 180) {
      throw badRequest("wrong coordinates specified");
    }
    return send(c, { location: { latitude, longitude } });
  },

  sendContact: (c) => {
    const phone_number = c.p.string("phone_number");
    const first_name = c.p.string("first_name");
    if (!phone_number) throw badRequest("phone number is empty");
    if (!first_name) throw badRequest("first name is empty");
    const last_name = c.p.string("last_name");
    return send(c, { contact: { phone_number, first_name, ...(last_name ? { last_name } : {}) } });
  },

  sendChatAction: (c) => {
    const cs = c.state.chat(c.p.chatId());
    const action = c.p.string("action") ?? "";
    if (!CHAT_ACTIONS.has(action)) throw badRequest("wrong parameter action in request");
    cs.actions.push({ action, date: c.state.unixNow() });
    return true;
  },

  copyMessage: (c) => {
    const src = sourceMessage(c.state, c.p);
    const content = copyContent(src);
    if (c.p.has("caption")) Object.assign(content, readCaption(c.p));
    const sent = send(c, content);
    return { message_id: sent["message_id"] };
  },

  forwardMessage: (c) => {
    const src = sourceMessage(c.state, c.p);
    const origin =
      src.forward_origin ??
      (src.from
        ? { type: "user" as const, sender_user: src.from, date: src.date }
        : { type: "hidden_user" as const, sender_user_name: "Unknown", date: src.date });
    const cs = c.state.chat(c.p.chatId());
    return toApi(c.state.addMessage(cs, { ...copyContent(src), forward_origin: origin }, true));
  },

  /** Albums: `media` is JSON whose items reference uploads with "attach://<part>". */
  sendMediaGroup: (c) => {
    const media = c.p.json("media");
    if (!Array.isArray(media) || media.length < 2 || media.length > 10) {
      throw badRequest("wrong number of messages specified: must be 2-10");
    }
    const cs = c.state.chat(c.p.chatId());
    return media.map((item: unknown, i) => {
      const o = typeof item === "object" && item !== null ? (item as Record<string, unknown>) : {};
      const ref = typeof o["media"] === "string" ? c.p.resolveAttach(o["media"]) : undefined;
      const kind = o["type"] === "document" ? "document" : "photo";
      const file = resolveFileValue(c.state, ref, `media #${i}`, kind);
      const cap = typeof o["caption"] === "string" && o["caption"] !== "" ? { caption: o["caption"] } : {};
      const content: Fields =
        kind === "document" ? { document: asDocument(file), ...cap } : { photo: photoSizes(c.state, file), ...cap };
      return toApi(c.state.addMessage(cs, content, true));
    });
  },

  deleteMessage: (c) => {
    const m = c.state.findMessage(c.p.chatId(), c.p.int("message_id"));
    if (!m) throw badRequest("message to delete not found");
    m.deleted = true;
    c.state.events.emit("delete", m);
    return true;
  },

  deleteMessages: (c) => {
    const chatId = c.p.chatId();
    const ids = c.p.json("message_ids");
    if (!Array.isArray(ids) || ids.length === 0) throw badRequest("message identifiers are not specified");
    for (const id of ids) {
      const m = c.state.findMessage(chatId, Number(id));
      if (m) {
        m.deleted = true;
        c.state.events.emit("delete", m);
      }
    }
    return true;
  },
};
