/**
 * A token bucket for the broadcast sender: `rate` messages a second, at most `burst` at once. Pure: every method
 * takes the current time in milliseconds, so tests drive it with a fake clock.
 *
 * Telegram counts messages in sliding one-second windows; a bucket allows `burst + rate` in any such window, so the
 * burst stays small (1 by default) and the rate just under the limit, leaving headroom for the bot's own replies.
 */
export class TokenBucket {
  private tokens: number;
  private last: number;
  private pausedUntil = 0;

  constructor(
    readonly rate: number,
    readonly burst: number,
    now: number,
  ) {
    if (!(rate > 0) || !(burst >= 1)) throw new RangeError("rate must be > 0 and burst ≥ 1");
    this.tokens = burst;
    this.last = now;
  }

  private refill(now: number): void {
    if (now > this.last) {
      this.tokens = Math.min(this.burst, this.tokens + ((now - this.last) * this.rate) / 1000);
      this.last = now;
    }
  }

  /** Takes a token and returns 0, or returns how many milliseconds to wait before asking again. */
  tryTake(now: number): number {
    if (now < this.pausedUntil) return this.pausedUntil - now;
    this.refill(now);
    if (this.tokens >= 1) {
      this.tokens -= 1;
      return 0;
    }
    return Math.max(1, Math.ceil(((1 - this.tokens) * 1000) / this.rate));
  }

  /**
   * Someone else used the budget (the bot's own replies): the sender gets that much less. The debt is capped at one
   * second's worth so a busy bot slows a broadcast down but never stalls it for long.
   */
  debit(n: number, now: number): void {
    this.refill(now);
    this.tokens = Math.max(this.tokens - n, -this.rate);
  }

  /** A 429 pauses the whole sender, not one message: nothing is taken before `until`. */
  pauseUntil(until: number): void {
    if (until > this.pausedUntil) this.pausedUntil = until;
    // What would have accumulated during the pause must not come out as a burst afterwards.
    this.tokens = Math.min(this.tokens, 0);
    this.last = Math.max(this.last, until);
  }

  isPaused(now: number): boolean {
    return now < this.pausedUntil;
  }
}

export type Sleep = (ms: number, signal?: AbortSignal) => Promise<void>;

/** Resolves after `ms`, or at once (rejecting) when the signal aborts. */
export const realSleep: Sleep = (ms, signal) =>
  new Promise<void>((resolve, reject) => {
    if (signal?.aborted) return reject(signal.reason as Error);
    const timer = setTimeout(() => {
      signal?.removeEventListener("abort", onAbort);
      resolve();
    }, ms);
    const onAbort = () => {
      clearTimeout(timer);
      reject(signal?.reason as Error);
    };
    signal?.addEventListener("abort", onAbort, { once: true });
  });

/** Waits until the bucket gives a token. */
export async function takeToken(
  bucket: TokenBucket,
  now: () => number,
  sleep: Sleep,
  signal?: AbortSignal,
): Promise<void> {
  for (;;) {
    const wait = bucket.tryTake(now());
    if (wait === 0) return;
    await sleep(wait, signal);
  }
}
