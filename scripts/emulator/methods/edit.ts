// editMessageText / Caption / ReplyMarkup: edits apply in place, history is kept, and an identical
// edit fails with Telegram's "message is not modified".
import { ApiError, NOT_MODIFIED, badRequest } from "../errors.js";
import { readReplyMarkup, sameMarkup } from "../markup.js";
import { snapshot, toApi } from "../state.js";
import type { MessageSnapshot, StoredMessage } from "../types.js";
import type { CallContext, Handler } from "./context.js";
import { readCaption, readText } from "./messages.js";

function target(c: CallContext): StoredMessage {
  if (c.p.has("inline_message_id")) throw badRequest("inline messages are not supported by the emulator");
  const m = c.state.findMessage(c.p.chatId(), c.p.int("message_id"));
  if (!m) throw badRequest("message to edit not found");
  if (!m.outgoing) throw badRequest("message can't be edited");
  return m;
}

/** Only inline keyboards can be attached by an edit; omitting reply_markup removes the keyboard. */
function editMarkup(c: CallContext): MessageSnapshot["reply_markup"] {
  const markup = readReplyMarkup(c.p);
  if (markup && !("inline_keyboard" in markup)) throw badRequest("inline keyboard expected");
  return markup;
}

function commit(c: CallContext, m: StoredMessage, next: MessageSnapshot): Record<string, unknown> {
  const cur = snapshot(m);
  const same =
    cur.text === next.text &&
    cur.caption === next.caption &&
    JSON.stringify(cur.entities ?? []) === JSON.stringify(next.entities ?? []) &&
    JSON.stringify(cur.caption_entities ?? []) === JSON.stringify(next.caption_entities ?? []) &&
    sameMarkup(inlineOnly(cur.reply_markup), inlineOnly(next.reply_markup));
  if (same) throw new ApiError(400, `Bad Request: ${NOT_MODIFIED}`);
  c.state.applyEdit(m, next);
  return toApi(m);
}

const inlineOnly = (rm: MessageSnapshot["reply_markup"]) => (rm && "inline_keyboard" in rm ? rm : undefined);

/** A non-inline keyboard attached at send time is not part of the message and survives edits. */
function keepReplyKeyboard(m: StoredMessage, next: MessageSnapshot["reply_markup"]): MessageSnapshot["reply_markup"] {
  return next ?? (m.reply_markup && !("inline_keyboard" in m.reply_markup) ? m.reply_markup : undefined);
}

export const editMethods: Record<string, Handler> = {
  editMessageText: (c) => {
    const m = target(c);
    if (m.text === undefined) throw badRequest("there is no text in the message to edit");
    const text = readText(c.p);
    const markup = keepReplyKeyboard(m, editMarkup(c));
    return commit(c, m, { ...text, ...(markup ? { reply_markup: markup } : {}) });
  },

  editMessageCaption: (c) => {
    const m = target(c);
    if (m.text !== undefined) throw badRequest("there is no caption in the message to edit");
    const caption = readCaption(c.p);
    const markup = keepReplyKeyboard(m, editMarkup(c));
    return commit(c, m, { ...caption, ...(markup ? { reply_markup: markup } : {}) });
  },

  editMessageReplyMarkup: (c) => {
    const m = target(c);
    const cur = snapshot(m);
    const markup = keepReplyKeyboard(m, editMarkup(c));
    const { reply_markup: _old, edit_date: _d, ...content } = cur;
    return commit(c, m, { ...content, ...(markup ? { reply_markup: markup } : {}) });
  },
};
