import { describe, expect, it } from "vitest";
import { dropEmptyKeyboardRows } from "../../../bot/middleware/keyboard-rows.js";

describe("outgoing keyboards are compacted", () => {
  it("drops empty rows of inline and reply keyboards, leaves the rest alone", async () => {
    let seen: unknown;
    const prev = ((_m: string, payload: unknown) => {
      seen = payload;
      return Promise.resolve({ ok: true, result: true });
    }) as unknown as Parameters<typeof dropEmptyKeyboardRows>[0];
    const button = { text: "a", callback_data: "x" };
    await dropEmptyKeyboardRows(prev, "sendMessage", {
      chat_id: 1,
      text: "t",
      reply_markup: { inline_keyboard: [[], [button], []] },
    } as never);
    expect(seen).toEqual({ chat_id: 1, text: "t", reply_markup: { inline_keyboard: [[button]] } });
    await dropEmptyKeyboardRows(prev, "sendMessage", {
      chat_id: 1,
      text: "t",
      reply_markup: { keyboard: [[{ text: "k" }], []], resize_keyboard: true },
    } as never);
    expect(seen).toEqual({
      chat_id: 1,
      text: "t",
      reply_markup: { keyboard: [[{ text: "k" }]], resize_keyboard: true },
    });
    await dropEmptyKeyboardRows(prev, "answerCallbackQuery", { callback_query_id: "1" } as never);
    expect(seen).toEqual({ callback_query_id: "1" });
  });
});
