// The benchmark suites and the profile sizes they take.
import { existsSync, mkdirSync, rmSync } from "node:fs";
import { join, resolve } from "node:path";
import { formatTable, type Report } from "./lib/report.js";
import { round } from "./lib/stats.js";
import { applyLoad, echoLoad, peerLoad, type LoadResult } from "./apply.js";
import { broadcastBench } from "./broadcast.js";
import { handlerBench } from "./handler.js";
import { memoryBench, type MemoryResult } from "./memory.js";

type MemoryRound = keyof MemoryResult["rssMb"];
import { scaleLoad } from "./scale.js";
import { storageBench } from "./storage.js";

export interface Profile {
  name: "quick" | "full";
  applyUsers: number[];
  handlerUsers: number;
  idleConversations: number;
  broadcastRecipients: number;
  broadcastKills: number;
  storageRequests: number;
  /** Citizens of the scale-out suite (SQLite, PostgreSQL × 1 and × 2). */
  scaleUsers: number;
  /** Write a CPU profile of the bot under each application load. */
  cpuProfile: boolean;
}

export type Suite = (profile: Profile, report: Report) => Promise<unknown>;

const storage: Suite = async (p, report) => {
  const r = await storageBench(p.storageRequests);
  console.log(
    `${r.requests} requests generated in ${r.generateSeconds} s, counted into the tallies by migration 0006 in ${r.tallySeconds} s, their IINs sealed at start-up in ${r.sealSeconds} s (${r.fileMb} MB file)`,
  );
  console.log(
    formatTable(
      ["query", "p50 ms", "p99 ms", "max ms"],
      Object.entries(r.queries).map(([k, s]) => [k, `${round(s.p50)}`, `${round(s.p99)}`, `${round(s.max)}`]),
    ),
  );
  const q = (name: string) => r.queries[name]?.p99 ?? Number.NaN;
  const label = `storage@${r.requests}`;
  report.goal(
    label,
    "staff queue p99",
    Math.max(q("queue, all requests, first page"), q("queue, one clinic's support")),
    "ms",
    "max",
    5,
  );
  report.goal(label, "search by IIN p99", q("find by IIN"), "ms", "max", 5);
  report.goal(label, "per-clinic counts p99", q("per-clinic counts (one clinic, campaign)"), "ms", "max", 5);
  report.goal(
    label,
    "dashboard stats p99",
    Math.max(q("stats today, everything"), q("stats campaign, everything")),
    "ms",
    "max",
    20,
  );
  report.goal(label, "insert one application p99", q("insert one application"), "ms", "max", 2);
  return r;
};

const ms = (v: number) => `${round(v)}`;

const PROBE = resolve(import.meta.dirname, "lib/gc-probe.ts");
const PROFILES_DIR = resolve(import.meta.dirname, "profiles");

function profileFor(n: number): Record<string, string> {
  mkdirSync(PROFILES_DIR, { recursive: true });
  const file = join(PROFILES_DIR, `bot-apply-${n}.cpuprofile`);
  rmSync(file, { force: true });
  return { NODE_OPTIONS: `--import=tsx --import=${PROBE}`, BENCH_CPU_PROFILE: file };
}

/** Asks the probe in the bot for its profile and waits until it is on disk. */
async function writeProfile(pid: number, file: string): Promise<void> {
  process.kill(pid, "SIGUSR2");
  for (let i = 0; i < 400 && !existsSync(file); i++) await new Promise((r) => setTimeout(r, 50));
  console.log(`CPU profile: ${file}`);
}

/** A load's row; a load that stopped (`undefined`) says so in its place. */
function loadRow(label: string, r: LoadResult | undefined, users?: number): string[] {
  if (!r) return [label, `${users ?? ""}`, "stopped", "–", "–", "–", "–", "–", "–"];
  return [
    label,
    `${r.users}`,
    ms(r.updatesPerSecond),
    ms(r.all.p50),
    ms(r.all.p95),
    ms(r.all.p99),
    ms(r.cpuMsPerUser),
    ms(r.mainCpuMsPerUser),
    ms(r.peakRssMb),
  ];
}

const apply: Suite = async (p, report) => {
  const out: { ours: LoadResult; echo: LoadResult; peer: LoadResult | undefined }[] = [];
  for (const n of p.applyUsers) {
    const env = p.cpuProfile ? profileFor(n) : {};
    const file = env["BENCH_CPU_PROFILE"];
    const ours = await applyLoad(n, env, file ? (pid) => writeProfile(pid, file) : undefined);
    const echo = await echoLoad(n);
    // The peer is a yardstick: a person it leaves unanswered (seen at 10 000) is said, and our figures still count.
    const peer = await peerLoad(n).catch((err: unknown) => {
      console.log(`documented-way peer, ${n} people: stopped – ${String(err).split("\n")[0]}`);
      return undefined;
    });
    out.push({ ours, echo, peer });
    console.log(
      formatTable(
        ["bot", "users", "updates/s", "p50 ms", "p95 ms", "p99 ms", "CPU ms/user", "main thread", "peak RSS MB"],
        [loadRow("emhana", ours), loadRow("documented-way peer", peer, n), loadRow("echo", echo)],
      ),
    );
    console.log(`emhana: ${ms(ours.commitsPerUser ?? NaN)} commits of updates' writes per application (12 updates)`);
    console.log(
      formatTable(
        ["step", "p50 ms", "p95 ms", "p99 ms"],
        Object.entries(ours.latency).map(([step, s]) => [step, ms(s.p50), ms(s.p95), ms(s.p99)]),
      ),
    );
    report.goal(`apply@${n}`, "updates/s through the full flow", ours.updatesPerSecond, "/s", "min", 200);
    report.goal(
      `apply@${n}`,
      "throughput vs echo baseline",
      ours.updatesPerSecond / echo.updatesPerSecond,
      "×",
      "min",
      0.25,
    );
    report.goal(
      `apply@${n}`,
      "throughput vs the documented-way peer",
      ours.updatesPerSecond / (peer?.updatesPerSecond ?? Number.NaN),
      "×",
      "min",
      1.5,
    );
    report.goal(`apply@${n}`, "bot CPU per application", ours.cpuMsPerUser, "ms", "max", 15);
    const growth = (r: LoadResult | undefined) =>
      (r?.latency.confirm?.p50 ?? Number.NaN) / (r?.latency.who?.p50 ?? Number.NaN);
    console.log(`reply p50, last step / first question step: emhana ${ms(growth(ours))}×, peer ${ms(growth(peer))}×`);
  }
  return out;
};

