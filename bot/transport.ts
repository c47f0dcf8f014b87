import { timingSafeEqual } from "node:crypto";
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import { run } from "@grammyjs/runner";
import { GrammyError, HttpError, type Bot } from "grammy";
import type { Update } from "grammy/types";
import { z } from "zod";
import type { Config } from "./config.js";
import type { BotContext, Deps } from "./context.js";
import { health } from "./health.js";
import type { Logger } from "./logger.js";
import { StartupError } from "./telegram-connect.js";
import { keepPolledBatches, replayUnhandled } from "./update-inbox.js";

const ALLOWED_UPDATES = ["message", "edited_message", "callback_query", "my_chat_member"] as const;
/** Telegram's updates are a few kilobytes; anything near this is not one. */
export const MAX_UPDATE_BYTES = 1_000_000;
const DISCARD_BYTES = 16 * MAX_UPDATE_BYTES;

/** How updates arrive. `stop` stops taking new ones; `failed` settles with a one-line reason if they stop coming. */
export interface Transport {
  stop(): Promise<void>;
  failed: Promise<string>;
}

// Only the envelope is checked here: grammY and the features read the rest as Telegram defines it.
const UpdateEnvelope = z.looseObject({ update_id: z.number().int().nonnegative() });

function sameSecret(given: string | string[] | undefined, secret: string): boolean {
  if (typeof given !== "string") return false;
  const a = Buffer.from(given);
  const b = Buffer.from(secret);
  return a.length === b.length && timingSafeEqual(a, b);
}

/**
 * The body, or null when it grows past `limit`. An oversized body is still read (and dropped) up to
 * DISCARD_BYTES, so the sender gets its 413 instead of a reset connection mid-upload; past that the
 * connection is cut.
 */
async function readBody(req: IncomingMessage, limit: number): Promise<Buffer | null> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > DISCARD_BYTES) return null;
    if (size <= limit) chunks.push(chunk);
  }
  return size > limit ? null : Buffer.concat(chunks);
}

/** An update posted to the webhook: 200 once handled; bad bodies 400, large ones 413; nothing of a body is logged. */
export function webhookHandler(bot: Bot<BotContext>, path: string, secret: string, log: Logger) {
  return async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    if (req.method !== "POST" || req.url !== path) return void res.writeHead(404).end();
    if (!sameSecret(req.headers["x-telegram-bot-api-secret-token"], secret)) return void res.writeHead(401).end();
    const declared = Number(req.headers["content-length"] ?? 0);
    const body = declared > DISCARD_BYTES ? null : await readBody(req, MAX_UPDATE_BYTES);
    if (!body) {
      log.warn({ bytes: declared || undefined }, "webhook body too large");
      return void res.writeHead(413, { connection: "close" }).end();
    }
    let parsed: unknown;
    try {
      parsed = JSON.parse(body.toString("utf8"));
    } catch {
      parsed = undefined;
    }
    const update = UpdateEnvelope.safeParse(parsed);
    if (!update.success) {
      log.warn({ bytes: body.length }, "webhook body is not an update");
      return void res.writeHead(400).end();
    }
    try {
      await bot.handleUpdate(update.data as unknown as Update);
      res.writeHead(200).end();
    } catch (err) {
      // The error boundary answered the person; Telegram redelivers, and a handled update is not handled twice.
      log.error(
        { update_id: update.data.update_id, error: err instanceof Error ? err.name : "unknown" },
        "update failed",
      );
      res.writeHead(500).end();
    }
  };
}

/**
 * GET /healthz (200 when the database answers and its migrations are current, else 503) and GET /metrics
 * (Prometheus's text format). True when the request was one of them.
 */
export async function serveOps(
  deps: Pick<Deps, "db" | "metrics">,
  req: IncomingMessage,
  res: ServerResponse,
): Promise<boolean> {
  if (req.method !== "GET") return false;
  if (req.url === "/healthz") {
    const h = await health(deps.db);
    res.writeHead(h.ok ? 200 : 503, { "content-type": "application/json" }).end(JSON.stringify(h));
    return true;
  }
  if (req.url === "/metrics") {
    const body = await deps.metrics.registry.metrics();
    res.writeHead(200, { "content-type": deps.metrics.registry.contentType }).end(body);
    return true;
  }
  return false;
}

/** Listens, or fails with one line that says what to do (a port in use, no permission). */
export function listen(server: Server, port: number, host: string, variable = "PORT"): Promise<void> {
  return new Promise((resolve, reject) => {
    server.once("error", (err: NodeJS.ErrnoException) => {
      if (err.code === "EADDRINUSE")
        reject(new StartupError(`${variable} ${port} is in use on ${host}: stop the other process or set ${variable}`));
      else if (err.code === "EACCES")
        reject(new StartupError(`${variable} ${port} on ${host} needs privileges: choose a port above 1023`));
      else if (err.code === "EADDRNOTAVAIL")
        reject(new StartupError(`HOST ${host} is not an address of this machine: set HOST`));
      else reject(err);
    });
    server.listen(port, host, () => resolve());
  });
}

