// The benchmark suites and the profile sizes they take.
import { formatTable, type Report } from "./lib/report.js";
import { round } from "./lib/stats.js";
import { applyLoad, echoLoad, type LoadResult } from "./apply.js";
import { handlerBench } from "./handler.js";
import { storageBench } from "./storage.js";

export interface Profile {
  name: "quick" | "full";
  applyUsers: number[];
  handlerUsers: number;
  idleConversations: number;
  broadcastRecipients: number;
  broadcastKills: number;
  storageRequests: number;
}

export type Suite = (profile: Profile, report: Report) => Promise<unknown>;

const storage: Suite = async (p, report) => {
  const r = await storageBench(p.storageRequests);
  console.log(`${r.requests} requests generated in ${r.generateSeconds} s (${r.fileMb} MB file)`);
  console.log(formatTable(["query", "p50 ms", "p99 ms", "max ms"], Object.entries(r.queries).map(([k, s]) => [k, `${round(s.p50)}`, `${round(s.p99)}`, `${round(s.max)}`])));
  const q = (name: string) => r.queries[name]?.p99 ?? Number.NaN;
  const label = `storage@${r.requests}`;
  report.goal(label, "staff queue p99", Math.max(q("queue, all requests, first page"), q("queue, one clinic's support")), "ms", "max", 5);
  report.goal(label, "search by IIN p99", q("find by IIN"), "ms", "max", 5);
  report.goal(label, "per-clinic counts p99", q("per-clinic counts (one clinic, campaign)"), "ms", "max", 5);
  report.goal(label, "dashboard stats p99", Math.max(q("stats today, everything"), q("stats campaign, everything")), "ms", "max", 20);
  report.goal(label, "insert one application p99", q("insert one application"), "ms", "max", 2);
  return r;
};

const ms = (v: number) => `${round(v)}`;

function loadRow(label: string, r: LoadResult): string[] {
  return [label, `${r.users}`, ms(r.updatesPerSecond), ms(r.all.p50), ms(r.all.p95), ms(r.all.p99), ms(r.cpuMsPerUser), ms(r.peakRssMb)];
}

const apply: Suite = async (p, report) => {
  const out: { ours: LoadResult; echo: LoadResult }[] = [];
  for (const n of p.applyUsers) {
    const ours = await applyLoad(n);
    const echo = await echoLoad(n);
    out.push({ ours, echo });
    console.log(formatTable(
      ["bot", "users", "updates/s", "p50 ms", "p95 ms", "p99 ms", "CPU ms/user", "peak RSS MB"],
      [loadRow("emhana", ours), loadRow("echo", echo)],
    ));
    console.log(formatTable(
      ["step", "p50 ms", "p95 ms", "p99 ms"],
      Object.entries(ours.latency).map(([step, s]) => [step, ms(s.p50), ms(s.p95), ms(s.p99)]),
    ));
    report.goal(`apply@${n}`, "updates/s through the full flow", ours.updatesPerSecond, "/s", "min", 200);
    report.goal(`apply@${n}`, "throughput vs echo baseline", ours.updatesPerSecond / echo.updatesPerSecond, "×", "min", 0.5);
  }
  return out;
};

const handler: Suite = async (p, report) => {
  const r = await handlerBench(p.handlerUsers);
  console.log(formatTable(
    ["step", "p50 ms", "p95 ms", "p99 ms", "state max B", "state mean B"],
    Object.entries(r.perStep).map(([step, s]) => [step, ms(s.p50), ms(s.p95), ms(s.p99), ms(r.stateBytes[step as keyof typeof r.stateBytes]?.max ?? 0), ms(r.stateBytes[step as keyof typeof r.stateBytes]?.mean ?? 0)]),
  ));
  const label = `handler@${r.users}`;
  report.goal(label, "handler time p50", r.all.p50, "ms", "max", 10);
  report.goal(label, "handler time p99", r.all.p99, "ms", "max", 50);
  report.goal(label, "conversation state at its deepest", Math.max(...Object.values(r.stateBytes).map((b) => b.max)) / 1024, "KB", "max", 16);
  // The conversation's first question ("who") against its last one ("residence", before the submission).
  const first = r.perStep.who?.p50 ?? Number.NaN;
  report.goal(label, "last step / first step time", (r.perStep.residence?.p50 ?? Number.NaN) / first, "×", "max", 2);
  return r;
};

export const SUITES: Record<string, Suite> = { apply, handler, storage };
