// Application throughput: N simulated citizens complete the whole flow at once through the Bot API emulator over
// HTTP, against the real bot as a child process on a fresh SQLite file; then the same load on a minimal echo bot.
import { spawn } from "node:child_process";
import { createServer, type AddressInfo } from "node:net";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { startEmulator, type Emulator, type StoredMessage } from "../scripts/emulator/index.js";
import { startStack } from "../scripts/stack/harness.js";
import {
  act,
  applicationSteps,
  personIin,
  STEP_NAMES,
  type Lang,
  type StepName,
} from "../scripts/stack/citizen-flow.js";
import { cpuMs, mainThreadCpuMs, memoryKb } from "./lib/proc.js";
import { summarize, type Summary } from "./lib/stats.js";
import { ChatWatch } from "../scripts/stack/chat-watch.js";

// Inside the 2026 campaign window: personal choice is open to everyone (R7).
export const IN_CAMPAIGN = "2026-09-15T10:00:00+05:00";
const STEP_TIMEOUT_MS = 300_000;
const FIRST_ID = 20_000_000;
let nextUserId = FIRST_ID;

export interface LoadResult {
  users: number;
  updates: number;
  seconds: number;
  updatesPerSecond: number;
  cpuMsPerUser: number;
  /** Of that, the main thread's: the rest is the JIT's and the garbage collector's helper threads. */
  mainCpuMsPerUser: number;
  peakRssMb: number;
  latency: Partial<Record<StepName, Summary>>;
  all: Summary;
  /** Our bot only, from its own /metrics: commits of updates' writes per application. */
  commitsPerUser?: number;
}

/** A port nobody listens on now, for the bot's /metrics. */
async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise((resolve) => server.close(resolve));
  return port;
}

/** Commits of updates' writes so far, from the bot's /metrics. */
async function botCommits(port: number): Promise<number> {
  const text = await (await fetch(`http://127.0.0.1:${port}/metrics`)).text();
  return Number(/^emhana_commit_batch_updates_count (\S+)$/m.exec(text)?.[1] ?? NaN);
}

/** Drives `count` fresh citizens through steps [from, to) concurrently; returns each one's last message. */
export async function citizens(
  tg: Emulator,
  watch: ChatWatch,
  ids: number[],
  range: { from?: StepName; to?: StepName } = {},
  lasts = new Map<number, StoredMessage | undefined>(),
  times?: Map<StepName, number[]>,
): Promise<Map<number, StoredMessage | undefined>> {
  await Promise.all(
    ids.map(async (id) => {
      const lang: Lang = id % 2 ? "kk" : "ru";
      const u = tg.user({ id, first_name: `Citizen ${id}`, language_code: lang });
      const steps = applicationSteps(lang, personIin(id - FIRST_ID));
      const from = range.from ? STEP_NAMES.indexOf(range.from) : 0;
      const to = range.to ? STEP_NAMES.indexOf(range.to) : steps.length;
      let last = lasts.get(id);
      for (const step of steps.slice(from, to)) {
        const replied = watch.next(id, step.ready, STEP_TIMEOUT_MS);
        const t0 = performance.now();
        act(u, step, last, lang, id);
        last = await replied;
        times?.get(step.name)?.push(performance.now() - t0);
      }
      lasts.set(id, last);
    }),
  );
  return lasts;
}

export function newIds(n: number): number[] {
  return Array.from({ length: n }, () => nextUserId++);
}

/** Our bot: N citizens from /start to a request number, all at once. */
export async function applyLoad(
  n: number,
  env: Record<string, string> = {},
  after?: (pid: number) => Promise<void>,
): Promise<LoadResult> {
  const metricsPort = await freePort();
  const stack = await startStack({
    clockStart: IN_CAMPAIGN,
    env: { RATE_LIMIT_PER_MINUTE: "600", LOG_LEVEL: "warn", METRICS_PORT: String(metricsPort), ...env },
  });
  const watch = new ChatWatch(stack.tg);
  try {
    await citizens(stack.tg, watch, newIds(20)); // warm-up: JIT, statement caches
    const pid = stack.bot.proc.pid ?? 0;
    const times = new Map<StepName, number[]>(STEP_NAMES.map((s) => [s, []]));
    const commits0 = await botCommits(metricsPort);
    const cpu0 = cpuMs(pid);
    const main0 = mainThreadCpuMs(pid);
    const t0 = performance.now();
    await citizens(stack.tg, watch, newIds(n), {}, new Map(), times).catch((err: unknown) => {
      // A person left without an answer: what the bot logged (warnings and errors) is the first clue.
      throw new Error(`${String(err)}\nthe bot's log, last lines:\n${stack.bot.output().slice(-6000)}`);
    });
    const seconds = (performance.now() - t0) / 1000;
    const cpu = cpuMs(pid) - cpu0;
    const main = mainThreadCpuMs(pid) - main0;
    const commits = await botCommits(metricsPort);
    const updates = n * STEP_NAMES.length;
    const latency: Partial<Record<StepName, Summary>> = {};
    for (const [name, ms] of times) latency[name] = summarize(ms);
    await after?.(pid);
    return {
      users: n,
      updates,
      seconds,
      updatesPerSecond: updates / seconds,
      cpuMsPerUser: cpu / n,
      mainCpuMsPerUser: main / n,
      peakRssMb: memoryKb(pid).peak / 1024,
      latency,
      all: summarize([...times.values()].flat()),
      commitsPerUser: (commits - commits0) / n,
    };
  } finally {
    watch.close();
    await stack.stop();
  }
}

