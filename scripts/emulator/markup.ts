// reply_markup validation with Telegram's error texts, plus helpers to read keyboards back in tests.
import type { InlineKeyboardButton } from "grammy/types";
import { badRequest } from "./errors.js";
import type { Params } from "./params.js";
import type { ReplyMarkup, StoredMessage } from "./types.js";

const INLINE_ACTIONS = [
  "url",
  "callback_data",
  "web_app",
  "login_url",
  "switch_inline_query",
  "switch_inline_query_current_chat",
  "switch_inline_query_chosen_chat",
  "copy_text",
  "callback_game",
  "pay",
] as const;

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === "object" && v !== null && !Array.isArray(v);

export function readReplyMarkup(p: Params): ReplyMarkup | undefined {
  const raw = p.json("reply_markup", "can't parse reply keyboard markup JSON object");
  if (raw === undefined) return undefined;
  if (!isObject(raw)) throw badRequest("can't parse reply keyboard markup JSON object");
  if ("inline_keyboard" in raw) {
    const rows = raw["inline_keyboard"];
    if (!Array.isArray(rows)) throw badRequest('field "inline_keyboard" of the InlineKeyboardMarkup must be an Array');
    for (const row of rows) {
      if (!Array.isArray(row))
        throw badRequest('field "inline_keyboard" of the InlineKeyboardMarkup must be an Array of Arrays');
      for (const b of row) validateInlineButton(b);
    }
    return raw as unknown as ReplyMarkup;
  }
  if ("keyboard" in raw) {
    const rows = raw["keyboard"];
    if (!Array.isArray(rows) || !rows.every(Array.isArray)) {
      throw badRequest('field "keyboard" of the ReplyKeyboardMarkup must be an Array of Arrays');
    }
    for (const row of rows as unknown[][]) {
      for (const b of row) {
        const text = typeof b === "string" ? b : isObject(b) ? b["text"] : undefined;
        if (typeof text !== "string" || text === "")
          throw badRequest("can't parse keyboard button: Text must be non-empty");
      }
    }
    return raw as unknown as ReplyMarkup;
  }
  if (raw["remove_keyboard"] === true || raw["force_reply"] === true) return raw as unknown as ReplyMarkup;
  throw badRequest("can't parse reply keyboard markup JSON object");
}

function validateInlineButton(b: unknown): void {
  if (!isObject(b)) throw badRequest("can't parse inline keyboard button: InlineKeyboardButton must be an Object");
  if (typeof b["text"] !== "string" || b["text"] === "") throw badRequest("BUTTON_TEXT_INVALID");
  const actions = INLINE_ACTIONS.filter((a) => b[a] !== undefined);
  if (actions.length === 0) {
    throw badRequest("can't parse inline keyboard button: Text buttons are unallowed in the inline keyboard");
  }
  const data = b["callback_data"];
  if (data !== undefined) {
    const bytes = typeof data === "string" ? Buffer.byteLength(data) : 0;
    if (bytes < 1 || bytes > 64) throw badRequest("BUTTON_DATA_INVALID");
  }
  const url = b["url"];
  if (url !== undefined && (typeof url !== "string" || !/^(https?|tg):\/\/\S+$/.test(url))) {
    throw badRequest("BUTTON_URL_INVALID");
  }
}

/** Inline buttons of a message, row by row flattened. */
export function inlineButtons(m: StoredMessage | undefined): InlineKeyboardButton[] {
  const rm = m?.reply_markup;
  return rm && "inline_keyboard" in rm ? rm.inline_keyboard.flat() : [];
}

/** Texts of the reply keyboard buttons in a markup. */
export function replyButtonTexts(rm: ReplyMarkup | undefined): string[] {
  if (!rm || !("keyboard" in rm)) return [];
  return rm.keyboard.flat().map((b) => (typeof b === "string" ? b : b.text));
}

/** JSON-equality for the "message is not modified" check. */
export function sameMarkup(a: unknown, b: unknown): boolean {
  return JSON.stringify(a ?? null) === JSON.stringify(b ?? null);
}