/**
 * Webhook: the bot registers the webhook with the secret token and serves POST <path of WEBHOOK_URL> on HOST:PORT
 * (behind an https reverse proxy).
 */
async function startWebhook(
  bot: Bot<BotContext>,
  deps: Deps,
  webhook: NonNullable<Config["webhook"]>,
  log: Logger,
): Promise<Transport> {
  const { url, secret, port, host } = webhook;
  const handle = webhookHandler(bot, new URL(url).pathname, secret, log);
  const server = createServer(
    (req, res) => void serveOps(deps, req, res).then((served) => (served ? undefined : handle(req, res))),
  );
  // A client that sends garbage instead of HTTP gets 400; nothing of it is logged.
  server.on("clientError", (_err, socket) => socket.end("HTTP/1.1 400 Bad Request\r\n\r\n"));
  await listen(server, port, host);
  await bot.api.setWebhook(url, { secret_token: secret, allowed_updates: [...ALLOWED_UPDATES] });
  log.info({ port, host, mode: "webhook" }, "bot started");
  return {
    stop: () => new Promise((resolve) => server.close(() => resolve())),
    failed: new Promise<string>(() => undefined),
  };
}

/** Why polling stopped, in one line. */
export function pollingFailure(err: unknown, apiRoot: string): string {
  if (err instanceof GrammyError && err.error_code === 409)
    return "another instance is polling with this token: stop it, or run this one with BOT_MODE=webhook";
  if (err instanceof GrammyError && err.error_code === 401)
    return "Telegram refused BOT_TOKEN (401): the token was revoked; set the new one from @BotFather";
  if (err instanceof HttpError) return `lost ${apiRoot} for too long: check the network, then start again`;
  return `polling stopped (${err instanceof Error ? err.name : "unknown"}): start again`;
}

/** Long polling with grammY's runner: updates of one chat in order, different chats in parallel. */
async function startPolling(bot: Bot<BotContext>, deps: Deps, config: Config, log: Logger): Promise<Transport> {
  const { apiRoot } = config;
  const ops = config.metrics ? await startOps(deps, config.metrics) : undefined;
  await bot.api.deleteWebhook();
  // What a stopped process had in hand, before anything newer of the same chats.
  await replayUnhandled(bot, deps, log);
  bot.api.config.use(keepPolledBatches(deps, log));
  // An outage is said once when it starts and once when it ends (the runner retries quietly in between).
  let down = false;
  bot.api.config.use(async (prev, method, payload, signal) => {
    if (method !== "getUpdates") return prev(method, payload, signal);
    try {
      const res = await prev(method, payload, signal);
      if (down) log.warn({ api: apiRoot }, "Telegram reachable again");
      down = false;
      return res;
    } catch (err) {
      if (err instanceof HttpError && !down) log.warn({ api: apiRoot }, "cannot reach Telegram; retrying");
      if (err instanceof HttpError) down = true;
      throw err;
    }
  });
  // Enough updates at once to keep the CPU busy while replies cross the network (200 at Telegram's ~0.2 s per
  // update is ~1 000 updates/s), and no more: every update in flight keeps its objects alive, and at 500 (the
  // runner's default) copying them made garbage collection a fifth of the CPU. At 100 the process waited on its
  // calls' answers a quarter of the time under load (BENCHMARKS.md).
  const runner = run(bot, {
    sink: { concurrency: config.maxConcurrentUpdates },
    runner: { fetch: { allowed_updates: [...ALLOWED_UPDATES] }, silent: true },
  });
  log.info({ mode: "polling", username: bot.botInfo.username }, "bot started");
  const failed = new Promise<string>((resolve) => {
    void runner.task()?.catch((err: unknown) => resolve(pollingFailure(err, apiRoot)));
  });
  return {
    stop: async () => {
      await runner.stop();
      await new Promise<void>((resolve) => (ops ? ops.close(() => resolve()) : resolve()));
    },
    failed,
  };
}

/** Polling mode's small server for /healthz and /metrics (METRICS_PORT). */
async function startOps(deps: Deps, at: { port: number; host: string }): Promise<Server> {
  const server = createServer((req, res) => {
    void serveOps(deps, req, res).then((served) => (served ? undefined : void res.writeHead(404).end()));
  });
  await listen(server, at.port, at.host, "METRICS_PORT");
  return server;
}

export function startTransport(bot: Bot<BotContext>, deps: Deps, config: Config, log: Logger): Promise<Transport> {
  return config.webhook ? startWebhook(bot, deps, config.webhook, log) : startPolling(bot, deps, config, log);
}
