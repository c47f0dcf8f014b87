import { Worker } from "node:worker_threads";
import type SQLite from "better-sqlite3";

// SQLite copies the write-ahead log back into the database (a checkpoint, with an fsync) inside whichever commit
// crosses wal_autocheckpoint pages: with one connection on the event loop, that commit – and every user waiting
// behind it – stalls for milliseconds. A worker thread with a connection of its own checkpoints passively (never
// blocking the writer) a few times a second instead; the writer's own autocheckpoint stays as a safety net for a
// lagging or dead worker, at a size the worker never lets the log reach.

const WORKER = `
const { parentPort, workerData } = require("node:worker_threads");
const Database = require("better-sqlite3");
const db = new Database(workerData.path);
db.pragma("busy_timeout = 1000");
const tick = () => {
  try {
    const [r] = db.pragma("wal_checkpoint(PASSIVE)");
    parentPort.postMessage({ checkpointed: r.checkpointed, log: r.log });
  } catch (e) {
    parentPort.postMessage({ error: e instanceof Error ? e.message : String(e) });
  }
};
const timer = setInterval(tick, workerData.intervalMs);
parentPort.on("message", (m) => {
  if (m !== "stop") return;
  clearInterval(timer);
  tick();
  db.close();
  parentPort.close();
});
`;

export interface Checkpointer {
  stop(): Promise<void>;
}

export interface CheckpointerOptions {
  intervalMs?: number;
  /** The writer's own threshold while the worker runs (pages); SQLite's default is 1000. */
  fallbackPages?: number;
  onError?: (message: string) => void;
  /** After each pass: frames in the log and frames of it now in the database. */
  onCheckpoint?: (r: { log: number; checkpointed: number }) => void;
}

export function startCheckpointer(path: string, writer: SQLite.Database, opts: CheckpointerOptions = {}): Checkpointer {
  const fallback = opts.fallbackPages ?? 10_000;
  writer.pragma(`wal_autocheckpoint = ${fallback}`);
  const worker = new Worker(WORKER, { eval: true, workerData: { path, intervalMs: opts.intervalMs ?? 250 } });
  let reported = false;
  worker.on("message", (m: { log: number; checkpointed: number } | { error: string }) => {
    if ("error" in m) {
      // Busy now and then is normal; say it once, the next tick tries again.
      if (!reported) opts.onError?.(m.error);
      reported = true;
    } else opts.onCheckpoint?.(m);
  });
  const exited = new Promise<void>((resolve) => worker.once("exit", () => resolve()));
  worker.once("error", (e) => {
    opts.onError?.(e.message);
    writer.pragma("wal_autocheckpoint = 1000"); // back to SQLite's own rhythm
  });
  worker.unref();
  return {
    async stop() {
      worker.ref(); // keep the process up until the last pass is done
      worker.postMessage("stop");
      await exited;
      if (writer.open) writer.pragma("wal_autocheckpoint = 1000");
    },
  };
}
