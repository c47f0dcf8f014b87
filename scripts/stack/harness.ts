import { randomBytes } from "node:crypto";
import { createServer } from "node:net";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { Emulator } from "../emulator/index.js";
import { startEmulator } from "../emulator/index.js";
import { type BotProcess, spawnBot, waitUntilReady } from "./bot-process.js";
import { freshPostgres, testsOnPostgres, type FreshPostgres } from "./postgres.js";

export type { BotProcess } from "./bot-process.js";

export interface Stack {
  tg: Emulator;
  dir: string;
  /** The bot's DATABASE_URL: a SQLite file in dir, or a fresh PostgreSQL database (TEST_DATABASE=postgres). */
  databaseUrl: string;
  /** The SQLite file ("" on PostgreSQL). */
  dbPath: string;
  bot: BotProcess;
  env: Record<string, string>;
  /** Stops the bot gracefully (SIGTERM) and starts it again on the same database. */
  restart(): Promise<void>;
  /** SIGKILL, then start again. */
  crashAndRestart(): Promise<void>;
  stop(): Promise<void>;
}

export interface StackOptions {
  /** ISO instant the bot's clock starts at (CLOCK_START). */
  clockStart?: string;
  adminIds?: number[];
  env?: Record<string, string>;
  /** Run on this database kind regardless of TEST_DATABASE (a test of one kind's own behaviour). */
  database?: "sqlite" | "postgres";
}

/** A free TCP port on 127.0.0.1 (for the bot's webhook server). */
export function freePort(): Promise<number> {
  return new Promise((resolvePort, reject) => {
    const srv = createServer();
    srv.once("error", reject);
    srv.listen(0, "127.0.0.1", () => {
      const address = srv.address();
      const port = typeof address === "object" && address ? address.port : 0;
      srv.close(() => resolvePort(port));
    });
  });
}

export async function startStack(opts: StackOptions = {}): Promise<Stack> {
  const tg = await startEmulator();
  const dir = mkdtempSync(join(tmpdir(), "emhana-e2e-"));
  const onPostgres = opts.database ? opts.database === "postgres" : testsOnPostgres();
  let pgDatabase: FreshPostgres | undefined;
  if (onPostgres) pgDatabase = await freshPostgres();
  const dbPath = pgDatabase ? "" : join(dir, "bot.sqlite");
  const databaseUrl = pgDatabase ? pgDatabase.url : `file:${dbPath}`;
  const env: Record<string, string> = {
    BOT_TOKEN: tg.token,
    BOT_API_ROOT: tg.url,
    DATABASE_URL: databaseUrl,
    // PostgreSQL has no key file beside the database: every instance gets the key from the environment.
    ...(pgDatabase ? { DATA_KEY: randomBytes(32).toString("base64") } : {}),
    LOG_LEVEL: "warn",
    ADMIN_IDS: (opts.adminIds ?? []).join(","),
    ...(opts.clockStart ? { CLOCK_START: opts.clockStart } : {}),
    ...opts.env,
  };
  const start = async () => {
    const since = tg.lastCallSeq();
    const bot = spawnBot(env);
    await waitUntilReady(tg, bot, since, env.BOT_MODE === "webhook");
    return bot;
  };
  const stack: Stack = {
    tg,
    dir,
    databaseUrl,
    dbPath,
    env,
    bot: await start(),
    async restart() {
      stack.bot.proc.kill("SIGTERM");
      await stack.bot.exited;
      stack.bot = await start();
    },
    async crashAndRestart() {
      stack.bot.proc.kill("SIGKILL");
      await stack.bot.exited;
      stack.bot = await start();
    },
    async stop() {
      if (stack.bot.proc.exitCode === null) {
        stack.bot.proc.kill("SIGTERM");
        await stack.bot.exited;
      }
      await tg.close();
      rmSync(dir, { recursive: true, force: true });
      await pgDatabase?.drop();
    },
  };
  return stack;
}
