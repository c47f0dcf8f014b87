import { autoRetry } from "@grammyjs/auto-retry";
import { Api, GrammyError, type Transformer } from "grammy";
import { markRecipient, type BroadcastRow, type QueuedRecipient } from "../../../data/repositories/broadcasts.js";
import { markBlocked } from "../../../data/repositories/users.js";
import type { Policy } from "../../../rules/index.js";
import type { Deps } from "../../context.js";
import { errorClass } from "./errors.js";
import { languageFor, outgoingFor } from "./message.js";
import type { TokenBucket } from "./pacer.js";
import { withoutRetries } from "../../telegram-fetch.js";

export type Outcome = { kind: "sent" } | { kind: "blocked" } | { kind: "retry" | "failed"; error: string };

/** Every raw 429 pauses the whole sender for retry_after: installed inside auto-retry, so it sees each one. */
function pauseOn429(bucket: TokenBucket, now: () => number, counted: () => void): Transformer {
  return async (prev, method, payload, signal) => {
    const res = await prev(method, payload, signal);
    if (!res.ok && res.error_code === 429) {
      counted();
      bucket.pauseUntil(now() + (res.parameters?.retry_after ?? 1) * 1000);
    }
    return res;
  };
}

/**
 * The sender's own Api, paced by its bucket: auto-retry is capped, so a long retry_after comes back as an error, the
 * sender pauses and the recipient is retried later; the bot's own messages are debited from the same bucket, so the
 * broadcast yields to replies, never the reverse. Returns the Api and the way to stop listening to the bot.
 */
export function pacedApi(
  deps: Pick<Deps, "sendBudget" | "metrics">,
  botApi: Api,
  bucket: TokenBucket,
  now: () => number,
  retry: { maxRetryAttempts: number; maxDelaySeconds: number },
): { api: Api; detach: () => void } {
  const api = new Api(botApi.token, { ...botApi.options, fetch: withoutRetries(botApi.options?.fetch) });
  api.config.use(pauseOn429(bucket, now, () => deps.metrics.broadcast429.inc()));
  api.config.use(autoRetry(retry));
  return { api, detach: deps.sendBudget.onBotSend((n) => bucket.debit(n, now())) };
}

export interface Delivery {
  api: Api;
  bucket: TokenBucket;
  now: () => number;
  maxAttempts: number;
  /** Interrupts a call in flight (only when it outlives the stop's grace period). */
  signal: AbortSignal;
}

/** One message to one recipient, in the language they use now if the broadcast has it. */
export async function deliver(
  deps: Pick<Deps, "i18n" | "log">,
  d: Delivery,
  b: BroadcastRow,
  r: QueuedRecipient,
  policy: Policy | null,
): Promise<Outcome> {
  const out = outgoingFor(b, languageFor(b, r.languageNow, r.language), deps.i18n, policy);
  // grammY types its signal parameter with the abort-controller shim; Node's own signal is what it uses at runtime.
  const signal = d.signal as unknown as Parameters<Api["sendMessage"]>[3];
  const formatting = (key: "entities" | "caption_entities") => ({
    ...(out.entities ? { [key]: out.entities } : {}),
    ...(out.parseMode ? { parse_mode: out.parseMode } : {}),
  });
  try {
    if (out.photo)
      await d.api.sendPhoto(r.user_id, out.photo, { caption: out.text, ...formatting("caption_entities") }, signal);
    else await d.api.sendMessage(r.user_id, out.text, formatting("entities"), signal);
    return { kind: "sent" };
  } catch (e) {
    if (e instanceof GrammyError && e.error_code === 403) return { kind: "blocked" };
    if (e instanceof GrammyError && e.error_code === 400) {
      // A 400 ("chat not found": an account deleted or never started) fails the same way every time: no retries.
      deps.log.warn({ broadcast: b.id, attempt: r.attempts + 1, error: errorClass(e) }, "broadcast message refused");
      return { kind: "failed", error: errorClass(e) };
    }
    if (e instanceof GrammyError && e.error_code === 429)
      d.bucket.pauseUntil(d.now() + (e.parameters.retry_after ?? 1) * 1000);
    else if (!(e instanceof GrammyError) || e.error_code >= 500) d.bucket.pauseUntil(d.now() + 1000 * r.attempts);
    const error = errorClass(e);
    deps.log.warn({ broadcast: b.id, attempt: r.attempts + 1, error }, "broadcast message not sent");
    return { kind: r.attempts + 1 >= d.maxAttempts ? "failed" : "retry", error };
  }
}

/** The recipient's row after the call: sent, blocked (and the subscriber with it), back in the queue, or failed. */
export async function record(
  deps: Pick<Deps, "db" | "clock" | "metrics">,
  r: QueuedRecipient,
  outcome: Outcome,
): Promise<void> {
  const { db } = deps;
  deps.metrics.broadcastMessages.inc({ outcome: outcome.kind });
  const at = deps.clock.now().toISOString();
  if (outcome.kind === "blocked") {
    await db.transaction().execute(async (trx) => {
      await markRecipient(trx, r.id, "blocked", at, "403 forbidden");
      await markBlocked(trx, r.user_id);
    });
  } else if (outcome.kind === "retry") {
    // Back in the queue; the row keeps the last error's class.
    await markRecipient(db, r.id, "pending", at, outcome.error);
  } else if (outcome.kind === "failed") {
    await markRecipient(db, r.id, "failed", at, outcome.error);
  } else {
    await markRecipient(db, r.id, "sent", at, null);
  }
}
