import { IdleWait } from "../../idle-wait.js";
import type { Api } from "grammy";
import {
  broadcastStatus,
  finishIfDone,
  markSending,
  markStarted,
  nextRecipient,
  nextSending,
  optedOutNow,
  progress,
  skipRecipient,
  type BroadcastRow,
} from "../../../data/repositories/broadcasts.js";
import { getUser } from "../../../data/repositories/users.js";
import type { Policy } from "../../../rules/index.js";
import type { Deps } from "../../context.js";
import { userLocale } from "../../i18n.js";
import { deliver, pacedApi, record, type Delivery } from "./deliver.js";
import { holdForTheNight } from "./missed.js";
import { realSleep, takeToken, TokenBucket, type Sleep } from "./pacer.js";
import { scheduleStep } from "./schedule.js";

export interface BroadcastWorker {
  /** Finishes the message in flight (briefly), then stops; safe to call twice. */
  stop(): Promise<void>;
  /** One scheduler step: reminders due, scheduled broadcasts due, then wakes the sender. Also run every minute. */
  tick(): Promise<void>;
}

export interface WorkerOptions {
  /** Monotonic milliseconds for the pacer. */
  now?: () => number;
  sleep?: Sleep;
  tickMs?: number;
  /** Looks for new work this often when idle (another process may have queued some). */
  idleMs?: number;
  /** Attempts per recipient before it is recorded as failed (429s and network errors included). */
  maxAttempts?: number;
  /** auto-retry's caps: a 429 with a longer retry_after comes back to the sender, which pauses and retries later. */
  retry?: { maxRetryAttempts: number; maxDelaySeconds: number };
  /** Called each time the sender runs out of work (tests wait for it). */
  onIdle?: () => void;
}

/**
 * The background sender: one message at a time (so a hard kill leaves at most one row "sending", the one possible
 * duplicate), paced by a token bucket just under Telegram's limit, through an Api instance of its own.
 */
