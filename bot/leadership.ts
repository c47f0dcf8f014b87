import type { RoleLock } from "../data/pg-locks.js";
import type { Logger } from "./logger.js";
import type { Metrics } from "./metrics.js";

export interface Stoppable {
  stop(): Promise<void>;
}

/**
 * The background senders (broadcasts, reminders, owed messages, retention) run on one instance at a time: the one
 * holding the leader lock. The others try again every few seconds, so when the leader dies (its connection, and so
 * its lock, goes with it) another one starts them within `retryMs` plus a connection. With SQLite there is one
 * instance: no lock, they start at once.
 */
export function leadWorkers(
  lock: RoleLock | undefined,
  start: () => Stoppable,
  deps: { log: Logger; metrics: Metrics },
  opts: { retryMs?: number } = {},
): Stoppable {
  const { log, metrics } = deps;
  if (!lock) {
    metrics.leader.set(1);
    return start();
  }
  const retryMs = opts.retryMs ?? 5_000;
  const stopping = new AbortController();
  const stopped = new Promise<void>((resolve) => stopping.signal.addEventListener("abort", () => resolve()));
  const pause = (ms: number) =>
    Promise.race([stopped, new Promise<void>((resolve) => setTimeout(resolve, ms).unref())]);

  const loop = (async () => {
    while (!stopping.signal.aborted) {
      if (!(await lock.take())) {
        await pause(retryMs);
        continue;
      }
      if (stopping.signal.aborted) break;
      log.info("this instance sends broadcasts, reminders and owed messages now");
      metrics.leader.set(1);
      const workers = start();
      const lost = lock.lost().then(() => "lost" as const);
      const why = await Promise.race([lost, stopped.then(() => "stop" as const)]);
      await workers.stop();
      metrics.leader.set(0);
      if (why === "lost") log.warn("leader lock lost (database connection broken): another instance takes over");
    }
    await lock.release();
  })();

  return {
    async stop() {
      stopping.abort();
      await loop;
    },
  };
}