/**
 * The documented-way peer (bench/peer-bot.ts) under the same load: N citizens through the same 11 steps, on a fresh
 * SQLite file, its replies timed per step like ours.
 */
export async function peerLoad(n: number): Promise<LoadResult> {
  const tg = await startEmulator();
  const dir = mkdtempSync(join(tmpdir(), "emhana-peer-"));
  const proc = spawn(process.execPath, ["--import", "tsx", resolve(import.meta.dirname, "peer-bot.ts")], {
    cwd: resolve(import.meta.dirname, ".."),
    env: {
      PATH: process.env["PATH"] ?? "",
      BOT_TOKEN: tg.token,
      BOT_API_ROOT: tg.url,
      DATABASE_URL: `file:${join(dir, "peer.sqlite")}`,
      CLOCK_START: IN_CAMPAIGN,
    },
    stdio: "ignore",
  });
  const watch = new ChatWatch(tg);
  try {
    await tg.waitForPolling({ timeout: 60_000 });
    await citizens(tg, watch, newIds(20));
    const pid = proc.pid ?? 0;
    const times = new Map<StepName, number[]>(STEP_NAMES.map((s) => [s, []]));
    const cpu0 = cpuMs(pid);
    const main0 = mainThreadCpuMs(pid);
    const t0 = performance.now();
    await citizens(tg, watch, newIds(n), {}, new Map(), times);
    const seconds = (performance.now() - t0) / 1000;
    const updates = n * STEP_NAMES.length;
    const latency: Partial<Record<StepName, Summary>> = {};
    for (const [name, ms] of times) latency[name] = summarize(ms);
    return {
      users: n,
      updates,
      seconds,
      updatesPerSecond: updates / seconds,
      cpuMsPerUser: (cpuMs(pid) - cpu0) / n,
      mainCpuMsPerUser: (mainThreadCpuMs(pid) - main0) / n,
      peakRssMb: memoryKb(pid).peak / 1024,
      latency,
      all: summarize([...times.values()].flat()),
    };
  } finally {
    watch.close();
    proc.kill("SIGTERM");
    await new Promise((r) => proc.once("exit", r));
    await tg.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

/** The echo bot under the same load: N people each send as many texts as the flow has steps, one at a time. */
export async function echoLoad(n: number): Promise<LoadResult> {
  const tg = await startEmulator();
  const proc = spawn(process.execPath, ["--import", "tsx", resolve(import.meta.dirname, "echo-bot.ts")], {
    cwd: resolve(import.meta.dirname, ".."),
    env: { PATH: process.env["PATH"] ?? "", BOT_TOKEN: tg.token, BOT_API_ROOT: tg.url },
    stdio: "ignore",
  });
  const watch = new ChatWatch(tg);
  try {
    await tg.waitForPolling({ timeout: 30_000 });
    const round = async (ids: number[], times?: number[]) =>
      Promise.all(
        ids.map(async (id) => {
          const u = tg.user({ id, first_name: `Echo ${id}` });
          for (let k = 0; k < STEP_NAMES.length; k++) {
            const text = `hello ${id} ${k}`;
            const replied = watch.next(id, (m) => m.text === text, STEP_TIMEOUT_MS);
            const t0 = performance.now();
            u.send(text);
            await replied;
            times?.push(performance.now() - t0);
          }
        }),
      );
    await round(newIds(20));
    const pid = proc.pid ?? 0;
    const times: number[] = [];
    const cpu0 = cpuMs(pid);
    const main0 = mainThreadCpuMs(pid);
    const t0 = performance.now();
    await round(newIds(n), times);
    const seconds = (performance.now() - t0) / 1000;
    const updates = n * STEP_NAMES.length;
    return {
      users: n,
      updates,
      seconds,
      updatesPerSecond: updates / seconds,
      cpuMsPerUser: (cpuMs(pid) - cpu0) / n,
      mainCpuMsPerUser: (mainThreadCpuMs(pid) - main0) / n,
      peakRssMb: memoryKb(pid).peak / 1024,
      latency: {},
      all: summarize(times),
    };
  } finally {
    watch.close();
    proc.kill("SIGTERM");
    await new Promise((r) => proc.once("exit", r));
    await tg.close();
  }
}
