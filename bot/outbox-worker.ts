import { IdleWait } from "./idle-wait.js";
import { GrammyError, HttpError, InlineKeyboard, type Api } from "grammy";
import {
  claimNotice,
  failNotice,
  markNoticeSent,
  nextDue,
  pruneNotices,
  releaseClaims,
  retryNotice,
  type OutboxRow,
} from "../data/repositories/outbox.js";
import { markBlocked } from "../data/repositories/users.js";
import type { Deps } from "./context.js";
import type { NoticeDelivery } from "./outbox.js";

export interface OutboxWorker {
  /** Lets the message in flight finish (briefly), then stops; safe to call twice. */
  stop(): Promise<void>;
}

export interface OutboxWorkerOptions {
  /** Looks for due rows this often when nobody woke it (retries coming due). */
  pollMs?: number;
  /** Network errors and 5xx are retried for this long after the row was written, then given up. */
  giveUpAfterMs?: number;
  /** Monotonic milliseconds, for a 429's pause (tests move it). */
  monotonic?: () => number;
  /** Called each time it runs out of due rows (tests wait for it). */
  onIdle?: () => void;
}

type Outcome =
  | { kind: "sent" }
  | { kind: "blocked" }
  | { kind: "failed"; reason: string }
  | { kind: "retry"; reason: string; afterMs: number };

const DAY_MS = 24 * 3600_000;
const MAX_BACKOFF_MS = 5 * 60_000;

/** Why, as a class: never the description's tail, which may quote the message. */
function errorClass(e: unknown): string {
  if (e instanceof GrammyError) return `telegram ${e.error_code}`;
  if (e instanceof HttpError) return "network";
  return e instanceof Error ? e.name : "unknown";
}

/** Telegram's answer to one try, as the row's next state: 403 drops it, 429 waits retry_after, others back off. */
function classify(e: unknown, row: OutboxRow, now: number, giveUpAfterMs: number): Outcome {
  if (e instanceof GrammyError && e.error_code === 403) return { kind: "blocked" };
  // A 400 ("chat not found", a malformed text) fails the same way every time.
  if (e instanceof GrammyError && e.error_code === 400) return { kind: "failed", reason: errorClass(e) };
  if (e instanceof GrammyError && e.error_code === 429)
    return { kind: "retry", reason: errorClass(e), afterMs: (e.parameters.retry_after ?? 1) * 1000 };
  if (now - new Date(row.created_at).getTime() > giveUpAfterMs) return { kind: "failed", reason: errorClass(e) };
  // Network errors and 5xx: 1 s after the first try, 2 s after the second, 4 s … up to 5 minutes between tries.
  const afterMs = Math.min(1000 * 2 ** Math.min(row.attempts, 20), MAX_BACKOFF_MS);
  return { kind: "retry", reason: errorClass(e), afterMs };
}

/**
 * The outbox's sender: one message at a time in the order they were queued (a hard kill leaves at most one row
 * "sending", the one possible duplicate), through the bot's Api (its brief retries, and the send budget the
 * broadcasts yield to). Started after the bot connects; at start it sends whatever a previous process left owed.
 */
