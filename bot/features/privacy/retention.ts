import { applyRetention } from "../../../data/retention.js";
import type { Deps } from "../../context.js";

const HOUR_MS = 3_600_000;

export interface RetentionWorker {
  /** Waits for a run in progress, then stops. */
  stop(): Promise<void>;
}

/**
 * The retention rule of the policy in force, applied at start and every hour by the bot's clock. Each run is
 * restart-safe (data/retention.ts); only counts reach the log and the audit trail.
 */
export function startRetentionWorker(deps: Deps, everyMs = HOUR_MS): RetentionWorker {
  let running: Promise<void> = Promise.resolve();
  let stopped = false;
  const run = () => {
    if (stopped) return;
    running = running.then(async () => {
      try {
        const now = deps.clock.now();
        const policy = await deps.rules.policyFor(now);
        const counts = await applyRetention(deps.db, now, policy.retention);
        if (counts.drafts + counts.documents + counts.requests > 0) deps.log.info(counts, "retention applied");
      } catch (err) {
        deps.log.warn({ error: err instanceof Error ? err.name : "unknown" }, "retention run failed");
      }
    });
  };
  run();
  const timer = setInterval(run, everyMs);
  timer.unref();
  return {
    async stop() {
      stopped = true;
      clearInterval(timer);
      await running;
    },
  };
}
