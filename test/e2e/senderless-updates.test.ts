import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { chooseLanguage, L } from "../../scripts/stack/flow.js";
import { startStack, type Stack } from "../../scripts/stack/harness.js";
import { BEFORE_CAMPAIGN } from "../dates.js";

// Updates that carry no `from`: a message sent on behalf of a channel or by an anonymous group admin, or one forged
// in a private chat. The bot takes none of them as a person's, fails on none, and goes on answering people.
const PERSON = 4301;
const GROUP = { id: -1004302, type: "supergroup" as const, title: "Емхана чат" };
const CHANNEL = { id: -1004303, type: "channel" as const, title: "Канал" };
const PDF = { file_id: "f-4301", file_unique_id: "u-4301", file_name: "справка.pdf", mime_type: "application/pdf" };

describe("updates without a sender", () => {
  let stack: Stack;
  beforeAll(async () => {
    stack = await startStack({ clockStart: BEFORE_CAMPAIGN });
  });
  afterAll(async () => {
    await stack?.stop();
  });

  it("a private chat's messages without `from` (a document, a photo, commands, an edit) are ignored; the person is answered as before", async () => {
    const u = stack.tg.user({ id: PERSON, first_name: "Асем", language_code: "ru" });
    await chooseLanguage(u, "ru");
    const chat = { id: PERSON, type: "private" as const, first_name: "Асем" };
    const date = Math.floor(Date.now() / 1000);
    let id = 990_000;
    const message = (extra: Record<string, unknown>) => ({ message_id: ++id, date, chat, ...extra });
    stack.tg.pushUpdate({ message: message({ document: { ...PDF, file_size: 2048 } }) });
    stack.tg.pushUpdate({
      message: message({ photo: [{ file_id: "p", file_unique_id: "pu", width: 90, height: 90 }] }),
    });
    stack.tg.pushUpdate({ message: message({ sender_chat: CHANNEL, document: { ...PDF, file_size: 4096 } }) });
    for (const text of ["/start", "/status", "/privacy", "/apply", "/stop", "Абая"])
      stack.tg.pushUpdate({
        message: message({
          text,
          ...(text.startsWith("/") ? { entities: [{ type: "bot_command", offset: 0, length: text.length }] } : {}),
        }),
      });
    stack.tg.pushUpdate({ edited_message: message({ text: "Абая", edit_date: date }) });
    // One chat's updates are handled in order: once /help is answered, so is everything above.
    u.command("/help");
    const answered = await u.nextMessage();
    expect(answered.text).toContain("Что умеет бот");
    expect(u.messages().filter((m) => m.outgoing && m.text === L("ru", "common.error"))).toEqual([]);
    expect(u.messages().at(-1)).toBe(answered);
    expect(stack.bot.output()).not.toMatch(/TypeError|update failed/);
  });

  it("a group message from a channel or an anonymous admin (no `from`) is ignored, and the bot stays up", async () => {
    stack.tg.chat(GROUP);
    const member = stack.tg.user({ id: 4304, first_name: "Ерлан", language_code: "ru" }).in(GROUP);
    const date = Math.floor(Date.now() / 1000);
    stack.tg.pushUpdate({
      message: { message_id: 1, date, chat: GROUP, sender_chat: CHANNEL, document: { ...PDF, file_size: 1024 } },
    });
    stack.tg.pushUpdate({ message: { message_id: 2, date, chat: GROUP, sender_chat: GROUP, text: "/start" } });
    // A button pressed in the same group comes after them (one chat's updates in order) and is answered as stale.
    const own = member.send("привет");
    const pressed = await member.pressForged("zz:1", { message: own }).answer();
    expect(pressed.text).toBe(L("ru", "common.stale_button"));
    expect(member.messages().filter((m) => m.outgoing)).toEqual([]);
    expect(stack.bot.output()).not.toMatch(/TypeError|update failed/);
    expect(stack.bot.proc.exitCode).toBeNull();
  });
});
