import { existsSync } from "node:fs";
import { applyLoad } from "./apply.js";
import { resolve } from "node:path";
const hook = resolve(import.meta.dirname, "lib/gc-probe.ts");
const r = await applyLoad(Number(process.argv[2] ?? 300), { NODE_OPTIONS: `--import=tsx --import=${hook}`, BENCH_CPU_PROFILE: "/tmp/bot.cpuprofile" }, async (pid) => {
  process.kill(pid, "SIGUSR2");
  for (let i = 0; i < 100 && !existsSync("/tmp/bot.cpuprofile"); i++) await new Promise((r) => setTimeout(r, 100));
});
console.log(r.updatesPerSecond, r.cpuMsPerUser);
process.exit(0);
