// The real bot (bot/main.ts) as a child process against an emulator: shared by the e2e harness and the sandbox,
// so both run exactly the production start-up path.
import { spawn, type ChildProcess } from "node:child_process";
import { resolve } from "node:path";
import type { Emulator } from "../emulator/index.js";

export const ROOT = resolve(import.meta.dirname, "../..");

export interface BotProcess {
  proc: ChildProcess;
  /** stderr and stdout so far, for failure messages. */
  output(): string;
  exited: Promise<number | null>;
}

export interface SpawnOptions {
  /** Also copy the bot's output to this stream as it comes (the sandbox shows the bot's log). */
  echo?: NodeJS.WritableStream;
}

// A process that dies must not leave bots polling: kill whatever is still running when it exits.
const live = new Set<ChildProcess>();
process.once("exit", () => {
  for (const p of live) p.kill("SIGKILL");
});

/**
 * Node's flags for the bot, as `npm start` gives them (package.json): a young generation of 64 MB a half instead of
 * 16, so that updates in flight are copied by fewer collections (BENCHMARKS.md).
 */
export const BOT_NODE_FLAGS = ["--max-semi-space-size=64"] as const;

/** Starts bot/main.ts with only these variables (and PATH, HOME): no .env file of the developer's leaks in. */
export function spawnBot(env: Record<string, string>, opts: SpawnOptions = {}): BotProcess {
  const proc = spawn(process.execPath, [...BOT_NODE_FLAGS, "--import", "tsx", "bot/main.ts"], {
    cwd: ROOT,
    env: { PATH: process.env.PATH ?? "", HOME: process.env.HOME ?? "", DOTENV_CONFIG_PATH: "/dev/null", ...env },
    stdio: ["ignore", "pipe", "pipe"],
  });
  let out = "";
  const collect = (d: Buffer) => {
    out += d.toString();
    opts.echo?.write(d);
  };
  proc.stdout?.on("data", collect);
  proc.stderr?.on("data", collect);
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
export async function waitUntilReady(tg: Emulator, bot: BotProcess, since: number, webhook = false): Promise<void> {
  // The new process calls deleteWebhook just before it starts polling; a long poll is logged only when it ends.
  const polled = webhook
    ? tg.waitForCall("setWebhook", { timeout: 30_000, since })
    : tg.waitForCall("deleteWebhook", { timeout: 30_000, since }).then(() => tg.waitForPolling({ timeout: 10_000 }));
  const died = bot.exited.then((code) => {
    throw new Error(`bot exited with ${code} before polling:\n${bot.output()}`);
  });
  await Promise.race([polled, died]);
}

/** SIGTERM (the bot finishes updates in flight and closes its database), SIGKILL if it takes too long. */
export async function stopBot(bot: BotProcess, graceMs = 10_000): Promise<void> {
  if (bot.proc.exitCode !== null || bot.proc.signalCode !== null) return;
  bot.proc.kill("SIGTERM");
  const timer = setTimeout(() => bot.proc.kill("SIGKILL"), graceMs);
  await bot.exited;
  clearTimeout(timer);
}
