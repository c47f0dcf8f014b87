// Bot-level methods: identity, commands, menu button, descriptions, files, callback answers, chats.
import type { BotCommand } from "grammy/types";
import { ApiError, QUERY_TOO_OLD, badRequest } from "../errors.js";
import { GET_FILE_LIMIT } from "../files.js";
import { scopeKey } from "../state.js";
import type { CallbackAnswer } from "../types.js";
import type { CallContext, Handler } from "./context.js";

function readCommands(c: CallContext): BotCommand[] {
  const raw = c.p.json("commands", "can't parse commands JSON object");
  if (!Array.isArray(raw)) throw badRequest('field "commands" must be an Array');
  if (raw.length > 100) throw badRequest("too many commands specified");
  return raw.map((cmd: unknown) => {
    const o = typeof cmd === "object" && cmd !== null ? (cmd as Record<string, unknown>) : {};
    const command = typeof o["command"] === "string" ? o["command"] : "";
    const description = typeof o["description"] === "string" ? o["description"] : "";
    if (!/^[a-z0-9_]{1,32}$/.test(command)) throw badRequest("BOT_COMMAND_INVALID");
    if (description.trim().length < 1 || description.length > 256) throw badRequest("BOT_COMMAND_DESCRIPTION_INVALID");
    return { command, description };
  });
}

function commandsKey(c: CallContext): string {
  const lang = c.p.string("language_code");
  if (lang !== undefined && lang !== "" && !/^[a-z]{2}$/.test(lang))
    throw badRequest("invalid language code specified");
  return scopeKey(c.p.json("scope"), lang);
}

/** setMyDescription & co: stored per language, read back by the matching getter. */
function setting(field: string, max: number): [Handler, Handler] {
  const key = (c: CallContext) => `${field}|${c.p.string("language_code") ?? ""}`;
  return [
    (c) => {
      const v = c.p.string(field) ?? "";
      if (v.length > max) throw badRequest(`${field} is too long`);
      c.state.settings.set(key(c), v);
      return true;
    },
    (c) => ({ [field]: c.state.settings.get(key(c)) ?? "" }),
  ];
}

const [setDescription, getDescription] = setting("description", 512);
const [setShortDescription, getShortDescription] = setting("short_description", 120);
const [setName, getName] = setting("name", 64);

export const botMethods: Record<string, Handler> = {
  getMe: (c) => ({
    ...c.state.bot,
    can_join_groups: true,
    can_read_all_group_messages: false,
    supports_inline_queries: false,
    can_connect_to_business: false,
    has_main_web_app: false,
  }),

  setMyCommands: (c) => {
    const commands = readCommands(c);
    c.state.commands.set(commandsKey(c), commands);
    return true;
  },
  getMyCommands: (c) => c.state.commands.get(commandsKey(c)) ?? [],
  deleteMyCommands: (c) => {
    c.state.commands.delete(commandsKey(c));
    return true;
  },

  setChatMenuButton: (c) => {
    const button = c.p.json("menu_button") ?? { type: "default" };
    if (c.p.has("chat_id")) c.state.chat(c.p.chatId()).menuButton = button;
    else c.state.settings.set("menu_button", button);
    return true;
  },
  getChatMenuButton: (c) =>
    (c.p.has("chat_id") ? c.state.chat(c.p.chatId()).menuButton : undefined) ??
    c.state.settings.get("menu_button") ?? { type: "default" },

  setMyDescription: setDescription,
  getMyDescription: getDescription,
  setMyShortDescription: setShortDescription,
  getMyShortDescription: getShortDescription,
  setMyName: setName,
  getMyName: getName,

  getFile: (c) => {
    const f = c.state.files.get(c.p.string("file_id") ?? "");
    if (!f) throw badRequest("invalid file_id");
    if (f.file_size > GET_FILE_LIMIT) throw badRequest("file is too big");
    return { file_id: f.file_id, file_unique_id: f.file_unique_id, file_size: f.file_size, file_path: f.file_path };
  },

  answerCallbackQuery: (c) => {
    const id = c.p.string("callback_query_id") ?? "";
    const q = c.state.callbackQueries.get(id);
    if (!q || q.answer || c.state.now() - q.createdAt > c.state.callbackQueryMaxAgeMs) {
      throw new ApiError(400, `Bad Request: ${QUERY_TOO_OLD}`);
    }
    const text = c.p.string("text");
    if (text !== undefined && text.length > 200) throw badRequest("MESSAGE_TOO_LONG");
    const answer: CallbackAnswer = { callback_query_id: id, date: c.state.unixNow() };
    if (text !== undefined) answer.text = text;
    const showAlert = c.p.bool("show_alert");
    if (showAlert !== undefined) answer.show_alert = showAlert;
    const url = c.p.string("url");
    if (url !== undefined) answer.url = url;
    const cacheTime = c.p.int("cache_time");
    if (cacheTime !== undefined) answer.cache_time = cacheTime;
    q.answer = answer;
    c.state.callbackAnswers.push(answer);
    c.state.events.emit("callbackAnswer", answer);
    return true;
  },

  getChat: (c) => {
    const cs = c.state.chat(c.p.chatId());
    return {
      ...cs.chat,
      accent_color_id: 0,
      max_reaction_count: 11,
      accepted_gift_types: {
        unlimited_gifts: false,
        limited_gifts: false,
        unique_gifts: false,
        premium_subscription: false,
      },
    };
  },
};
