import type { Transformer } from "grammy";

const TOO_LATE = /query is too old|query ID is invalid/i;

/**
 * Telegram lets a callback query be answered for a few seconds only. Behind a queue (the first morning of a
 * campaign) the answer can come too late: the button's spinner has already stopped, but the press itself still
 * counts, so the refusal must not turn the whole update into "something went wrong".
 */
export const tolerateLateCallbackAnswers: Transformer = async (prev, method, payload, signal) => {
  const res = await prev(method, payload, signal);
  if (method === "answerCallbackQuery" && !res.ok && res.error_code === 400 && TOO_LATE.test(res.description)) {
    return { ok: true, result: true as never };
  }
  return res;
};
