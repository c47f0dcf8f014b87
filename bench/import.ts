// The registry import while the bot serves: `npx tsx bench/import.ts [rows]` (default 130 000). Not part of npm test.
// 1. The CLI as its own process (as support staff run it) against the database the bot has open: this process stands
//    for the bot and, every few milliseconds, reads a clinic and writes a row, timing each – a write waits (up to
//    busy_timeout) while the import holds SQLite's write lock. Also the import's peak memory (VmHWM).
// 2. The import inside this process: the longest the event loop was blocked (what a bot answering updates would feel).
import { spawn } from "node:child_process";
import { createWriteStream, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { monitorEventLoopDelay } from "node:perf_hooks";
import { once } from "node:events";
import { createReadStream } from "node:fs";
import { seedDirectoryIfEmpty } from "../data/datasets/load-directory.js";
import { openDatabase } from "../data/db.js";
import { importClinics } from "../data/directory-import.js";
import { migrateToLatest } from "../data/migrate.js";
import { nowMs, round } from "./lib/stats.js";

const ROWS = Number(process.argv[2] ?? 130_000);
const HEADER =
  "id,bin,name_ru,name_kk,address_ru,address_kk,settlement,district,lat,lon,phone,hours_ru,hours_kk,kind,licensed,licence_number,fund_contract_years,capacity,attached,active";

async function writeFile(path: string, rows: number): Promise<void> {
  const out = createWriteStream(path);
  out.write(`${HEADER}\n`);
  for (let i = 1; i <= rows; i++) {
    const line = `b-${i},,Поликлиника №${i},№${i} емхана,"ул. Абая, ${i}","Абай к-сі, ${i}",almaty,,43.2389,76.8897,,Пн–Пт 08:00–20:00,,mixed,да,,2026;2027,${1000 + (i % 97)},,да\n`;
    if (!out.write(line)) await once(out, "drain");
  }
  out.end();
  await once(out, "finish");
}

async function freshDatabase(dir: string, name: string): Promise<string> {
  const url = `file:${join(dir, name)}`;
  const d = openDatabase(url);
  await migrateToLatest(d.db);
  await seedDirectoryIfEmpty(d.db);
  await d.close();
  return url;
}

function vmHwmMb(pid: number): number {
  try {
    const m = /VmHWM:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, "utf8"));
    return m ? Number(m[1]) / 1024 : 0;
  } catch {
    return 0;
  }
}

async function asProcess(dir: string, file: string) {
  const url = await freshDatabase(dir, "cli.sqlite");
  const bot = openDatabase(url);
  bot.sqlite.exec("CREATE TABLE probe (at REAL)");
  const read = bot.sqlite.prepare("SELECT count(*) AS n FROM clinics WHERE active = 1");
  const write = bot.sqlite.prepare("INSERT INTO probe (at) VALUES (?)");
  const child = spawn(process.execPath, ["--import", "tsx", "scripts/import-clinics.ts", file, "--partial"], {
    env: { ...process.env, DATABASE_URL: url },
    stdio: ["ignore", "pipe", "inherit"],
  });
  let output = "";
  child.stdout.on("data", (d: Buffer) => (output += d.toString()));
  const exited = once(child, "exit");
  let running = true;
  void exited.then(() => (running = false));
  const started = nowMs();
  let maxRead = 0;
  let maxWrite = 0;
  let failures = 0;
  let peakMb = 0;
  const counts = new Set<number>();
  while (running) {
    let t = nowMs();
    counts.add((read.get() as { n: number }).n);
    maxRead = Math.max(maxRead, nowMs() - t);
    t = nowMs();
    try {
      write.run(t);
    } catch {
      failures++;
    }
    maxWrite = Math.max(maxWrite, nowMs() - t);
    if (child.pid) peakMb = Math.max(peakMb, vmHwmMb(child.pid));
    await new Promise((r) => setTimeout(r, 5));
  }
  await bot.close();
  return {
    seconds: round((nowMs() - started) / 1000),
    maxReadMs: round(maxRead),
    maxWriteMs: round(maxWrite),
    writeFailures: failures,
    activeCountsSeen: counts.size,
    importPeakRssMb: round(peakMb),
    summary: output.trim().split("\n").at(-1),
  };
}

async function inProcess(dir: string, file: string) {
  const url = await freshDatabase(dir, "inproc.sqlite");
  const d = openDatabase(url);
  const delay = monitorEventLoopDelay({ resolution: 5 });
  delay.enable();
  const started = nowMs();
  let steps = 0;
  const report = await importClinics(d.db, createReadStream(file), {
    format: "csv",
    partial: true,
    onBatch: () => steps++,
  });
  delay.disable();
  await d.close();
  return {
    seconds: round((nowMs() - started) / 1000),
    steps,
    added: report.added,
    maxEventLoopBlockMs: round(delay.max / 1e6),
    p99EventLoopBlockMs: round(delay.percentile(99) / 1e6),
  };
}

const dir = mkdtempSync(join(tmpdir(), "emhana-bench-import-"));
try {
  const file = join(dir, "registry.csv");
  await writeFile(file, ROWS);
  console.log(`rows: ${ROWS}`);
  console.log("CLI process, bot connection reading and writing:", await asProcess(dir, file));
  console.log("in the bot's process:", await inProcess(dir, file));
} finally {
  rmSync(dir, { recursive: true, force: true });
}
