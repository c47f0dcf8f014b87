// The emulator's other ways of delivering updates: a webhook with the secret header, and redelivery to a new process.
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { Bot, GrammyError, webhookCallback } from "grammy";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { type Emulator, startEmulator } from "../../../scripts/emulator/index.js";

let tg: Emulator;
const cleanups: Array<() => Promise<unknown>> = [];

beforeEach(async () => {
  tg = await startEmulator({ defaultTimeoutMs: 3000 });
});
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
  await tg.close();
});

const newBot = () => new Bot(tg.token, { client: { apiRoot: tg.url } });

async function apiError(p: Promise<unknown>): Promise<GrammyError> {
  const e = await p.then(
    () => undefined,
    (err: unknown) => err,
  );
  if (!(e instanceof GrammyError)) throw new Error(`expected a GrammyError, got ${String(e)}`);
  return e;
}

describe("webhooks", () => {
  it("delivers to a webhook with the secret header, retrying on errors, and refuses getUpdates meanwhile", async () => {
    const bot = newBot();
    bot.on("message:text", (ctx) => ctx.reply(`hook: ${ctx.message.text}`));
    await bot.init();
    const handle = webhookCallback(bot, "http", { secretToken: "s3cr3t_token" });
    const secrets: Array<string | undefined> = [];
    let failFirst = true;
    const hook = createServer((req, res) => {
      secrets.push(req.headers["x-telegram-bot-api-secret-token"] as string | undefined);
      if (failFirst) {
        failFirst = false;
        res.writeHead(500).end();
        return;
      }
      void handle(req, res);
    });
    await new Promise<void>((r) => hook.listen(0, "127.0.0.1", r));
    cleanups.push(() => new Promise((r) => hook.close(r)));
    await bot.api.setWebhook(`http://127.0.0.1:${(hook.address() as AddressInfo).port}/hook`, {
      secret_token: "s3cr3t_token",
    });
    expect((await apiError(bot.api.getUpdates())).description).toMatch(
      /^Conflict: can't use getUpdates method while webhook is active/,
    );
    const u = tg.user({ id: 18 });
    u.send("hi");
    expect((await u.nextMessage()).text).toBe("hook: hi");
    expect(secrets).toEqual(["s3cr3t_token", "s3cr3t_token"]);
    const info = await bot.api.getWebhookInfo();
    expect(info.last_error_message).toBe("Wrong response from the webhook: 500 Internal Server Error");
    expect(info.pending_update_count).toBe(0);
    await bot.api.deleteWebhook();
    expect(await bot.api.getUpdates({ timeout: 0 })).toEqual([]);
  });
});

describe("bot in a child process", () => {
  it("redelivers an unconfirmed update to a new process after the old one was killed", async () => {
    const { spawn } = await import("node:child_process");
    const { fileURLToPath } = await import("node:url");
    const script = fileURLToPath(new URL("./fixtures/echo-bot.ts", import.meta.url));
    const launch = (hang: boolean) => {
      const child = spawn(process.execPath, ["--import", "tsx", script], {
        env: { ...process.env, BOT_TOKEN: tg.token, BOT_API_ROOT: tg.url, EMU_HANG: hang ? "1" : "0" },
        stdio: "ignore",
      });
      const exited = new Promise((r) => child.once("exit", r));
      cleanups.push(async () => {
        child.kill("SIGKILL");
        await exited;
      });
      return { child, exited };
    };
    const u = tg.user({ id: 21 });
    const first = launch(true);
    u.send("survive me");
    await tg.waitForCall("sendChatAction", { timeout: 15_000 });
    first.child.kill("SIGKILL");
    await first.exited;
    expect(tg.pendingUpdates()).toBe(1);
    const second = launch(false);
    const reply = await u.nextMessage({ timeout: 15_000 });
    expect(reply.text).toBe(`pid ${second.child.pid ?? 0}: survive me`);
  });
});
