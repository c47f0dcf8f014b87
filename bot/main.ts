import { config as loadDotenv } from "dotenv";
import { clockFrom, systemClock } from "./clock.js";
import { loadConfig } from "./config.js";
import { createBot } from "./create-bot.js";
import { createDeps } from "./deps.js";
import { startBroadcastWorker } from "./features/broadcast/index.js";
import { startRetentionWorker } from "./features/privacy/index.js";
import { startOutboxWorker } from "./outbox-worker.js";
import { createI18n } from "./i18n.js";
import { leadWorkers } from "./leadership.js";
import { createLogger } from "./logger.js";
import { InFlight } from "./middleware/in-flight.js";
import { createRulesService } from "./rules-service.js";
import { openStorage } from "./storage.js";
import { connect, StartupError } from "./telegram-connect.js";
import { startTransport } from "./transport.js";

// A .env file, when present, fills variables the environment does not set.
loadDotenv({ quiet: true, path: process.env.DOTENV_CONFIG_PATH || ".env" });

/** Wires the parts: configuration, storage, the bot, how updates arrive, the background worker and shutdown. */
async function main(): Promise<void> {
  const loaded = loadConfig(process.env);
  if (!loaded.ok) {
    for (const p of loaded.problems) console.error(p);
    process.exit(1);
  }
  const config = loaded.config;
  const log = createLogger(config.logLevel);
  const clock = config.clockStart ? clockFrom(config.clockStart) : systemClock;
  const storage = await openStorage(config.databaseUrl, clock, log, config.dataKey, config.databasePoolSize);
  if (storage.keySource.kind === "created") {
    console.error(
      `emhana: no DATA_KEY set: a new data key was written to ${storage.keySource.path} (owner-only); keep a copy in a secret store, without it stored IINs cannot be read`,
    );
  }
  const i18n = await createI18n();
  const deps = createDeps({
    db: storage.db,
    vault: storage.vault,
    config,
    clock,
    log,
    i18n,
    rules: createRulesService(storage.db, log),
    chatLocks: storage.chatLocks,
  });

  if (storage.database.kind === "postgres") {
    const { pool } = storage.database;
    const locks = storage.chatLocks;
    deps.metrics.watchPool(() => pool.waitingCount + (locks?.waiting ?? 0));
  }

  const inFlight = new InFlight();
  const bot = createBot(deps, { token: config.token, apiRoot: config.apiRoot, inFlight });
  try {
    await connect(bot, { apiRoot: config.apiRoot });
    await deps.commands.registerDefaults(bot.api, i18n);
  } catch (err) {
    await storage.close();
    throw err;
  }
  // Polling is one instance's job: Telegram gives updates to one getUpdates at a time.
  const poller = config.mode === "polling" ? storage.roleLock("poller") : undefined;
  if (poller && !(await poller.take())) {
    await storage.close();
    throw new StartupError(
      "another instance is already polling for this bot's updates on this database: polling runs one instance; use BOT_MODE=webhook to run several",
    );
  }
  const workers = leadWorkers(
    storage.roleLock("leader"),
    () => {
      // Messages owed after a stored change (decisions, documents received, withdrawals): whatever a previous
      // process left owed goes first, then each as soon as its change commits.
      const outbox = startOutboxWorker(deps, bot.api);
      // Broadcasts and campaign reminders go out in the background, through an Api instance of their own.
      const broadcasts = startBroadcastWorker(deps, bot.api);
      // Personal data kept no longer than the policy says: drafts, document references, decided requests' fields.
      const retention = startRetentionWorker(deps);
      return {
        async stop() {
          await broadcasts.stop();
          await outbox.stop();
          await retention.stop();
        },
      };
    },
    deps,
  );
  const transport = await startTransport(bot, deps, config, log);
  // JSON logs are for machines; a person who started it in a terminal gets one plain line.
  if (process.stderr.isTTY) {
    const how = config.webhook ? `webhook on ${config.webhook.host}:${config.webhook.port}` : "polling";
    console.error(`emhana: @${bot.botInfo.username} is running (${how}); Ctrl-C stops it`);
  }

  let stopping = false;
  const shutdown = async (reason: string, code: number): Promise<void> => {
    if (stopping) return;
    stopping = true;
    log.info({ reason }, "stopping: finishing updates in flight");
    try {
      await transport.stop();
      await inFlight.idle();
    } finally {
      await workers.stop();
      await poller?.release();
      await storage.close();
      log.info("stopped");
      process.exit(code);
    }
  };
  process.once("SIGINT", () => void shutdown("SIGINT", 0));
  process.once("SIGTERM", () => void shutdown("SIGTERM", 0));
  void transport.failed.then((line) => {
    console.error(`emhana: ${line}`);
    void shutdown("updates stopped", 1);
  });
}

main().catch((err: unknown) => {
  // Start-up failures: one line, no stack trace, no personal data.
  console.error(`emhana: could not start: ${err instanceof Error ? err.message : String(err)}`);
  process.exit(1);
});
