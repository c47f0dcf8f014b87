import { createServer } from "node:http";
import { run } from "@grammyjs/runner";
import { webhookCallback, type Bot } from "grammy";
import type { Config } from "./config.js";
import type { BotContext } from "./context.js";
import type { Logger } from "./logger.js";

const ALLOWED_UPDATES = ["message", "edited_message", "callback_query", "my_chat_member"] as const;

/** How updates arrive; `stop` stops taking new ones (those in flight finish on their own). */
export interface Transport {
  stop(): Promise<void>;
}

/**
 * Webhook: the bot registers the webhook with the secret token and serves POST <path of WEBHOOK_URL>; grammY
 * rejects requests without Telegram's secret-token header.
 */
async function startWebhook(
  bot: Bot<BotContext>,
  webhook: NonNullable<Config["webhook"]>,
  log: Logger,
): Promise<Transport> {
  const { url, secret, port } = webhook;
  const path = new URL(url).pathname;
  const handle = webhookCallback(bot, "http", { secretToken: secret });
  const server = createServer((req, res) => {
    if (req.method === "POST" && req.url === path) return void handle(req, res);
    res.writeHead(404).end();
  });
  await new Promise<void>((resolve) => server.listen(port, resolve));
  await bot.api.setWebhook(url, { secret_token: secret, allowed_updates: [...ALLOWED_UPDATES] });
  log.info({ port, mode: "webhook" }, "bot started");
  return { stop: () => new Promise((resolve) => server.close(() => resolve())) };
}

/** Long polling with grammY's runner: updates of one chat in order, different chats in parallel. */
async function startPolling(bot: Bot<BotContext>, log: Logger): Promise<Transport> {
  await bot.api.deleteWebhook();
  const runner = run(bot, { runner: { fetch: { allowed_updates: [...ALLOWED_UPDATES] } } });
  log.info({ mode: "polling", username: bot.botInfo.username }, "bot started");
  return { stop: () => runner.stop() };
}

export function startTransport(bot: Bot<BotContext>, config: Config, log: Logger): Promise<Transport> {
  return config.webhook ? startWebhook(bot, config.webhook, log) : startPolling(bot, log);
}
