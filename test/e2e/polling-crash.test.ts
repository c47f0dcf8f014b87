import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { chooseLanguage, head, L, until } from "../../scripts/stack/flow.js";
import { startStack, type Stack } from "../../scripts/stack/harness.js";
import { IN_CAMPAIGN } from "../dates.js";

// Polling: the bot asks for the next updates (which tells Telegram the last ones arrived) while it still handles the
// last ones. Killed then, it has updates Telegram will not send again: it kept them, and handles them on restart.
const HELP = { ru: "Что умеет бот", kk: "Бот не істей алады" } as const;

describe("polling across a kill -9", () => {
  let stack: Stack;
  beforeAll(async () => {
    stack = await startStack({ clockStart: IN_CAMPAIGN });
  });
  afterAll(async () => {
    await stack?.stop();
  });

  it("updates Telegram was told arrived, still in hand when the process died, are answered after the restart, once (ru, kk)", async () => {
    const ru = stack.tg.user({ id: 7401, first_name: "Айгерим", language_code: "ru" });
    const kk = stack.tg.user({ id: 7402, first_name: "Данияр", language_code: "kk" });
    await Promise.all([chooseLanguage(ru, "ru"), chooseLanguage(kk, "kk")]);
    // Each answer is held by "Telegram" long enough for the process to die with the update in hand.
    const held = [ru, kk].map((u) =>
      stack.tg.faults.inject({ method: "sendMessage", chatId: u.id, latencyMs: 30_000, error: { code: 502 } }),
    );
    ru.command("/help");
    kk.command("/help");
    await Promise.all(held.map((h) => h.hit));
    // The next long poll holds open: Telegram has been told both updates arrived and will not send them again.
    await stack.tg.waitForPolling();
    expect(stack.tg.webhookInfo().pending).toBe(0);

    await stack.crashAndRestart();

    await until(ru, HELP.ru);
    await until(kk, HELP.kk);
    const answers = (u: typeof ru, text: string) => u.messages().filter((m) => (m.text ?? "").includes(text));
    expect(answers(ru, HELP.ru)).toHaveLength(1);
    expect(answers(kk, HELP.kk)).toHaveLength(1);
    // And it goes on polling as before.
    ru.command("/help");
    await until(ru, HELP.ru);
    expect(answers(ru, HELP.ru)).toHaveLength(2);
  });

  it("an update that failed (the person was told to try again) is not handled again after a restart (kk, ru)", async () => {
    for (const [id, lang] of [
      [7403, "kk"],
      [7404, "ru"],
    ] as const) {
      const u = stack.tg.user({ id, first_name: "Сауле", language_code: lang });
      await chooseLanguage(u, lang);
      // Telegram refuses the answer once: the update fails, and the error boundary says so.
      stack.tg.faults.inject({ method: "sendMessage", chatId: id, error: { code: 400, description: "Bad Request" } });
      u.command("/help");
      await until(u, head(lang, "common.error"));

      await stack.crashAndRestart();
      // What a restart handles again comes before anything new: once /faq is answered, the failed /help was not.
      u.command("/faq");
      await until(u, L(lang, "faq.title"));
      const count = (text: string) => u.messages().filter((m) => (m.text ?? "").includes(text)).length;
      expect(count(HELP[lang])).toBe(0);
      expect(count(head(lang, "common.error"))).toBe(1);
    }
  });
});
