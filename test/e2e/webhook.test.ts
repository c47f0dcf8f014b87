import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { freePort, startStack, type Stack } from "../../scripts/stack/harness.js";

const SECRET = "e2e_webhook_secret_0123456789";

describe("webhook mode end to end", () => {
  let stack: Stack;
  let port: number;
  beforeAll(async () => {
    port = await freePort();
    stack = await startStack({
      env: {
        BOT_MODE: "webhook",
        WEBHOOK_URL: `http://127.0.0.1:${port}/tg/hook`,
        WEBHOOK_SECRET: SECRET,
        PORT: String(port),
      },
    });
  });
  afterAll(async () => {
    await stack?.stop();
  });

  it("registers the webhook with the secret and answers /start through it", async () => {
    expect(stack.tg.webhookInfo().url).toBe(`http://127.0.0.1:${port}/tg/hook`);
    const u = stack.tg.user({ id: 4001, first_name: "Айдос", language_code: "kk" });
    u.command("/start");
    const m = await u.nextMessage();
    expect(m.text).toContain("Тілді таңдаңыз");
  });

  it("refuses an update without Telegram's secret-token header", async () => {
    const body = JSON.stringify({
      update_id: 999,
      message: {
        message_id: 1,
        date: 1,
        chat: { id: 4002, type: "private" },
        from: { id: 4002, is_bot: false, first_name: "X" },
        text: "/start",
      },
    });
    const noSecret = await fetch(`http://127.0.0.1:${port}/tg/hook`, {
      method: "POST",
      body,
      headers: { "content-type": "application/json" },
    });
    expect(noSecret.status).toBe(401);
    const wrong = await fetch(`http://127.0.0.1:${port}/tg/hook`, {
      method: "POST",
      body,
      headers: { "content-type": "application/json", "x-telegram-bot-api-secret-token": "nope" },
    });
    expect(wrong.status).toBe(401);
    const other = await fetch(`http://127.0.0.1:${port}/elsewhere`, { method: "POST", body });
    expect(other.status).toBe(404);
    // Health and metrics are served beside the webhook.
    expect((await fetch(`http://127.0.0.1:${port}/healthz`)).status).toBe(200);
    expect(await (await fetch(`http://127.0.0.1:${port}/metrics`)).text()).toContain("emhana_updates_total");
  });

  it("a body that is not an update gets 400, a huge one 413; the process stays up and logs nothing of them", async () => {
    const url = `http://127.0.0.1:${port}/tg/hook`;
    const post = (body: string | Buffer) =>
      fetch(url, {
        method: "POST",
        body,
        headers: { "content-type": "application/json", "x-telegram-bot-api-secret-token": SECRET },
      }).then((r) => r.status);
    const marker = "Айгерим-910101300123";
    for (const bad of ["null", "[]", "42", `{"update_id": "x", "text": "${marker}"`, `{"message": "${marker}"}`, ""])
      expect(await post(bad), bad).toBe(400);
    expect(await post(Buffer.alloc(2_000_000, 0x20))).toBe(413);
    expect(stack.bot.proc.exitCode).toBeNull();
    expect(stack.bot.output()).not.toContain(marker);
    // Still serving.
    const u = stack.tg.user({ id: 4003, first_name: "Дана", language_code: "ru" });
    u.command("/start");
    expect((await u.nextMessage()).text).toContain("Выберите язык");
  });
});
