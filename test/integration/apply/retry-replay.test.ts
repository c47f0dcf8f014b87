import type { Update } from "grammy/types";
import { afterEach, describe, expect, it } from "vitest";
import { loadDraft } from "../../../data/repositories/drafts.js";
import { inProcessBot } from "./bot-fixture.js";

const IN_CAMPAIGN = "2026-09-15T10:00:00+05:00";
const ID = 4242;
const from = { id: ID, is_bot: false, first_name: "Айгерим", language_code: "ru" };
const chat = { id: ID, type: "private" as const, first_name: "Айгерим" };
let seq = 1;
const text = (t: string): Omit<Update, "update_id"> =>
  ({
    message: {
      message_id: seq++,
      date: 1_790_000_000,
      chat,
      from,
      text: t,
      ...(t.startsWith("/") ? { entities: [{ type: "bot_command", offset: 0, length: t.length }] } : {}),
    },
  }) as Omit<Update, "update_id">;
const press = (data: string): Omit<Update, "update_id"> =>
  ({
    callback_query: {
      id: String(seq++),
      from,
      chat_instance: "1",
      data,
      message: {
        message_id: seq++,
        date: 1_790_000_000,
        chat,
        from: { ...from, id: 7000000001, is_bot: true },
        text: "q",
      },
    },
  }) as Omit<Update, "update_id">;

let bot: Awaited<ReturnType<typeof inProcessBot>> | undefined;
afterEach(async () => {
  await bot?.close();
  bot = undefined;
});

describe("a retried call replays as its final result, not as its waits", () => {
  it("one 429 while a question is sent is waited for once: later answers of that step and /help do not wait again", async () => {
    const sleeps: number[] = [];
    let tooMany = false;
    bot = await inProcessBot({
      clockStart: IN_CAMPAIGN,
      sleeps,
      fault: (method) => {
        if (!tooMany || method !== "sendMessage") return undefined;
        tooMany = false;
        return {
          status: 429,
          body: {
            ok: false,
            error_code: 429,
            description: "Too Many Requests: retry after 2",
            parameters: { retry_after: 2 },
          },
        };
      },
    });
    await bot.send(text("/apply"));
    tooMany = true;
    await bot.send(press("a:who:self"));
    expect(sleeps).toEqual([2000]);
    const asked = bot.calls.filter((c) => c.method === "sendMessage").length;
    // Wrong answers at the same step replay the step, the retried question included.
    for (const wrong of ["что?", "не знаю", "🙂"]) await bot.send(text(wrong));
    await bot.send(text("/help"));
    expect(sleeps).toEqual([2000]);
    expect(bot.calls.filter((c) => c.method === "sendMessage").length).toBeGreaterThan(asked);
    expect((await loadDraft(bot.deps, ID))?.data).toMatchObject({ step: "category", forChild: false });
  });
});
