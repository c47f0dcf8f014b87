import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { apply, L, until } from "../../scripts/stack/flow.js";
import { startStack, type Stack } from "../../scripts/stack/harness.js";
import { IN_CAMPAIGN } from "../dates.js";

// Behind a long queue a callback query can be answered too late (Telegram: "query is too old"): the press still
// counts, and the person gets the next question, not "something went wrong".
const TOO_OLD = "Bad Request: query is too old and response timeout expired or query ID is invalid";

describe("a button answered too late", () => {
  let stack: Stack;
  beforeAll(async () => {
    stack = await startStack({ clockStart: IN_CAMPAIGN });
  });
  afterAll(async () => {
    await stack?.stop();
  });

  it("still counts: the language is chosen (kk) and the application moves on (ru), without the error message", async () => {
    const kk = stack.tg.user({ id: 6101, first_name: "Айжан", language_code: "kk" });
    kk.command("/start");
    await kk.nextMessage();
    const first = stack.tg.faults.inject({ method: "answerCallbackQuery", error: { code: 400, description: TOO_OLD } });
    kk.press("Қазақша");
    await until(kk, "Емхана");
    // The press is answered beside the greeting, which may come first.
    await expect.poll(() => first.remaining()).toBe(0);

    const ru = stack.tg.user({ id: 6102, first_name: "Олжас", language_code: "ru" });
    ru.command("/start");
    await ru.nextMessage();
    await ru.press("Русский").answer();
    await until(ru, "Емхана");
    await apply(ru, "ru");
    await until(ru, "Кого прикрепляем");
    const second = stack.tg.faults.inject({
      method: "answerCallbackQuery",
      error: { code: 400, description: TOO_OLD },
    });
    ru.press(L("ru", "apply.who.self")); // its answer is the call Telegram refuses
    await until(ru, "К какой категории");
    // The press is answered beside the next question's edit: either may reach Telegram first.
    await stack.tg.waitForCondition("the refused answer", () => second.remaining() === 0);
    expect(kk.messages().some((m) => m.text === L("kk", "common.error"))).toBe(false);
    expect(ru.messages().some((m) => m.text === L("ru", "common.error"))).toBe(false);
  });
});
