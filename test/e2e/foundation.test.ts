import { spawnSync } from "node:child_process";
import { resolve } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startStack, type Stack } from "../../scripts/stack/harness.js";

describe("foundation end to end: /start, language, menu, restart", () => {
  let stack: Stack;
  beforeAll(async () => {
    stack = await startStack();
  });
  afterAll(async () => {
    await stack?.stop();
  });

  it("registers the command menu for ru and kk private chats", async () => {
    const { tg } = stack;
    const ru = tg.commands({ type: "all_private_chats" }, "ru");
    const kk = tg.commands({ type: "all_private_chats" }, "kk");
    expect(ru?.map((c) => c.command)).toContain("apply");
    expect(ru?.find((c) => c.command === "language")?.description).toBe("Сменить язык");
    expect(kk?.find((c) => c.command === "language")?.description).toBe("Тілді ауыстыру");
  });

  it("asks the language first, then greets in Russian with the main menu", async () => {
    const u = stack.tg.user({ id: 1001, first_name: "Асель", language_code: "en" });
    u.command("/start");
    const ask = await u.nextMessage();
    expect(ask.text).toContain("Выберите язык");
    expect(ask.text).toContain("Тілді таңдаңыз");
    await u.press("Русский").answer();
    const welcome = await u.waitFor((m) => m.text?.includes("Емхана") ?? false);
    expect(welcome.text).toContain("Здравствуйте, Асель");
    expect(welcome.text).toContain("никогда не прошу ключи ЭЦП");
    const buttons = JSON.stringify(welcome.reply_markup);
    expect(buttons).toContain("Подать заявку");
    expect(buttons).toContain("Вопросы и ответы");
  });

  it("greets in Kazakh when Kazakh is chosen, and the FAQ answers in Kazakh", async () => {
    const u = stack.tg.user({ id: 1002, first_name: "Данияр", language_code: "ru" });
    u.command("/start");
    await u.nextMessage();
    await u.press("Қазақша").answer();
    const welcome = await u.waitFor((m) => m.text?.includes("Сәлеметсіз бе, Данияр") ?? false);
    expect(JSON.stringify(welcome.reply_markup)).toContain("Өтінім беру");
    await u.press("❓ Сұрақ-жауап").answer();
    const faq = await u.waitFor((m) => JSON.stringify(m.reply_markup ?? {}).includes("faq:"));
    expect(faq.text?.length).toBeGreaterThan(0);
  });

  it("keeps the chosen language across a restart", async () => {
    await stack.restart();
    const u = stack.tg.user({ id: 1002, first_name: "Данияр", language_code: "ru" });
    u.skip();
    u.command("/help");
    const help = await u.nextMessage();
    expect(help.text).toContain("Бот не істей алады");
  });

  it("/language switches to Russian and the command menu of that chat follows", async () => {
    const u = stack.tg.user({ id: 1002, first_name: "Данияр", language_code: "ru" });
    u.skip();
    u.command("/language");
    await u.nextMessage();
    await u.press("Русский").answer();
    await u.waitFor((m) => m.text?.includes("Здравствуйте, Данияр") ?? false);
    const chatMenu = stack.tg.commands({ type: "chat", chat_id: 1002 });
    expect(chatMenu?.find((c) => c.command === "status")?.description).toBe("Мои заявки");
  });

  it("a first choice in the app's own language sets no menu of the chat's own; each person's menu is in their language", async () => {
    const { tg } = stack;
    const since = tg.lastCallSeq();
    const u = tg.user({ id: 1003, first_name: "Айгерім", language_code: "kk" });
    u.command("/start");
    await u.nextMessage();
    await u.press("Қазақша").answer();
    await u.waitFor((m) => m.text?.includes("Сәлеметсіз бе, Айгерім") ?? false);
    // The private chats' Kazakh menu shows it already: no call for this chat.
    expect(tg.calls("setMyCommands").filter((c) => c.seq > since && JSON.stringify(c.params).includes("1003"))).toEqual(
      [],
    );
    const status = (id: number, app: string) => tg.menuSeenBy(id, app).find((c) => c.command === "status")?.description;
    expect(status(1003, "kk")).toBe("Менің өтінімдерім");
    // An app in another language, or a language chosen again: the chat's own menu, in the chosen language.
    expect(status(1001, "en")).toBe("Мои заявки");
    expect(status(1002, "ru")).toBe("Мои заявки");
    u.skip();
    u.command("/language");
    await u.nextMessage();
    await u.press("Русский").answer();
    await u.waitFor((m) => m.text?.includes("Здравствуйте, Айгерім") ?? false);
    expect(status(1003, "kk")).toBe("Мои заявки");
  });

  it("answers unknown text and forged buttons without losing anything", async () => {
    const u = stack.tg.user({ id: 1001, first_name: "Асель" });
    u.skip();
    u.sendSticker();
    expect((await u.nextMessage()).text).toContain("Я не понял");
    const answer = await u.pressForged("lang:xx").answer();
    expect(answer.text).toContain("устарела");
  });
});

describe("configuration errors", () => {
  it("a missing BOT_TOKEN exits with code 1 and one line naming the variable and the sandbox", () => {
    const res = spawnSync(process.execPath, ["--import", "tsx", "bot/main.ts"], {
      cwd: resolve(import.meta.dirname, "../.."),
      env: { PATH: process.env.PATH ?? "", DOTENV_CONFIG_PATH: "/dev/null", DATABASE_URL: "file::memory:" },
      encoding: "utf8",
    });
    expect(res.status).toBe(1);
    const lines = res.stderr.trim().split("\n");
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(/^BOT_TOKEN: is missing/);
    expect(lines[0]).toContain("npm run sandbox");
  });

  it("every bad variable gets its own line", () => {
    const res = spawnSync(process.execPath, ["--import", "tsx", "bot/main.ts"], {
      cwd: resolve(import.meta.dirname, "../.."),
      env: {
        PATH: process.env.PATH ?? "",
        DOTENV_CONFIG_PATH: "/dev/null",
        BOT_TOKEN: "nope",
        BOT_MODE: "webhook",
        ADMIN_IDS: "12,abc",
        PORT: "x",
      },
      encoding: "utf8",
    });
    expect(res.status).toBe(1);
    const out = res.stderr;
    expect(out).toMatch(/^BOT_TOKEN: /m);
    expect(out).toMatch(/^ADMIN_IDS: /m);
    expect(out).toMatch(/^WEBHOOK_URL: is required/m);
    expect(out).toMatch(/^WEBHOOK_SECRET: is required/m);
    expect(out).toMatch(/^PORT: /m);
    expect(out).not.toContain("    at ");
  });
});
