import { config as loadDotenv } from "dotenv";
import { createServer } from "node:http";
import { run, type RunnerHandle } from "@grammyjs/runner";
import { webhookCallback } from "grammy";
import { loadShippedDirectory } from "../data/datasets/load-directory.js";
import { startCheckpointer } from "../data/checkpointer.js";
import { openDatabase, sqlitePathFromUrl } from "../data/db.js";
import { migrateToLatest } from "../data/migrate.js";
import { pruneProcessed } from "../data/repositories/processed-updates.js";
import { clockFrom, systemClock } from "./clock.js";
import { loadConfig } from "./config.js";
import { createBot } from "./create-bot.js";
import { startBroadcastWorker } from "./features/broadcast/index.js";
import { registerDefaultCommands } from "./features/start/commands.js";
import { createI18n } from "./i18n.js";
import { createLogger } from "./logger.js";
import { InFlight } from "./middleware/in-flight.js";
import { createRulesService } from "./rules-service.js";

// A .env file, when present, fills variables the environment does not set.
loadDotenv({ quiet: true, path: process.env.DOTENV_CONFIG_PATH || ".env" });

const DAY_MS = 24 * 3_600_000;
const ALLOWED_UPDATES = ["message", "edited_message", "callback_query", "my_chat_member"] as const;

async function main(): Promise<void> {
  const loaded = loadConfig(process.env);
  if (!loaded.ok) {
    for (const p of loaded.problems) console.error(p);
    process.exit(1);
  }
  const config = loaded.config;
  const log = createLogger(config.logLevel);
  const database = openDatabase(config.databaseUrl);
  // WAL checkpoints (and their fsync) in a worker thread, so no user's reply waits behind one.
  const dbPath = sqlitePathFromUrl(config.databaseUrl);
  const checkpointer =
    dbPath === ":memory:"
      ? undefined
      : startCheckpointer(dbPath, database.sqlite, {
          onError: (message) => log.warn({ message }, "background checkpoint failed"),
        });
  const applied = await migrateToLatest(database.db);
  if (applied.length) log.info({ applied }, "migrations applied");

  const i18n = await createI18n();
  const clock = config.clockStart ? clockFrom(config.clockStart) : systemClock;
  // Telegram redelivers for at most a day: older update marks (stamped by the same clock) only take space.
  const prune = () =>
    pruneProcessed(database.db, new Date(clock.now().getTime() - 2 * DAY_MS).toISOString()).catch(() => 0);
  await prune();
  const pruneTimer = setInterval(() => void prune(), 3_600_000);
  pruneTimer.unref();
  const directory = await loadShippedDirectory(database.db, clock.now());
  if (directory.seeded) log.info(directory.seeded, "clinic directory loaded from the shipped dataset");
  if (directory.places && directory.places.added + directory.places.updated > 0)
    log.info(directory.places, "shipped places updated");
  if (directory.clinicsRelabelled > 0)
    log.info({ clinics: directory.clinicsRelabelled }, "shipped clinics marked as illustrative");
  const deps = { db: database.db, config, clock, log, i18n, rules: createRulesService(database.db, log) };
  const inFlight = new InFlight();
  const bot = createBot(deps, { token: config.token, apiRoot: config.apiRoot, inFlight });
  await bot.init();
  await registerDefaultCommands(bot.api, i18n);

  let stopTaking: () => Promise<void>;
  if (config.webhook) {
    const { url, secret, port } = config.webhook;
    const path = new URL(url).pathname;
    // grammY rejects requests without Telegram's secret-token header.
    const handle = webhookCallback(bot, "http", { secretToken: secret });
    const server = createServer((req, res) => {
      if (req.method === "POST" && req.url === path) return void handle(req, res);
      res.writeHead(404).end();
    });
    await new Promise<void>((resolve) => server.listen(port, resolve));
    await bot.api.setWebhook(url, { secret_token: secret, allowed_updates: [...ALLOWED_UPDATES] });
    log.info({ port, mode: "webhook" }, "bot started");
    stopTaking = () => new Promise((resolve) => server.close(() => resolve()));
  } else {
    await bot.api.deleteWebhook();
    const runner: RunnerHandle = run(bot, {
      runner: { fetch: { allowed_updates: [...ALLOWED_UPDATES] } },
    });
    log.info({ mode: "polling", username: bot.botInfo.username }, "bot started");
    stopTaking = () => runner.stop();
  }
  // Broadcasts and campaign reminders go out in the background, through an Api instance of their own.
  const worker = startBroadcastWorker(deps, bot.api);

  let stopping = false;
  const shutdown = async (signal: string): Promise<void> => {
    if (stopping) return;
    stopping = true;
    log.info({ signal }, "stopping: finishing updates in flight");
    try {
      await stopTaking();
      await inFlight.idle();
      clearInterval(pruneTimer);
    } finally {
      await worker.stop();
      await checkpointer?.stop();
      await database.close();
      log.info("stopped");
      process.exit(0);
    }
  };
  process.once("SIGINT", () => void shutdown("SIGINT"));
  process.once("SIGTERM", () => void shutdown("SIGTERM"));
}

main().catch((err: unknown) => {
  // Start-up failures: one line, no stack trace, no personal data.
  console.error(`emhana: could not start: ${err instanceof Error ? err.message : String(err)}`);
  process.exit(1);
});
