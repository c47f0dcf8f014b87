import { HttpError, type Transformer } from "grammy";
import type { Fetch, FetchInit } from "./telegram-fetch.js";

/**
 * The calls an update makes by the dozen, none of which can carry a file: what grammY's client would post for them is
 * plain JSON, and they are posted here directly.
 */
const DIRECT: ReadonlySet<string> = new Set([
  "sendMessage",
  "editMessageText",
  "editMessageReplyMarkup",
  "answerCallbackQuery",
  "deleteMessage",
  "sendChatAction",
  "setMyCommands",
  "deleteMyCommands",
]);

const RESULT_UNREAD = Symbol("the caller reads nothing of a successful answer");

/**
 * A call's options, marked: the caller reads nothing of its successful answer (an edit whose message it drops), so
 * a call posted directly skips decoding it and answers `true` (bot/telegram-fetch.ts). The mark is a symbol, so it
 * is never sent; grammY's methods spread the options into the payload, which keeps it.
 */
export function resultUnread<O extends object>(other?: O): O {
  return { ...other, [RESULT_UNREAD]: true } as O;
}

export interface DirectOptions {
  /** The Bot API root and the token, as grammY builds a method's URL from them. */
  apiRoot: string;
  token: string;
  /** The fetch grammY's client is given (retries included). */
  fetch: Fetch;
  /** A bound on each call, for a fetch that sets none of its own (undiciFetch's connections time out by themselves). */
  timeoutSeconds?: number;
}

/**
 * Posts the calls in DIRECT without grammY's client, which for each call walks the payload for files, encodes it
 * through a replacer function (to drop nulls), and sets up an abort controller (a JavaScript polyfill on Node), a
 * timer and a race of three promises. Here: the JSON as it is, and the answer handed back as grammY's client hands it
 * (grammY checks `ok` itself and raises its GrammyError). A payload holding a null (grammY would drop it), a caller's
 * own abort signal, and every other method go to grammY's client. Installed first, so that every other transformer
 * sees each call as before.
 */
export function postingDirectly(opts: DirectOptions): Transformer {
  const root = `${opts.apiRoot}/bot${opts.token}/`;
  const headers = { "content-type": "application/json", connection: "keep-alive" };
  const timeoutMs = opts.timeoutSeconds === undefined ? undefined : opts.timeoutSeconds * 1000;
  return async (prev, method, payload, signal) => {
    if (signal !== undefined || !DIRECT.has(method)) return prev(method, payload, signal);
    const body = JSON.stringify(payload ?? {});
    if (body.includes("null")) return prev(method, payload, signal);
    try {
      const init: FetchInit = {
        method: "POST",
        headers,
        body,
        signal: timeoutMs === undefined ? undefined : AbortSignal.timeout(timeoutMs),
        resultUnread: (payload as { [RESULT_UNREAD]?: true } | undefined)?.[RESULT_UNREAD],
      };
      const res = await opts.fetch(root + method, init);
      return await res.json();
    } catch (err) {
      throw new HttpError(`Network request for '${method}' failed!`, err);
    }
  };
}
