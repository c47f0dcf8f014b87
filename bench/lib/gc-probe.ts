// Preloaded into the bot process by benchmarks only (NODE_OPTIONS="--expose-gc --import=tsx --import=<this file>"):
// on SIGUSR2 it collects garbage and writes memoryUsage() to BENCH_PROBE_FILE, so memory is read after a full GC;
// with BENCH_CPU_PROFILE set it also profiles the CPU from start-up and writes the profile there on SIGUSR2.
import { renameSync, writeFileSync } from "node:fs";
import { Session } from "node:inspector";

const file = process.env["BENCH_PROBE_FILE"];
const profileFile = process.env["BENCH_CPU_PROFILE"];
const gc = (globalThis as { gc?: () => void }).gc;

/** Whole or not at all: the benchmark reads the file as soon as it exists. */
function publish(path: string, text: string): void {
  writeFileSync(`${path}.tmp`, text);
  renameSync(`${path}.tmp`, path);
}

let session: Session | undefined;
if (profileFile) {
  session = new Session();
  session.connect();
  session.post("Profiler.enable", () => session?.post("Profiler.start"));
}

process.on("SIGUSR2", () => {
  if (session && profileFile) {
    session.post("Profiler.stop", (err, result) => {
      if (!err) publish(profileFile, JSON.stringify(result.profile));
    });
  }
  if (file && gc) {
    // V8 gives memory back to the system a little after a collection, when the process is idle: collect, let it,
    // collect again, and only then read RSS (otherwise it swings by tens of megabytes between equal states).
    gc();
    setTimeout(() => {
      gc();
      setTimeout(() => publish(file, JSON.stringify({ at: Date.now(), ...process.memoryUsage() })), 500);
    }, 1000);
  }
});
