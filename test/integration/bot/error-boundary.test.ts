import { sql } from "kysely";
import { afterEach, describe, expect, it } from "vitest";
import type { BaseContext } from "../../../bot/context.js";
import { createI18n } from "../../../bot/i18n.js";
import { handleFeatureError } from "../../../bot/middleware/errors.js";
import { BotError, Context, type Api } from "grammy";
import type { Update } from "grammy/types";
import { BOT_INFO, inProcessBot } from "../apply/bot-fixture.js";
import { BEFORE_CAMPAIGN } from "../../dates.js";
import { failInserts } from "../../fixtures/faults.js";

type Fixture = Awaited<ReturnType<typeof inProcessBot>>;
let fx: Fixture | undefined;
afterEach(async () => {
  await fx?.close();
  fx = undefined;
});

const i18n = await createI18n();
const NAME = "Айгерим-Секрет";

function command(userId: number, text: string, languageCode?: string) {
  return {
    message: {
      message_id: 1,
      date: 1_780_000_000,
      chat: { id: userId, type: "private" as const, first_name: NAME },
      from: { id: userId, is_bot: false, first_name: NAME, ...(languageCode ? { language_code: languageCode } : {}) },
      text,
      entities: [{ type: "bot_command" as const, offset: 0, length: text.length }],
    },
  };
}

const sent = (f: Fixture, chatId: number) =>
  f.calls.filter((c) => c.method === "sendMessage" && c.payload.chat_id === chatId).map((c) => String(c.payload.text));

describe("errors before the features still reach the user politely", () => {
  it("the user row cannot be written (user/locale middleware): the error message, in Telegram's language", async () => {
    const logLines: string[] = [];
    fx = await inProcessBot({ clockStart: BEFORE_CAMPAIGN, logLines });
    const repaired = await failInserts(fx.deps.db, "users", "injected fault");
    await fx.send(command(501, "/start", "kk"));
    await fx.send(command(502, "/start", "en"));
    expect(sent(fx, 501)).toEqual([i18n.t("kk")("common.error")]);
    expect(sent(fx, 502)).toEqual([i18n.t("ru")("common.error")]);
    // The log says what failed, never who or what they wrote.
    const log = logLines.join("\n");
    expect(log).toContain("update failed");
    expect(log).not.toContain(NAME);
    expect(log).not.toContain("/start");
    // Once the database is healthy again the same person is served normally.
    await repaired();
    await fx.send(command(501, "/help", "kk"));
    expect(sent(fx, 501).at(-1)?.startsWith(i18n.t("kk")("help.text"))).toBe(true);
  });

  it("the processed-updates mark cannot be read (dedupe middleware): the error message, nothing else", async () => {
    fx = await inProcessBot({ clockStart: BEFORE_CAMPAIGN });
    await sql`alter table processed_updates rename to processed_updates_away`.execute(fx.deps.db);
    await fx.send(command(503, "/help", "ru"));
    expect(sent(fx, 503)).toEqual([i18n.t("ru")("common.error")]);
    await sql`alter table processed_updates_away rename to processed_updates`.execute(fx.deps.db);
    await fx.send(command(503, "/help", "ru"));
    expect(sent(fx, 503).at(-1)?.startsWith(i18n.t("ru")("help.text"))).toBe(true);
  });

  it("bot.catch, the last resort, replies too: no deps, no locale on the context, only Telegram's language_code", async () => {
    fx = await inProcessBot({ clockStart: BEFORE_CAMPAIGN });
    const update = { update_id: 9, ...command(504, "/start", "kk") } as Update;
    const ctx = new Context(update, fx.bot.api as Api, BOT_INFO);
    // A bare context, as bot.catch may see one: none of our middleware has filled it in.
    await handleFeatureError(new BotError(new Error("boom"), ctx as BaseContext), fx.deps);
    expect(sent(fx, 504)).toEqual([i18n.t("kk")("common.error")]);
  });
});
