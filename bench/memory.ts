// Memory: the bot's RSS (after a full GC, through the probe preloaded into it) with N conversations open and idle
// mid-flow, after they finish, and after a second round of N: growth per open conversation, and no leak.
import { existsSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { startStack } from "../scripts/stack/harness.js";
import { citizens, IN_CAMPAIGN, newIds } from "./apply.js";
import { ChatWatch } from "../scripts/stack/chat-watch.js";

export interface MemoryResult {
  conversations: number;
  /** RSS in MB after a full GC. */
  rssMb: { baseline: number; open1: number; done1: number; open2: number; done2: number };
  heapUsedMb: { baseline: number; open1: number; done1: number; open2: number; done2: number };
  growthKbPerConversation: number;
  /** Second round's end against the first round's end. */
  secondRoundChange: number;
}

const PROBE = resolve(import.meta.dirname, "lib/gc-probe.ts");

export async function memoryBench(n: number): Promise<MemoryResult> {
  const probeDir = mkdtempSync(join(tmpdir(), "emhana-bench-memory-"));
  const probeFile = join(probeDir, "probe.json");
  const stack = await startStack({
    clockStart: IN_CAMPAIGN,
    env: {
      RATE_LIMIT_PER_MINUTE: "600",
      LOG_LEVEL: "warn",
      NODE_OPTIONS: `--expose-gc --import=tsx --import=${PROBE}`,
      BENCH_PROBE_FILE: probeFile,
    },
  });
  const watch = new ChatWatch(stack.tg);
  const measure = async (): Promise<{ rss: number; heapUsed: number }> => {
    rmSync(probeFile, { force: true });
    process.kill(stack.bot.proc.pid ?? 0, "SIGUSR2");
    // The probe writes within milliseconds; this loop only waits for the file (a benchmark, not a test).
    for (let i = 0; i < 400 && !existsSync(probeFile); i++) await new Promise((r) => setTimeout(r, 25));
    const m = JSON.parse(readFileSync(probeFile, "utf8")) as { rss: number; heapUsed: number };
    return { rss: m.rss / 2 ** 20, heapUsed: m.heapUsed / 2 ** 20 };
  };
  try {
    await citizens(stack.tg, watch, newIds(200)); // warm-up: every code path and cache in use
    const baseline = await measure();
    const round = async () => {
      const ids = newIds(n);
      const lasts = await citizens(stack.tg, watch, ids, { to: "clinic" }); // open and idle at the clinic question
      const open = await measure();
      await citizens(stack.tg, watch, ids, { from: "clinic" }, lasts);
      const done = await measure();
      return { open, done };
    };
    const r1 = await round();
    const r2 = await round();
    return {
      conversations: n,
      rssMb: { baseline: baseline.rss, open1: r1.open.rss, done1: r1.done.rss, open2: r2.open.rss, done2: r2.done.rss },
      heapUsedMb: {
        baseline: baseline.heapUsed,
        open1: r1.open.heapUsed,
        done1: r1.done.heapUsed,
        open2: r2.open.heapUsed,
        done2: r2.done.heapUsed,
      },
      growthKbPerConversation: ((r1.open.rss - baseline.rss) * 1024) / n,
      secondRoundChange: (r2.done.rss - r1.done.rss) / r1.done.rss,
    };
  } finally {
    watch.close();
    await stack.stop();
    rmSync(probeDir, { recursive: true, force: true });
  }
}
