import { spawn, type ChildProcess } from "node:child_process";
import { createServer } from "node:net";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import type { Emulator} from "../emulator/index.js";
import { startEmulator } from "../emulator/index.js";

const ROOT = resolve(import.meta.dirname, "../..");

export interface BotProcess {
  proc: ChildProcess;
  /** stderr and stdout so far, for failure messages. */
  output(): string;
  exited: Promise<number | null>;
}

export interface Stack {
  tg: Emulator;
  dir: string;
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
}

// A test worker that dies must not leave bots polling: kill whatever is still running when it exits.
const live = new Set<ChildProcess>();
process.once("exit", () => {
  for (const p of live) p.kill("SIGKILL");
});

function spawnBot(env: Record<string, string>): BotProcess {
  const proc = spawn(process.execPath, ["--import", "tsx", "bot/main.ts"], {
    cwd: ROOT,
    env: { PATH: process.env.PATH ?? "", HOME: process.env.HOME ?? "", DOTENV_CONFIG_PATH: "/dev/null", ...env },
    stdio: ["ignore", "pipe", "pipe"],
  });
  let out = "";
  proc.stdout?.on("data", (d: Buffer) => (out += d.toString()));
  proc.stderr?.on("data", (d: Buffer) => (out += d.toString()));
  live.add(proc);
  const exited = new Promise<number | null>((res) =>
    proc.once("exit", (code) => {
      live.delete(proc);
      res(code);
    }),
  );
  return { proc, output: () => out, exited };
}

/** Waits until the freshly started bot polls the emulator (or has set its webhook): from then on it answers users. */
async function ready(tg: Emulator, bot: BotProcess, since: number, webhook: boolean): Promise<void> {
  // The new process calls deleteWebhook just before it starts polling; a long poll is logged only when it ends.
  const polled = webhook
    ? tg.waitForCall("setWebhook", { timeout: 30_000, since })
    : tg.waitForCall("deleteWebhook", { timeout: 30_000, since }).then(() => tg.waitForPolling({ timeout: 10_000 }));
  const died = bot.exited.then((code) => {
    throw new Error(`bot exited with ${code} before polling:\n${bot.output()}`);
  });
  await Promise.race([polled, died]);
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
  const dbPath = join(dir, "bot.sqlite");
  const env: Record<string, string> = {
    BOT_TOKEN: tg.token,
    BOT_API_ROOT: tg.url,
    DATABASE_URL: `file:${dbPath}`,
    LOG_LEVEL: "warn",
    ADMIN_IDS: (opts.adminIds ?? []).join(","),
    ...(opts.clockStart ? { CLOCK_START: opts.clockStart } : {}),
    ...opts.env,
  };
  const start = async () => {
    const since = tg.lastCallSeq();
    const bot = spawnBot(env);
    await ready(tg, bot, since, env.BOT_MODE === "webhook");
    return bot;
  };
  const stack: Stack = {
    tg,
    dir,
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
    },
  };
  return stack;
}
