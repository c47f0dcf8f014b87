// The benchmark's verdicts: each measured figure against its goal, printed as a table and kept for results.json.
import { execFileSync } from "node:child_process";
import SQLite from "better-sqlite3";
import { cpus, totalmem, release } from "node:os";
import { round } from "./stats.js";

export interface Goal {
  suite: string;
  metric: string;
  value: number;
  unit: string;
  /** "max": value must be at most target; "min": at least. */
  kind: "max" | "min";
  target: number;
  met: boolean;
}

export class Report {
  readonly goals: Goal[] = [];
  readonly suites: Record<string, unknown> = {};

  goal(suite: string, metric: string, value: number, unit: string, kind: "max" | "min", target: number): void {
    const met = Number.isFinite(value) && (kind === "max" ? value <= target : value >= target);
    this.goals.push({ suite, metric, value: round(value), unit, kind, target, met });
  }

  table(): string {
    const rows = this.goals.map((g) => [
      g.suite,
      g.metric,
      `${g.value} ${g.unit}`.trim(),
      `${g.kind === "max" ? "≤" : "≥"} ${g.target} ${g.unit}`.trim(),
      g.met ? "met" : "NOT MET",
    ]);
    return formatTable(["suite", "metric", "measured", "goal", ""], rows);
  }
}

export function formatTable(header: string[], rows: string[][]): string {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? "").length)));
  const line = (cells: string[]) =>
    cells
      .map((c, i) => c.padEnd(widths[i] ?? 0))
      .join("  ")
      .trimEnd();
  return [line(header), line(widths.map((w) => "-".repeat(w))), ...rows.map(line)].join("\n");
}

/** What the figures came from, so a reader can compare like with like. */
export function machine(): Record<string, unknown> {
  const cpu = cpus();
  let commit = "unknown";
  try {
    commit = execFileSync("git", ["rev-parse", "--short", "HEAD"], { encoding: "utf8" }).trim();
  } catch {
    // not a git checkout
  }
  const sqlite = new SQLite(":memory:");
  const sqliteVersion = (sqlite.prepare("select sqlite_version() as v").get() as { v: string }).v;
  sqlite.close();
  return {
    cpu: cpu[0]?.model ?? "unknown",
    cores: cpu.length,
    memoryGiB: round(totalmem() / 2 ** 30),
    kernel: release(),
    node: process.version,
    sqlite: sqliteVersion,
    commit,
  };
}
