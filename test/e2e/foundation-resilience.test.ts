import { existsSync } from "node:fs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { StoredMessage } from "../../scripts/emulator/index.js";
import { chooseLanguage, L } from "../../scripts/stack/flow.js";
import { startStack, type Stack } from "../../scripts/stack/harness.js";
import { BEFORE_CAMPAIGN } from "../dates.js";
import { query, write } from "./staff-seed.js";

const handled = async (stack: Stack, updateId: number) =>
  (await query(stack, "select 1 from processed_updates where update_id = ?", updateId)).length > 0;

/** Every new user row refused by the database, as a full disk or a broken file would (a trigger in each dialect). */
async function failUserInserts(stack: Stack, on: boolean): Promise<void> {
  if (!stack.dbPath) {
    await write(
      stack,
      on
        ? "create function e2e_fault() returns trigger language plpgsql as $$ begin raise exception 'e2e fault'; end $$"
        : "drop function e2e_fault() cascade",
    );
    if (on)
      await write(stack, "create trigger e2e_fault before insert on users for each row execute function e2e_fault()");
    return;
  }
  await write(
    stack,
    on
      ? "create trigger e2e_fault before insert on users begin select raise(abort, 'e2e fault'); end"
      : "drop trigger e2e_fault",
  );
}

describe("foundation end to end: failures reach the user, a stop loses nothing", () => {
  let stack: Stack;
  beforeAll(async () => {
    stack = await startStack({ clockStart: BEFORE_CAMPAIGN });
  });
  afterAll(async () => {
    await stack?.stop();
  });

  it("the database fails before the features (the user row cannot be written): the polite message, in kk and ru", async () => {
    // Fault injection in the database: every new user row is refused, like a full disk or a broken file would.
    await failUserInserts(stack, true);
    const kk = stack.tg.user({ id: 3101, first_name: "Айгүл", language_code: "kk" });
    const ru = stack.tg.user({ id: 3102, first_name: "Олег", language_code: "ru" });
    try {
      kk.command("/start");
      ru.command("/start");
      expect((await kk.nextMessage()).text).toBe(L("kk", "common.error"));
      expect((await ru.nextMessage()).text).toBe(L("ru", "common.error"));
      expect(stack.bot.output()).not.toMatch(/Айгүл|Олег/);
    } finally {
      await failUserInserts(stack, false);
    }
    kk.command("/start");
    expect((await kk.nextMessage()).text).toBe(L("kk", "start.choose_language"));
  });

  it("a Bot API call inside a handler is refused: the polite message still comes, and the bot goes on", async () => {
    // An app in English: picking Russian sets the chat's own command menu (its chat id sits in `scope`); Telegram
    // refuses it this once.
    const u = stack.tg.user({ id: 3103, first_name: "Мадина", language_code: "en" });
    u.command("/start");
    await u.nextMessage();
    // The menu is only a convenience: the language is saved and the greeting comes all the same.
    const menu = stack.tg.faults.forbidden({
      method: "setMyCommands",
      description: "Forbidden: not enough rights to change the chat's commands",
    });
    await u.press("Русский").answer();
    expect((await u.nextMessage()).text).toContain("Емхана");
    expect(menu.remaining()).toBe(0);
    // The answer itself refused: the update fails, and the person reads the polite message instead.
    const answer = stack.tg.faults.inject({
      method: "sendMessage",
      error: { code: 400, description: "Bad Request: message is too long" },
    });
    u.command("/help");
    expect((await u.nextMessage()).text).toBe(L("ru", "common.error"));
    expect(answer.remaining()).toBe(0);
    u.command("/help");
    expect((await u.nextMessage()).text).toContain("Что умеет бот");
  });

  it("SIGTERM during an update in flight: the update finishes, the process exits 0, the database is intact", async () => {
    const u = stack.tg.user({ id: 3104, first_name: "Нурлан", language_code: "ru" });
    await chooseLanguage(u, "ru");
    const bot = stack.bot;
    // The FAQ list's sendMessage is held by the emulator for 1.5 s: the update is in flight while we stop the bot.
    const held = stack.tg.faults.latency(1500, { method: "sendMessage", chatId: 3104 });
    let runningWhenSent: boolean | undefined;
    const sent = new Promise<StoredMessage>((resolve) => {
      const onMessage = (m: StoredMessage) => {
        if (m.chat.id !== 3104) return;
        runningWhenSent = bot.proc.exitCode === null && bot.proc.signalCode === null;
        stack.tg.off("message", onMessage);
        resolve(m);
      };
      stack.tg.on("message", onMessage);
    });
    // answerCallbackQuery comes first in the handler: once it is answered, the handler is running.
    const pushed: Record<string, unknown>[] = [];
    const onUpdate = (x: Record<string, unknown>) => void pushed.push(x);
    stack.tg.on("update", onUpdate);
    const press = u.press(L("ru", "menu.faq"));
    stack.tg.off("update", onUpdate);
    const updateId = pushed.find((x) => (x.callback_query as { id?: string } | undefined)?.id === press.id)
      ?.update_id as number | undefined;
    expect(updateId).toBeDefined();
    await press.answer();
    expect(held.remaining()).toBe(1);
    bot.proc.kill("SIGTERM");
    const code = await bot.exited;
    expect(code).toBe(0);
    expect(held.remaining()).toBe(0);
    expect((await sent).text).toBe(L("ru", "faq.title"));
    expect(runningWhenSent).toBe(true);

    // Closed cleanly: the update is marked as handled; on SQLite no WAL is left behind and the file checks out.
    if (stack.dbPath) {
      expect(existsSync(`${stack.dbPath}-wal`)).toBe(false);
      expect(await query(stack, "pragma integrity_check")).toEqual([{ integrity_check: "ok" }]);
    }
    expect(await handled(stack, updateId ?? 0)).toBe(true);

    // After a restart a redelivery of that update is not answered twice, and the person is served as before.
    await stack.restart();
    u.command("/help");
    await u.waitFor((m) => m.text?.includes("Что умеет бот") ?? false);
    expect(u.messages().filter((m) => m.text === L("ru", "faq.title"))).toHaveLength(1);
  });
});
