// The emulator driven by a real grammY Bot (bot.start and @grammyjs/runner) over HTTP.
import { run } from "@grammyjs/runner";
import { Bot, GrammyError, InlineKeyboard, InputFile } from "grammy";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { type Emulator, startEmulator } from "../../../scripts/emulator/index.js";

let tg: Emulator;
const cleanups: Array<() => Promise<unknown>> = [];

beforeEach(async () => {
  tg = await startEmulator({ defaultTimeoutMs: 3000 });
  if (process.env["EMU_DEBUG"])
    tg.on("call", (c) =>
      console.log(
        "call",
        c.seq,
        c.method,
        JSON.stringify(c.params).slice(0, 200),
        c.ok ? "ok" : JSON.stringify(c.error),
      ),
    );
});
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
  await tg.close();
});

const newBot = () => new Bot(tg.token, { client: { apiRoot: tg.url } });

/** Starts long polling and resolves once the bot is idle in getUpdates; `done` settles when polling ends. */
async function start(bot: Bot): Promise<{ done: Promise<unknown> }> {
  const outcome = bot.start({ timeout: 30 }).then(
    () => undefined,
    (e: unknown) => e,
  );
  await tg.waitForPolling();
  cleanups.push(async () => {
    if (bot.isRunning()) await bot.stop();
    await outcome;
  });
  return { done: outcome };
}

/** A promise plus its resolver, to let a handler signal the test. */
function signal<T = void>() {
  let resolve!: (v: T) => void;
  const promise = new Promise<T>((r) => (resolve = r));
  return { promise, resolve };
}

async function apiError(p: Promise<unknown>): Promise<GrammyError> {
  const e = await p.then(
    () => undefined,
    (err: unknown) => err,
  );
  if (!(e instanceof GrammyError)) throw new Error(`expected a GrammyError, got ${String(e)}`);
  return e;
}

describe("long polling with grammY", () => {
  it("delivers commands and records replies, keyboards, presses and edits", async () => {
    const bot = newBot();
    bot.command("start", (ctx) =>
      ctx.reply(`Hi ${ctx.from?.first_name ?? ""}`, { reply_markup: new InlineKeyboard().text("Yes", "ans:yes") }),
    );
    bot.callbackQuery("ans:yes", async (ctx) => {
      await ctx.answerCallbackQuery({ text: "noted" });
      await ctx.editMessageText("You said yes");
    });
    await start(bot);
    const u = tg.user({ id: 42, first_name: "Aigerim", language_code: "kk" });
    u.command("/start");
    const hello = await u.nextMessage();
    expect(hello.text).toBe("Hi Aigerim");
    const press = u.press("Yes");
    expect(await press.answer()).toMatchObject({ text: "noted" });
    const edit = await u.nextEdit();
    expect(edit.message.text).toBe("You said yes");
    expect(edit.previous.text).toBe("Hi Aigerim");
    expect(hello.edits).toHaveLength(1);
    expect(hello.reply_markup).toBeUndefined(); // editMessageText without markup drops the keyboard
  });

  it("honours offset: confirmed updates are gone, replays with the same update_id arrive twice", async () => {
    const seen: number[] = [];
    const got = signal();
    const bot = newBot();
    bot.on("message", (ctx) => {
      seen.push(ctx.update.update_id);
      if (seen.length === 2) got.resolve();
    });
    await start(bot);
    const u = tg.user({ id: 7 });
    const update = { update_id: 500, message: { message_id: 1, date: 1, chat: u.chat, from: u.user, text: "dup" } };
    tg.pushUpdate(update);
    await tg.waitForPolling(); // the next poll, with offset 501, confirmed update 500
    expect(tg.pendingUpdates()).toBe(0);
    tg.pushUpdate(update);
    await got.promise;
    expect(seen).toEqual([500, 500]);
  });

  it("redelivers an update whose handler never completed to a fresh bot", async () => {
    const gate = signal();
    const inA = signal<number>();
    const a = newBot();
    a.on("message", async (ctx) => {
      inA.resolve(ctx.update.update_id);
      await gate.promise; // the "crash": never confirmed
    });
    const aDone = a.start({ timeout: 30 }).then(
      () => undefined,
      (e: unknown) => e,
    );
    const u = tg.user({ id: 9 });
    u.send("hello");
    const id = await inA.promise;
    expect(tg.pendingUpdates()).toBe(1);

    const inB = signal<number>();
    const b = newBot();
    b.on("message", (ctx) => inB.resolve(ctx.update.update_id));
    const { done: bDone } = await start(b);
    expect(await inB.promise).toBe(id);
    await b.stop();
    await bDone;
    expect(tg.pendingUpdates()).toBe(0);
    gate.resolve();
    await a.stop();
    await aDone;
  });

  it("answers 409 to the older poller when another one starts", async () => {
    const a = newBot();
    const { done: aDone } = await start(a);
    const b = newBot();
    await start(b);
    const err = await aDone;
    expect(err).toBeInstanceOf(GrammyError);
    expect((err as GrammyError).error_code).toBe(409);
    expect((err as GrammyError).description).toBe(
      "Conflict: terminated by other getUpdates request; make sure that only one bot instance is running",
    );
  });

  it("works with @grammyjs/runner", async () => {
    const bot = newBot();
    bot.on("message:text", (ctx) => ctx.reply(`echo ${ctx.message.text}`));
    const handle = run(bot);
    cleanups.push(async () => {
      if (handle.isRunning()) await handle.stop();
    });
    const u = tg.user({ id: 5 });
    u.send("one");
    expect((await u.nextMessage()).text).toBe("echo one");
    u.send("two");
    expect((await u.waitFor((m) => m.text === "echo two")).text).toBe("echo two");
    expect(u.messages()).toHaveLength(2);
  });
});

