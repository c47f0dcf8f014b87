import { existsSync } from "node:fs";
import SQLite from "better-sqlite3";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { StoredMessage } from "../../scripts/emulator/index.js";
import { chooseLanguage, L } from "../../scripts/stack/flow.js";
import { startStack, type Stack } from "../../scripts/stack/harness.js";
import { BEFORE_CAMPAIGN } from "../dates.js";

/** A short write on the bot's live database from outside, as a second process would (WAL, busy timeout). */
function onDatabase<T>(stack: Stack, fn: (db: SQLite.Database) => T): T {
  const db = new SQLite(stack.dbPath);
  try {
    db.pragma("busy_timeout = 5000");
    return fn(db);
  } finally {
    db.close();
  }
}

const handled = (stack: Stack, updateId: number) =>
  onDatabase(
    stack,
    (db) => db.prepare("select 1 from processed_updates where update_id = ?").get(updateId) !== undefined,
  );

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
    onDatabase(stack, (db) =>
      db.exec("create trigger e2e_fault before insert on users begin select raise(abort, 'e2e fault'); end"),
    );
    const kk = stack.tg.user({ id: 3101, first_name: "Айгүл", language_code: "kk" });
    const ru = stack.tg.user({ id: 3102, first_name: "Олег", language_code: "ru" });
    try {
      kk.command("/start");
      ru.command("/start");
      expect((await kk.nextMessage()).text).toBe(L("kk", "common.error"));
      expect((await ru.nextMessage()).text).toBe(L("ru", "common.error"));
      expect(stack.bot.output()).not.toMatch(/Айгүл|Олег/);
    } finally {
      onDatabase(stack, (db) => db.exec("drop trigger e2e_fault"));
    }
    kk.command("/start");
    expect((await kk.nextMessage()).text).toBe(L("kk", "start.choose_language"));
  });

  it("a Bot API call inside a handler is refused (403): the polite message still comes, and the bot goes on", async () => {
    const u = stack.tg.user({ id: 3103, first_name: "Мадина", language_code: "ru" });
    u.command("/start");
    await u.nextMessage();
    // Picking a language sets the chat's command menu (its chat id sits in `scope`); Telegram refuses it this once.
    const fault = stack.tg.faults.forbidden({
      method: "setMyCommands",
      description: "Forbidden: not enough rights to change the chat's commands",
    });
    await u.press("Русский").answer();
    expect((await u.nextMessage()).text).toBe(L("ru", "common.error"));
    expect(fault.remaining()).toBe(0);
    // The language choice was saved before the failure; the person simply goes on.
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

    // Closed cleanly: no WAL left behind, the file checks out, and the update is marked as handled.
    expect(existsSync(`${stack.dbPath}-wal`)).toBe(false);
    expect(onDatabase(stack, (db) => db.pragma("integrity_check", { simple: true }))).toBe("ok");
    expect(handled(stack, updateId ?? 0)).toBe(true);

    // After a restart a redelivery of that update is not answered twice, and the person is served as before.
    await stack.restart();
    u.command("/help");
    await u.waitFor((m) => m.text?.includes("Что умеет бот") ?? false);
    expect(u.messages().filter((m) => m.text === L("ru", "faq.title"))).toHaveLength(1);
  });
});
