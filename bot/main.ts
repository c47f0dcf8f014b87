import { config as loadDotenv } from "dotenv";
import { clockFrom, systemClock } from "./clock.js";
import { loadConfig } from "./config.js";
import { createBot } from "./create-bot.js";
import { createDeps } from "./deps.js";
import { startBroadcastWorker } from "./features/broadcast/index.js";
import { createI18n } from "./i18n.js";
import { createLogger } from "./logger.js";
import { InFlight } from "./middleware/in-flight.js";
import { createRulesService } from "./rules-service.js";
import { openStorage } from "./storage.js";
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
  const storage = await openStorage(config.databaseUrl, clock, log);
  const i18n = await createI18n();
  const deps = createDeps({ db: storage.db, config, clock, log, i18n, rules: createRulesService(storage.db, log) });

  const inFlight = new InFlight();
  const bot = createBot(deps, { token: config.token, apiRoot: config.apiRoot, inFlight });
  await bot.init();
  await deps.commands.registerDefaults(bot.api, i18n);
  const transport = await startTransport(bot, config, log);
  // Broadcasts and campaign reminders go out in the background, through an Api instance of their own.
  const worker = startBroadcastWorker(deps, bot.api);

  let stopping = false;
  const shutdown = async (signal: string): Promise<void> => {
    if (stopping) return;
    stopping = true;
    log.info({ signal }, "stopping: finishing updates in flight");
    try {
      await transport.stop();
      await inFlight.idle();
    } finally {
      await worker.stop();
      await storage.close();
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