describe("Bot API methods through grammY", () => {
  it("uploads an InputFile as multipart, then getFile and downloads it", async () => {
    const bot = newBot();
    const u = tg.user({ id: 11 });
    const sent = await bot.api.sendDocument(u.id, new InputFile(Buffer.from("справка 123"), "spravka.pdf"), {
      caption: "<b>Ваша</b> справка",
      parse_mode: "HTML",
    });
    expect(sent.document).toMatchObject({
      file_name: "spravka.pdf",
      mime_type: "application/pdf",
      file_size: Buffer.byteLength("справка 123"),
    });
    expect(sent.caption).toBe("Ваша справка");
    expect(sent.document?.file_id.length).toBeGreaterThan(50);
    const file = await bot.api.getFile(sent.document?.file_id ?? "");
    const res = await fetch(`${tg.url}/file/bot${tg.token}/${file.file_path ?? ""}`);
    expect(await res.text()).toBe("справка 123");
    expect(u.lastMessage()?.document?.file_name).toBe("spravka.pdf");

    const photo = await bot.api.sendPhoto(u.id, new InputFile(Buffer.alloc(3000, 1), "p.jpg"));
    expect(photo.photo?.length).toBe(3);
    const album = await bot.api.sendMediaGroup(u.id, [
      { type: "document", media: new InputFile(Buffer.from("a"), "a.txt") },
      { type: "document", media: new InputFile(Buffer.from("bb"), "b.txt") },
    ]);
    expect(album.map((m) => ("document" in m ? m.document.file_size : 0))).toEqual([1, 2]);
  });

  it("lets the bot download files sent by users", async () => {
    const bot = newBot();
    const got = signal<string>();
    bot.on("message:document", async (ctx) => got.resolve((await ctx.getFile()).file_path ?? ""));
    await start(bot);
    const u = tg.user({ id: 12 });
    u.sendDocument({ file_name: "udv.pdf", content: Buffer.from("%PDF-1.4") });
    const path = await got.promise;
    expect(await (await fetch(`${tg.url}/file/bot${tg.token}/${path}`)).text()).toBe("%PDF-1.4");
  });

  it("rejects bad messages like Telegram", async () => {
    const bot = newBot();
    const u = tg.user({ id: 13 });
    expect((await apiError(bot.api.sendMessage(u.id, "x".repeat(4097)))).description).toBe(
      "Bad Request: message is too long",
    );
    await bot.api.sendMessage(u.id, `<b>${"x".repeat(4096)}</b>`, { parse_mode: "HTML" }); // tags don't count
    expect((await apiError(bot.api.sendMessage(u.id, " "))).description).toBe("Bad Request: message text is empty");
    expect((await apiError(bot.api.sendMessage(u.id, "<b>x", { parse_mode: "HTML" }))).description).toMatch(
      /^Bad Request: can't parse entities: /,
    );
    expect((await apiError(bot.api.sendMessage(u.id, "<blink>x</blink>", { parse_mode: "HTML" }))).description).toMatch(
      /Unsupported start tag "blink"/,
    );
    expect((await apiError(bot.api.sendMessage(u.id, "1.5", { parse_mode: "MarkdownV2" }))).description).toMatch(
      /Character '\.' is reserved/,
    );
    const kb = new InlineKeyboard().text("long", "d".repeat(65));
    expect((await apiError(bot.api.sendMessage(u.id, "k", { reply_markup: kb }))).description).toBe(
      "Bad Request: BUTTON_DATA_INVALID",
    );
    expect((await apiError(bot.api.sendMessage(999, "hi"))).description).toBe("Bad Request: chat not found");
    const m = await bot.api.sendMessage(u.id, '<i>ok</i> &amp; <a href="https://egov.kz">eGov</a>', {
      parse_mode: "HTML",
    });
    expect(m.text).toBe("ok & eGov");
    expect(m.entities).toEqual([
      { type: "italic", offset: 0, length: 2 },
      { type: "text_link", offset: 5, length: 4, url: "https://egov.kz" },
    ]);
  });

  it("reports 'message is not modified' and 'message to edit not found'", async () => {
    const bot = newBot();
    const u = tg.user({ id: 14 });
    const kb = new InlineKeyboard().text("A", "a");
    const m = await bot.api.sendMessage(u.id, "text", { reply_markup: kb });
    const same = await apiError(bot.api.editMessageText(u.id, m.message_id, "text", { reply_markup: kb }));
    expect(same.description).toBe(
      "Bad Request: message is not modified: specified new message content and reply markup are exactly the same as a current content and reply markup of the message",
    );
    await bot.api.editMessageReplyMarkup(u.id, m.message_id, { reply_markup: new InlineKeyboard().text("B", "b") });
    expect(u.lastMessage()?.edits).toHaveLength(1);
    await bot.api.deleteMessage(u.id, m.message_id);
    expect((await apiError(bot.api.editMessageText(u.id, m.message_id, "x"))).description).toBe(
      "Bad Request: message to edit not found",
    );
    expect(u.messages()).toHaveLength(0);
    expect(u.messages({ includeDeleted: true })[0]?.deleted).toBe(true);
  });

  it("answers 'query is too old' for a second answer and for an expired query", async () => {
    let clock = 1_700_000_000_000;
    await tg.close();
    tg = await startEmulator({ now: () => clock, callbackQueryMaxAgeMs: 15_000 });
    const bot = newBot();
    const u = tg.user({ id: 15 });
    await bot.api.sendMessage(u.id, "pick", { reply_markup: new InlineKeyboard().text("Go", "go") });
    const q = u.press("go");
    await bot.api.answerCallbackQuery(q.id);
    const twice = await apiError(bot.api.answerCallbackQuery(q.id));
    expect(twice.description).toBe("Bad Request: query is too old and response timeout expired or query ID is invalid");
    const forged = u.pressForged("admin:delete_all");
    expect(forged.data).toBe("admin:delete_all");
    clock += 16_000;
    expect((await apiError(bot.api.answerCallbackQuery(forged.id))).error_code).toBe(400);
  });

  it("injects 429/5xx/403 and enforces rate limits", async () => {
    const bot = newBot();
    const u = tg.user({ id: 16 });
    const v = tg.user({ id: 17 });
    tg.faults.tooManyRequests({ method: "sendMessage", chatId: u.id, retryAfter: 3 });
    const e429 = await apiError(bot.api.sendMessage(u.id, "a"));
    expect([e429.error_code, e429.parameters.retry_after, e429.description]).toEqual([
      429,
      3,
      "Too Many Requests: retry after 3",
    ]);
    await bot.api.sendMessage(u.id, "a"); // only the next call was affected
    tg.faults.serverError({ method: "sendmessage", times: 2, code: 502 });
    expect((await apiError(bot.api.sendMessage(u.id, "b"))).error_code).toBe(502);
    expect((await apiError(bot.api.sendMessage(v.id, "b"))).error_code).toBe(502);

    u.block();
    const e403 = await apiError(bot.api.sendMessage(u.id, "c"));
    expect([e403.error_code, e403.description]).toEqual([403, "Forbidden: bot was blocked by the user"]);
    u.unblock();

    tg.setRateLimit({ perChat: 1, global: 30 });
    await bot.api.sendMessage(u.id, "1");
    const limited = await apiError(bot.api.sendMessage(u.id, "2"));
    expect(limited.error_code).toBe(429);
    expect(limited.parameters.retry_after).toBeGreaterThanOrEqual(1);
    await bot.api.sendMessage(v.id, "other chat is fine");
    expect(tg.stats().tooManyRequests).toBe(2);
    expect(tg.stats().calls["sendMessage"]).toBe(8);
  });

  it("stores setMyCommands per scope and language", async () => {
    const bot = newBot();
    await bot.api.setMyCommands([{ command: "start", description: "Бастау" }], {
      scope: { type: "all_private_chats" },
      language_code: "kk",
    });
    await bot.api.setMyCommands([{ command: "start", description: "Начать" }], {
      scope: { type: "chat", chat_id: 77 },
    });
    expect(tg.commands({ type: "all_private_chats" }, "kk")).toEqual([{ command: "start", description: "Бастау" }]);
    expect(await bot.api.getMyCommands({ scope: { type: "chat", chat_id: 77 } })).toEqual([
      { command: "start", description: "Начать" },
    ]);
    expect(await bot.api.getMyCommands()).toEqual([]);
    const call = await tg.waitForCall("setMyCommands", { predicate: (c) => c.params["language_code"] === "kk" });
    expect(call.ok).toBe(true);
    await bot.api.deleteMyCommands({ scope: { type: "all_private_chats" }, language_code: "kk" });
    expect(tg.commands({ type: "all_private_chats" }, "kk")).toBeUndefined();
  });

  it("shows a person the menu of the narrowest scope that has one, their app's language first", async () => {
    const bot = newBot();
    const menu = (description: string) => [{ command: "start", description }];
    await bot.api.setMyCommands(menu("default"));
    expect(tg.menuSeenBy(5, "kk")).toEqual(menu("default"));
    await bot.api.setMyCommands(menu("private"), { scope: { type: "all_private_chats" } });
    await bot.api.setMyCommands(menu("private kk"), { scope: { type: "all_private_chats" }, language_code: "kk" });
    expect(tg.menuSeenBy(5, "kk")).toEqual(menu("private kk"));
    expect(tg.menuSeenBy(5, "kk-KZ")).toEqual(menu("private kk"));
    expect(tg.menuSeenBy(5, "en")).toEqual(menu("private"));
    await bot.api.setMyCommands(menu("chat"), { scope: { type: "chat", chat_id: 5 } });
    expect(tg.menuSeenBy(5, "kk")).toEqual(menu("chat"));
    expect(tg.menuSeenBy(6, "kk")).toEqual(menu("private kk"));
    await bot.api.deleteMyCommands({ scope: { type: "chat", chat_id: 5 } });
    expect(tg.menuSeenBy(5)).toEqual(menu("private"));
  });
});