const handler: Suite = async (p, report) => {
  const r = await handlerBench(p.handlerUsers);
  console.log(
    formatTable(
      ["step", "p50 ms", "p95 ms", "p99 ms", "state max B", "state mean B", "SQL", "Bot API"],
      Object.entries(r.perStep).map(([step, s]) => [
        step,
        ms(s.p50),
        ms(s.p95),
        ms(s.p99),
        ms(r.stateBytes[step as keyof typeof r.stateBytes]?.max ?? 0),
        ms(r.stateBytes[step as keyof typeof r.stateBytes]?.mean ?? 0),
        ms(r.work[step as keyof typeof r.work]?.statements ?? 0),
        ms(r.work[step as keyof typeof r.work]?.calls ?? 0),
      ]),
    ),
  );
  const works = Object.values(r.work);
  const sum = (k: "statements" | "calls") => works.reduce((a, w) => a + w[k], 0);
  console.log(`one application: ${round(sum("statements"))} SQL statements, ${round(sum("calls"))} Bot API calls`);
  const label = `handler@${r.users}`;
  report.goal(label, "handler time p50", r.all.p50, "ms", "max", 10);
  report.goal(label, "handler time p99", r.all.p99, "ms", "max", 50);
  report.goal(
    label,
    "conversation state at its deepest",
    Math.max(...Object.values(r.stateBytes).map((b) => b.max)) / 1024,
    "KB",
    "max",
    16,
  );
  // The conversation's first question ("who") against its last one ("residence", before the submission).
  const first = r.perStep.who?.p50 ?? Number.NaN;
  report.goal(label, "last step / first step time", (r.perStep.residence?.p50 ?? Number.NaN) / first, "×", "max", 2);
  return r;
};

const memory: Suite = async (p, report) => {
  const r = await memoryBench(p.idleConversations);
  const row = (k: MemoryRound) => [k, ms(r.rssMb[k]), ms(r.heapUsedMb[k])];
  console.log(
    formatTable(
      ["moment", "RSS MB", "heap used MB"],
      (["baseline", "open1", "done1", "open2", "done2"] as const).map(row),
    ),
  );
  const label = `memory@${r.conversations}`;
  report.goal(label, "RSS growth per open idle conversation", r.growthKbPerConversation, "KB", "max", 50);
  report.goal(label, "second round's end vs the first's", Math.abs(r.secondRoundChange) * 100, "%", "max", 5);
  return r;
};

const scale: Suite = async (p) => {
  const n = p.scaleUsers;
  const runs = [await scaleLoad(n, "sqlite", 1), await scaleLoad(n, "postgres", 1), await scaleLoad(n, "postgres", 2)];
  console.log(
    formatTable(
      ["database × instances", "users", "updates/s", "p50 ms", "p99 ms", "bot CPU ms/user", "PostgreSQL CPU ms/user"],
      runs.map((r) => [
        r.label,
        `${r.users}`,
        ms(r.updatesPerSecond),
        ms(r.all.p50),
        ms(r.all.p99),
        ms(r.botCpuMsPerUser),
        ms(r.dbCpuMsPerUser),
      ]),
    ),
  );
  const [sqlite, pg1, pg2] = runs;
  if (sqlite && pg1 && pg2) {
    console.log(
      `PostgreSQL × 1 / SQLite: ${ms(pg1.updatesPerSecond / sqlite.updatesPerSecond)}×; PostgreSQL × 2 / × 1: ${ms(pg2.updatesPerSecond / pg1.updatesPerSecond)}×`,
    );
    // No goal: on one machine the instances, the server and the simulated people share its cores (BENCHMARKS.md).
  }
  return runs;
};

const broadcast: Suite = async (p, report) => {
  const r = await broadcastBench(p.broadcastRecipients, p.broadcastKills);
  console.log(
    `${r.recipients} recipients, ${r.kills} SIGKILLs: ${round(r.sendingRate)} msg/s while sending (configured ${r.configuredRate}), ` +
      `${r.tooManyRequests} × 429, ${r.lost} lost, ${r.duplicates} duplicates, resumed after ${r.resumeSeconds.map((s) => `${round(s)} s`).join(", ")}; ${round(r.totalSeconds)} s in all`,
  );
  const label = `broadcast@${r.recipients}`;
  report.goal(label, "sending rate / configured rate", (r.sendingRate / r.configuredRate) * 100, "%", "min", 90);
  report.goal(label, "self-caused 429s per 10 000 sends", (r.tooManyRequests * 10_000) / r.recipients, "", "max", 1);
  report.goal(label, "lost recipients", r.lost, "", "max", 0);
  report.goal(label, "duplicates per crash", r.kills ? r.duplicates / r.kills : r.duplicates, "", "max", 1);
  report.goal(label, "resume after SIGKILL (slowest)", Math.max(0, ...r.resumeSeconds), "s", "max", 120);
  return r;
};

export const SUITES: Record<string, Suite> = { apply, handler, memory, broadcast, storage, scale };
