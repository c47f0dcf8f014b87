// The sandbox: our Bot API emulator on 127.0.0.1, the real bot against it as a child process (bot/main.ts, the
// production start-up path, its own SQLite file), sample personas with their roles, and a chat page for people.
import { rmSync } from "node:fs";
import { isAbsolute, resolve } from "node:path";
import { ROOT, spawnBot, stopBot, waitUntilReady } from "../stack/bot-process.js";
import { type Emulator, startEmulator } from "../emulator/index.js";
import { installApi } from "./api.js";
import { locationPresets } from "./locations.js";
import { ADMIN, PERSONAS, registerPersonas, setUpPersonas } from "./personas.js";
import { installStatic } from "./static-files.js";

export interface SandboxOptions {
  /** Port of the page (and of the emulator behind it); 0 picks a free one. Default 8090. */
  port?: number;
  /** SQLite file of the sandbox's bot, relative to the project root. Default var/sandbox.sqlite. */
  databasePath?: string;
  /** Delete that file (and its WAL) first. */
  fresh?: boolean;
  /** The bot's and the emulator's clock start at this instant (CLOCK_START), then run at real speed. */
  clockStart?: Date;
  /** The bot's LOG_LEVEL. Default warn. */
  logLevel?: string;
  /** Where the bot's own log goes (default stderr). */
  botLog?: NodeJS.WritableStream;
}

export interface Sandbox {
  url: string;
  tg: Emulator;
  databasePath: string;
  /** Resolves with the exit code if the bot stops by itself (a crash): the sandbox is of no use then. */
  botExited: Promise<number | null>;
  stop(): Promise<void>;
}

export const DEFAULT_PORT = 8090;

export async function startSandbox(opts: SandboxOptions = {}): Promise<Sandbox> {
  const rel = opts.databasePath ?? "var/sandbox.sqlite";
  const databasePath = isAbsolute(rel) ? rel : resolve(ROOT, rel);
  if (opts.fresh) for (const suffix of ["", "-wal", "-shm"]) rmSync(databasePath + suffix, { force: true });

  // The emulator's message dates and callback ages follow the same moved clock as the bot.
  const offset = opts.clockStart ? opts.clockStart.getTime() - Date.now() : 0;
  const now = () => Date.now() + offset;
  const port = opts.port ?? DEFAULT_PORT;
  const tg = await startEmulator({ port, now, botFirstName: "Емхана", botUsername: "emhana_sandbox_bot" }).catch(
    (e: unknown) => {
      const busy = (e as NodeJS.ErrnoException).code === "EADDRINUSE";
      throw new Error(
        busy ? `port ${port} is in use: pass --port <another> (or --port 0 for any free one)` : String(e),
      );
    },
  );
  const actualPort = Number(new URL(tg.url).port);
  registerPersonas(tg);
  installStatic(tg);
  const api = installApi({ tg, port: actualPort, presets: locationPresets() });

  const env: Record<string, string> = {
    BOT_TOKEN: tg.token,
    BOT_API_ROOT: tg.url,
    DATABASE_URL: `file:${databasePath}`,
    ADMIN_IDS: String(ADMIN.id),
    LOG_LEVEL: opts.logLevel ?? "warn",
    ...(opts.clockStart ? { CLOCK_START: new Date(now()).toISOString() } : {}),
  };
  const since = tg.lastCallSeq();
  const bot = spawnBot(env, { echo: opts.botLog ?? process.stderr });
  let stopping = false;
  const stop = async () => {
    if (stopping) return;
    stopping = true;
    api.close();
    await stopBot(bot);
    await tg.close();
  };
  try {
    await waitUntilReady(tg, bot, since);
    await setUpPersonas(tg, env.DATABASE_URL ?? "", new Date(now()).toISOString());
  } catch (e) {
    await stop();
    throw e;
  }
  const botExited = bot.exited.then((code) => (stopping ? new Promise<never>(() => undefined) : code));
  return { url: `http://127.0.0.1:${actualPort}`, tg, databasePath, botExited, stop };
}

export { PERSONAS };