export function startBroadcastWorker(deps: Deps, botApi: Api, opts: WorkerOptions = {}): BroadcastWorker {
  const now = opts.now ?? (() => performance.now());
  const sleep = opts.sleep ?? realSleep;
  const maxAttempts = opts.maxAttempts ?? 5;
  const { db, log } = deps;
  const bucket = new TokenBucket(deps.config.broadcastRate, 1, now());
  const { api, detach } = pacedApi(
    deps,
    botApi,
    bucket,
    now,
    opts.retry ?? { maxRetryAttempts: 3, maxDelaySeconds: 30 },
  );

  const stopping = new AbortController(); // interrupts waits
  const sendAbort = new AbortController(); // interrupts a call in flight, only if it outlives the grace period
  const delivery: Delivery = { api, bucket, now, maxAttempts, signal: sendAbort.signal };
  const idleWait = new IdleWait(stopping.signal);
  const unlisten = deps.broadcastWake.listen(() => idleWait.wake());
  // One reminder's policy, read once for all its recipients; the next reminder reads it again (an admin may have
  // changed the campaign since).
  let policyCache: { broadcast: number; policy: Policy } | undefined;

  const policyOf = async (b: BroadcastRow): Promise<Policy | null> => {
    if (b.kind !== "reminder" || b.campaign_year === null) return null;
    if (policyCache?.broadcast !== b.id) {
      const policy = await deps.rules.policyOf(b.campaign_year);
      policyCache = { broadcast: b.id, policy };
    }
    return policyCache.policy;
  };

  const idle = () => idleWait.wait(opts.idleMs ?? 5_000);

  /** One message: returns false when there is nothing to do. */
  async function step(): Promise<boolean> {
    const b = await nextSending(db);
    if (!b) return false;
    await markStarted(db, b.id, deps.clock.now().toISOString());
    const r = await nextRecipient(db, b.id);
    if (!r) {
      if (await finishIfDone(db, b.id, deps.clock.now().toISOString())) await reportDone(b);
      return true;
    }
    // The audience was fixed at compose time: someone who has sent /stop (or blocked the bot) since is skipped.
    if (r.optedOut) {
      await skipRecipient(db, r.id, r.optedOut, deps.clock.now().toISOString());
      return true;
    }
    await takeToken(bucket, now, sleep, stopping.signal);
    // Paused or cancelled while we waited for a token: nothing goes out.
    if ((await broadcastStatus(db, b.id)) !== "sending") return true;
    // 21:00 came during a daytime broadcast: the rest goes at 09:00.
    if (await holdForTheNight(deps, b, deps.clock.now(), (chatId, text) => api.sendMessage(chatId, text))) return true;
    // Checked again right before the call: a /stop during the wait for a token counts too.
    const optedOut = await optedOutNow(db, r.user_id);
    if (optedOut) {
      await skipRecipient(db, r.id, optedOut, deps.clock.now().toISOString());
      return true;
    }
    await markSending(db, r.id, deps.clock.now().toISOString());
    await record(deps, r, await deliver(deps, delivery, b, r, await policyOf(b)));
    return true;
  }

  /** Logs the measured rate and tells the author (in their language) how it went. */
  async function reportDone(b: BroadcastRow): Promise<void> {
    const at = deps.clock.now();
    const p = await progress(db, b.id, at);
    const seconds = b.started_at ? (at.getTime() - new Date(b.started_at).getTime()) / 1000 : 0;
    const rate = seconds > 0 ? Math.round((p.total / seconds) * 10) / 10 : null;
    log.info({ broadcast: b.id, kind: b.kind, ...p, seconds, rate }, "broadcast done");
    if (b.created_by === null) return;
    const author = await getUser(db, b.created_by);
    const t = deps.i18n.t(userLocale(author));
    await takeToken(bucket, now, sleep, stopping.signal);
    await api
      .sendMessage(b.created_by, t("broadcast.list.finished", { id: b.id, ...p }))
      .catch((e: unknown) =>
        log.warn(
          { broadcast: b.id, error: e instanceof Error ? e.name : "unknown" },
          "could not report a finished broadcast",
        ),
      );
  }

  const loop = (async () => {
    while (!stopping.signal.aborted) {
      try {
        if (!(await step())) {
          if (!idleWait.woken) opts.onIdle?.();
          await idle();
        }
      } catch (e) {
        if (stopping.signal.aborted) break;
        log.error({ error: e instanceof Error ? e.name : "unknown" }, "broadcast worker step failed");
        await sleep(1_000, stopping.signal).catch(() => undefined);
      }
    }
  })();

  let ticking: Promise<void> = Promise.resolve();
  async function tick(): Promise<void> {
    const run = ticking.then(async () => {
      await scheduleStep(deps, api);
      idleWait.wake();
    });
    ticking = run.catch(() => undefined);
    return run;
  }
  const tickAndLog = () =>
    tick().catch((e: unknown) =>
      log.error({ error: e instanceof Error ? e.name : "unknown" }, "broadcast tick failed"),
    );
  void tickAndLog();
  const timer = setInterval(() => void tickAndLog(), opts.tickMs ?? 60_000);
  timer.unref();
  // An admin's change of the rules runs a step at once (a campaign just confirmed has its reminder due now).
  const unlistenRules = deps.schedulerWake.listen(tickAndLog);

  let stopped: Promise<void> | undefined;
  return {
    tick,
    stop() {
      stopped ??= (async () => {
        clearInterval(timer);
        unlisten();
        unlistenRules();
        detach();
        stopping.abort(new Error("stopping"));
        // The message in flight may finish (no duplicate); a stuck one is abandoned and resent on the next start.
        const grace = setTimeout(() => sendAbort.abort(new Error("stopping")), 5_000);
        await loop;
        clearTimeout(grace);
        await ticking;
      })();
      return stopped;
    },
  };
}