export function startOutboxWorker(deps: Deps, api: Api, opts: OutboxWorkerOptions = {}): OutboxWorker {
  const { db, log } = deps;
  const giveUpAfterMs = opts.giveUpAfterMs ?? DAY_MS;
  const monotonic = opts.monotonic ?? (() => performance.now());
  const stopping = new AbortController();
  const sendAbort = new AbortController();
  const idleWait = new IdleWait(stopping.signal);
  const unlisten = deps.outbox.listen(() => idleWait.wake());
  /** A 429 pauses every message of the bot, not only the one that got it (monotonic milliseconds). */
  let pausedUntil = 0;

  const idle = (ms: number) => idleWait.wait(ms);

  async function send(row: OutboxRow): Promise<Outcome> {
    const render = deps.notices.get(row.kind);
    if (!render) return { kind: "failed", reason: "unknown kind" };
    const signal = sendAbort.signal as unknown as Parameters<Api["sendMessage"]>[3];
    try {
      // Rendered now, from the database, in the recipient's language now (a read failure is retried too).
      const notice = await render(deps, row);
      if (!notice) return { kind: "failed", reason: "nothing to send" };
      await api.sendMessage(
        row.chat_id,
        notice.text,
        { parse_mode: "HTML", ...(notice.keyboard ? { reply_markup: new InlineKeyboard(notice.keyboard) } : {}) },
        signal,
      );
      return { kind: "sent" };
    } catch (e) {
      return classify(e, row, deps.clock.now().getTime(), giveUpAfterMs);
    }
  }

  async function record(row: OutboxRow, o: Outcome): Promise<NoticeDelivery> {
    const now = deps.clock.now();
    deps.metrics.outboxMessages.inc({ outcome: o.kind });
    if (o.kind === "sent") {
      await markNoticeSent(db, row.id, now.toISOString());
      return "sent";
    }
    const ids = { notice: row.id, kind: row.kind, request_id: row.request_id, attempt: row.attempts + 1 };
    if (o.kind === "blocked") {
      await db.transaction().execute(async (trx) => {
        await failNotice(trx, row.id, "telegram 403 blocked");
        await markBlocked(trx, row.chat_id);
      });
      return "blocked";
    }
    if (o.kind === "failed") {
      log.warn({ ...ids, error: o.reason }, "notice given up");
      await failNotice(db, row.id, o.reason);
      return "failed";
    }
    log.warn({ ...ids, error: o.reason, retry_in_ms: o.afterMs }, "notice not sent, will retry");
    if (o.reason === "telegram 429") pausedUntil = monotonic() + o.afterMs;
    await retryNotice(db, row.id, new Date(now.getTime() + o.afterMs).toISOString());
    return "queued";
  }

  /** One message; false when nothing is due. */
  async function step(): Promise<boolean> {
    const wait = pausedUntil - monotonic();
    if (wait > 0) {
      await idle(wait);
      return true;
    }
    const now = deps.clock.now().toISOString();
    const row = await nextDue(db, now);
    if (!row) return false;
    if (!(await claimNotice(db, row.id, now))) return true;
    deps.outbox.trying(row.id);
    let delivery: NoticeDelivery = "queued";
    try {
      delivery = await record(row, await send(row));
    } finally {
      deps.outbox.settle(row.id, delivery);
    }
    return true;
  }

  /** Closed rows older than a week go (at start, then hourly): the outbox is a queue, not a record. */
  let prunedAt = 0;
  async function prune(): Promise<void> {
    const now = deps.clock.now().getTime();
    if (now - prunedAt < 3600_000) return;
    prunedAt = now;
    await pruneNotices(db, new Date(now - 7 * DAY_MS).toISOString());
  }

  const loop = (async () => {
    try {
      // Rows a killed process was sending are owed again.
      const released = await releaseClaims(db);
      if (released > 0) log.warn({ released }, "notices left sending by a stop are sent again");
    } catch (e) {
      log.error({ error: e instanceof Error ? e.name : "unknown" }, "outbox start-up failed");
    }
    while (!stopping.signal.aborted) {
      try {
        if (!(await step())) {
          await prune();
          if (!idleWait.woken) opts.onIdle?.();
          await idle(opts.pollMs ?? 2_000);
        }
      } catch (e) {
        if (stopping.signal.aborted) break;
        log.error({ error: e instanceof Error ? e.name : "unknown" }, "outbox step failed");
        await idle(1_000);
      }
    }
  })();

  let stopped: Promise<void> | undefined;
  return {
    stop() {
      stopped ??= (async () => {
        unlisten();
        stopping.abort(new Error("stopping"));
        // The message in flight may finish (no duplicate); a stuck one is abandoned and sent on the next start.
        const grace = setTimeout(() => sendAbort.abort(new Error("stopping")), 5_000);
        await loop;
        clearTimeout(grace);
      })();
      return stopped;
    },
  };
}
