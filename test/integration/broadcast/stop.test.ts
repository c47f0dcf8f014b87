import { afterEach, describe, expect, it } from "vitest";
import { startBroadcastWorker } from "../../../bot/features/broadcast/sender.js";
import { setup, type Setup } from "./helpers.js";

let s: Setup | undefined;
afterEach(async () => {
  await s?.close();
  s = undefined;
});

describe("broadcast worker shutdown", () => {
  it("a stop that comes during a step ends the worker at once, not after the idle wait (an hour here)", async () => {
    s = await setup({ now: "2026-09-15T05:00:00.000Z" });
    let stopNext = false;
    let idled: () => void = () => undefined;
    const nextIdle = () => new Promise<void>((resolve) => (idled = resolve));
    // Settles when the stop called inside onIdle has finished (a promise resolved with a promise follows it).
    let stopped: (p: Promise<void>) => void = () => undefined;
    const stopping = new Promise<void>((resolve) => (stopped = resolve));
    let idle = nextIdle();
    const worker = startBroadcastWorker(s.deps, s.api, {
      tickMs: 3_600_000,
      idleMs: 3_600_000,
      // The stop arrives when a step has found nothing, just before the worker starts its idle wait.
      onIdle: () => {
        if (stopNext) stopped(worker.stop());
        idled();
      },
    });
    await idle;
    // The start's own scheduler step runs out first (its wake-up would end any wait).
    idle = nextIdle();
    await worker.tick();
    await idle;
    stopNext = true;
    // One wake-up: the next step finds nothing and meets the stop; nothing wakes the worker after it.
    s.deps.broadcastWake.notify();
    // Without the fix the worker sleeps out its idle wait and this runs out of time.
    await expect(stopping).resolves.toBeUndefined();
  });
});
