// Scale out: the application load through a webhook behind a round-robin forwarder, on SQLite (one instance) and on
// PostgreSQL with one and two instances, in one run. Bot CPU is summed over the instances; the PostgreSQL server's
// CPU (its live processes and the ones it reaped) is measured beside it.
import { readdirSync, readFileSync } from "node:fs";
import { ChatWatch } from "../scripts/stack/chat-watch.js";
import { startCluster } from "../scripts/stack/cluster.js";
import { STEP_NAMES, type StepName } from "../scripts/stack/citizen-flow.js";
import { citizens, IN_CAMPAIGN, newIds } from "./apply.js";
import { cpuMs } from "./lib/proc.js";
import { summarize, type Summary } from "./lib/stats.js";

export interface ScaleResult {
  label: string;
  instances: number;
  users: number;
  updatesPerSecond: number;
  botCpuMsPerUser: number;
  dbCpuMsPerUser: number;
  all: Summary;
}

const TICKS_PER_SECOND = 100;

/** CPU of every PostgreSQL server process, the exited backends included (the postmaster's children time). */
function postgresCpuMs(): number {
  let ticks = 0;
  for (const pid of readdirSync("/proc").filter((d) => /^\d+$/.test(d))) {
    let stat: string;
    try {
      stat = readFileSync(`/proc/${pid}/stat`, "utf8");
    } catch {
      continue;
    }
    const comm = stat.slice(stat.indexOf("(") + 1, stat.lastIndexOf(")"));
    if (comm !== "postgres") continue;
    const f = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
    ticks += Number(f[11]) + Number(f[12]);
    // The postmaster (its parent is not postgres) also holds what its exited children used.
    const parent = Number(f[1]);
    let parentComm = "";
    try {
      const p = readFileSync(`/proc/${parent}/stat`, "utf8");
      parentComm = p.slice(p.indexOf("(") + 1, p.lastIndexOf(")"));
    } catch {
      // no parent to read
    }
    if (parentComm !== "postgres") ticks += Number(f[13]) + Number(f[14]);
  }
  return (ticks * 1000) / TICKS_PER_SECOND;
}

export async function scaleLoad(n: number, database: "sqlite" | "postgres", instances: number): Promise<ScaleResult> {
  const cluster = await startCluster({
    instances,
    database,
    clockStart: IN_CAMPAIGN,
    env: { RATE_LIMIT_PER_MINUTE: "600", LOG_LEVEL: "warn" },
  });
  const watch = new ChatWatch(cluster.tg);
  try {
    await citizens(cluster.tg, watch, newIds(20)); // warm-up
    const pids = cluster.instances.map((x) => x.bot.proc.pid ?? 0);
    const times = new Map<StepName, number[]>(STEP_NAMES.map((s) => [s, []]));
    const bot0 = pids.reduce((t, pid) => t + cpuMs(pid), 0);
    const db0 = postgresCpuMs();
    const t0 = performance.now();
    await citizens(cluster.tg, watch, newIds(n), {}, new Map(), times);
    const seconds = (performance.now() - t0) / 1000;
    const bot = pids.reduce((t, pid) => t + cpuMs(pid), 0) - bot0;
    const db = database === "postgres" ? postgresCpuMs() - db0 : 0;
    return {
      label: `${database} × ${instances}`,
      instances,
      users: n,
      updatesPerSecond: (n * STEP_NAMES.length) / seconds,
      botCpuMsPerUser: bot / n,
      dbCpuMsPerUser: db / n,
      all: summarize([...times.values()].flat()),
    };
  } finally {
    watch.close();
    await cluster.stop();
  }
}
