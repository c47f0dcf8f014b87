import { GrammyError, HttpError, type Transformer } from "grammy";
import { describe, expect, it } from "vitest";
import { SendBudget } from "../../../bot/send-budget.js";
import { errorClass } from "../../../bot/features/broadcast/errors.js";

const ok = () => Promise.resolve({ ok: true as const, result: true });
const call = (t: Transformer, method: string) => t(ok as never, method as never, {} as never);

describe("the broadcast's budget: the bot's own messages are charged to running workers", () => {
  it("each bot has its own budget: one bot's messages are not charged to another bot's workers", async () => {
    const mine = new SendBudget();
    const theirs = new SendBudget();
    let charged = 0;
    theirs.onBotSend((n) => (charged += n));
    await call(mine.chargeBotSends, "sendMessage");
    expect(charged).toBe(0);
  });

  it("every message the bot sends through bot.api is charged; other calls are not", async () => {
    const budget = new SendBudget();
    let charged = 0;
    const off = budget.onBotSend((n) => (charged += n));
    for (const m of [
      "sendMessage",
      "sendPhoto",
      "copyMessage",
      "sendChatAction",
      "editMessageText",
      "answerCallbackQuery",
    ])
      await call(budget.chargeBotSends, m);
    off();
    await call(budget.chargeBotSends, "sendMessage");
    expect(charged).toBe(3);
  });

  it("a conversation's calls are charged once, not again each time the conversation replays them from its log", async () => {
    const budget = new SendBudget();
    let charged = 0;
    const off = budget.onBotSend((n) => (charged += n));
    const charger = budget.liveSendCharger();
    // Update 1: two messages sent live.
    const first = charger(1);
    await call(first, "sendMessage");
    await call(first, "sendMessage");
    expect(charged).toBe(2);
    // Update 2 arrives: the builder replays update 1's two calls (a fresh Api, the same transformer), then sends one live.
    await call(charger(1), "sendMessage");
    await call(charger(1), "sendMessage");
    const second = charger(2);
    await call(second, "sendMessage");
    expect(charged).toBe(3);
    // A replay that goes further for update 1 (a live call made with that update's context) is charged.
    const again = charger(1);
    for (let i = 0; i < 3; i++) await call(again, "sendMessage");
    expect(charged).toBe(4);
    off();
  });
});

describe("a failed message's error class: code and kind of description, no quoted text", () => {
  it("Telegram errors keep the code and the first two parts of the description, numbers masked", () => {
    const e = (code: number, description: string) =>
      new GrammyError("x", { ok: false, error_code: code, description }, "sendMessage", {});
    expect(errorClass(e(400, "Bad Request: chat not found"))).toBe("400 bad request: chat not found");
    expect(errorClass(e(429, "Too Many Requests: retry after 17"))).toBe("429 too many requests: retry after N");
    expect(
      errorClass(e(400, 'Bad Request: can\'t parse entities: Unsupported start tag "Айгерим" at byte offset 12')),
    ).toBe("400 bad request: can't parse entities");
    expect(errorClass(e(403, "Forbidden: bot was blocked by the user"))).toBe(
      "403 forbidden: bot was blocked by the user",
    );
  });

  it("network errors and others keep their class only", () => {
    expect(errorClass(new HttpError("Network request for 'sendMessage' failed!", new TypeError("fetch failed")))).toBe(
      "network TypeError",
    );
    expect(errorClass(new RangeError("x"))).toBe("RangeError");
    expect(errorClass("weird")).toBe("unknown");
  });
});
