import { spawn } from "node:child_process";
import { existsSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { createServer, type Server } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startEmulator, type Emulator } from "../../scripts/emulator/index.js";
import { ROOT, spawnBot, stopBot, waitUntilReady, type BotProcess } from "../../scripts/stack/bot-process.js";
import { freePort } from "../../scripts/stack/harness.js";

/** Resolves with the bot's output once it matches (each chunk is an event: no polling, no sleeps). */
function outputMatching(bot: BotProcess, re: RegExp): Promise<string> {
  return new Promise((resolve, reject) => {
    const check = () => {
      if (!re.test(bot.output())) return false;
      bot.proc.stdout?.off("data", check);
      bot.proc.stderr?.off("data", check);
      resolve(bot.output());
      return true;
    };
    if (check()) return;
    bot.proc.stdout?.on("data", check);
    bot.proc.stderr?.on("data", check);
    void bot.exited.then(() => check() || reject(new Error(`exited without ${re}:\n${bot.output()}`)));
  });
}

const stderrLines = (bot: BotProcess) =>
  bot
    .output()
    .split("\n")
    .filter((l) => l.startsWith("emhana:"));

describe("start-up failures are one line with the cause and the fix", () => {
  let tg: Emulator;
  let dir: string;
  beforeAll(async () => {
    tg = await startEmulator();
    dir = mkdtempSync(join(tmpdir(), "emhana-start-"));
  });
  afterAll(async () => {
    await tg?.close();
    rmSync(dir, { recursive: true, force: true });
  });
  const env = (extra: Record<string, string>) => ({
    BOT_TOKEN: tg.token,
    BOT_API_ROOT: tg.url,
    DATABASE_URL: `file:${join(dir, `${Math.random().toString(36).slice(2)}.sqlite`)}`,
    LOG_LEVEL: "warn",
    // A key given: these starts are about other lines (a first start without one says so: privacy-files.test).
    DATA_KEY: Buffer.alloc(32, 3).toString("base64"),
    ...extra,
  });

  it("an unreachable Bot API is named at once with the wait before the next try, instead of silence", async () => {
    const closed = await freePort();
    const bot = spawnBot(env({ BOT_API_ROOT: `http://127.0.0.1:${closed}` }));
    const out = await outputMatching(bot, /cannot reach/);
    expect(out).toMatch(
      new RegExp(`emhana: cannot reach http://127\\.0\\.0\\.1:${closed} \\(ECONNREFUSED\\); retrying in 2 s`),
    );
    await stopBot(bot);
  });

  it("a token Telegram refuses says so: 'Telegram refused BOT_TOKEN (401)', exit 1", async () => {
    const bot = spawnBot(env({ BOT_TOKEN: "123456:AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA" }));
    expect(await bot.exited).toBe(1);
    expect(stderrLines(bot)).toEqual([
      "emhana: could not start: Telegram refused BOT_TOKEN (401): check the token @BotFather gave you",
    ]);
  });

  it("a port in use (webhook mode) says which and what to do, exit 1", async () => {
    const port = await freePort();
    const taken: Server = createServer();
    await new Promise<void>((r) => taken.listen(port, "127.0.0.1", () => r()));
    try {
      const bot = spawnBot(
        env({
          BOT_MODE: "webhook",
          WEBHOOK_URL: `http://127.0.0.1:${port}/hook`,
          WEBHOOK_SECRET: "e2e_webhook_secret_0123456789",
          PORT: String(port),
        }),
      );
      expect(await bot.exited).toBe(1);
      expect(stderrLines(bot)).toEqual([
        `emhana: could not start: PORT ${port} is in use on 127.0.0.1: stop the other process or set PORT`,
      ]);
    } finally {
      await new Promise<void>((r) => taken.close(() => r()));
    }
  });

  it("a database path that cannot be created names the path, exit 1", async () => {
    const file = join(dir, "not-a-folder");
    writeFileSync(file, "x");
    const bot = spawnBot(env({ DATABASE_URL: `file:${file}/bot.sqlite` }));
    expect(await bot.exited).toBe(1);
    const [line, ...rest] = stderrLines(bot);
    expect(rest).toEqual([]);
    expect(line).toContain(`emhana: could not start: DATABASE_URL: cannot open ${file}/bot.sqlite (`);
    expect(line).toMatch(/\((EEXIST|ENOTDIR)\): make sure its folder exists and this user may write there$/);
  });

  it("R17: a process in UTC (as containers run) starts; a second poller with the same token says so in one line and exits 1", async () => {
    const first = spawnBot(env({ TZ: "UTC" }));
    await waitUntilReady(tg, first, 0);
    const u = tg.user({ id: 5101, first_name: "Айдос", language_code: "kk" });
    u.command("/start");
    expect((await u.nextMessage()).text).toContain("Тілді таңдаңыз");
    const since = tg.lastCallSeq();
    const second = spawnBot(env({ TZ: "UTC" }));
    await tg.waitForCall("getUpdates", { since, timeout: 30_000 });
    // Whichever poller Telegram cut off stops with the one line; the other keeps polling.
    const stopped = await Promise.race([first.exited.then(() => first), second.exited.then(() => second)]);
    const other = stopped === first ? second : first;
    expect(stopped.proc.exitCode).toBe(1);
    expect(stderrLines(stopped)).toEqual([
      "emhana: another instance is polling with this token: stop it, or run this one with BOT_MODE=webhook",
    ]);
    expect(stopped.output()).not.toMatch(/at .*\.js:\d+|Error:/);
    await stopBot(other);
  });

  // util-linux's `script` gives the bot a terminal, as a person starting it by hand has.
  it.skipIf(!existsSync("/usr/bin/script"))(
    "started in a terminal it says in one plain line that it runs as @name and how to stop it",
    async () => {
      const e = env({});
      const cmd = `${JSON.stringify(process.execPath)} --import tsx bot/main.ts`;
      const proc = spawn("/usr/bin/script", ["-qfec", cmd, "/dev/null"], {
        cwd: ROOT,
        env: { PATH: process.env.PATH ?? "", HOME: process.env.HOME ?? "", DOTENV_CONFIG_PATH: "/dev/null", ...e },
        stdio: ["pipe", "pipe", "pipe"],
        // Its own process group: the bot under `script` stops with it.
        detached: true,
      });
      let out = "";
      const exited = new Promise<number | null>((r) => proc.once("exit", (code) => r(code)));
      const bot: BotProcess = { proc, output: () => out, exited };
      proc.stdout.on("data", (d: Buffer) => (out += d.toString()));
      const seen = await outputMatching(bot, /is running/);
      expect(seen).toContain("emhana: @emhana_test_bot is running (polling); Ctrl-C stops it");
      process.kill(-(proc.pid ?? 0), "SIGTERM");
      await exited;
    },
  );
});
