import { describe, expect, it } from "vitest";
import { takeToken, TokenBucket } from "../../../bot/features/broadcast/pacer.js";

/** Drives the bucket with a fake clock: each sleep moves time forward. */
function fakeTime(start = 0) {
  let t = start;
  return {
    now: () => t,
    sleep: (ms: number) => {
      t += ms;
      return Promise.resolve();
    },
    advance: (ms: number) => (t += ms),
  };
}

async function sendTimes(bucket: TokenBucket, clock: ReturnType<typeof fakeTime>, n: number): Promise<number[]> {
  const times: number[] = [];
  for (let i = 0; i < n; i++) {
    await takeToken(bucket, clock.now, clock.sleep);
    times.push(clock.now());
  }
  return times;
}

/** The most sends in any sliding window of `windowMs` (Telegram's way of counting). */
function maxInWindow(times: number[], windowMs = 1000): number {
  let best = 0;
  for (let i = 0; i < times.length; i++) {
    const start = times[i] ?? 0;
    best = Math.max(best, times.filter((t) => t >= start && t < start + windowMs).length);
  }
  return best;
}

describe("token bucket pacer", () => {
  it("sends at the configured rate: 28 a second over ten seconds", async () => {
    const clock = fakeTime();
    const bucket = new TokenBucket(28, 1, clock.now());
    const times = await sendTimes(bucket, clock, 281);
    // 1 at once, then one every 1/28 s: 280 more take 10 s.
    expect(times.at(-1)).toBeGreaterThanOrEqual(9_990);
    expect(times.at(-1)).toBeLessThanOrEqual(10_100);
  });

  it("never exceeds burst + rate in any sliding second, so 28/s stays under Telegram's 30", async () => {
    const clock = fakeTime();
    const bucket = new TokenBucket(28, 1, clock.now());
    const times = await sendTimes(bucket, clock, 200);
    expect(maxInWindow(times)).toBeLessThanOrEqual(29);
  });

  it("allows a burst after idling, no more than `burst` at once", async () => {
    const clock = fakeTime();
    const bucket = new TokenBucket(10, 5, clock.now());
    clock.advance(10_000);
    const times = await sendTimes(bucket, clock, 8);
    expect(times.slice(0, 5).every((t) => t === 10_000)).toBe(true);
    expect(times[5]).toBe(10_100);
    expect(times[7]).toBe(10_300);
  });

  it("pauses the whole sender on a 429 for retry_after, then resumes at the rate without a burst", async () => {
    const clock = fakeTime();
    const bucket = new TokenBucket(28, 1, clock.now());
    await sendTimes(bucket, clock, 3);
    const at429 = clock.now();
    bucket.pauseUntil(at429 + 3_000);
    expect(bucket.isPaused(clock.now())).toBe(true);
    expect(bucket.tryTake(clock.now())).toBe(3_000);
    const after = await sendTimes(bucket, clock, 4);
    expect(after[0]).toBeGreaterThanOrEqual(at429 + 3_000);
    expect(maxInWindow(after, 100)).toBeLessThanOrEqual(3);
    expect((after[3] ?? 0) - (after[0] ?? 0)).toBeGreaterThanOrEqual(Math.floor((3 * 1000) / 28));
  });

  it("a shorter pause does not shorten a longer one", () => {
    const bucket = new TokenBucket(28, 1, 0);
    bucket.pauseUntil(5_000);
    bucket.pauseUntil(1_000);
    expect(bucket.tryTake(2_000)).toBe(3_000);
  });

  it("the bot's own replies take their share: the broadcast yields", async () => {
    const clock = fakeTime();
    const bucket = new TokenBucket(28, 1, clock.now());
    await sendTimes(bucket, clock, 28);
    const before = clock.now();
    bucket.debit(14, clock.now()); // a busy second of replies
    const times = await sendTimes(bucket, clock, 14);
    // Those 14 broadcast messages wait for the 14 replies' worth of budget too: about a second instead of half.
    expect((times.at(-1) ?? 0) - before).toBeGreaterThanOrEqual(990);
  });

  it("caps the debt at one second so a flood of replies slows but never stalls the broadcast", () => {
    const bucket = new TokenBucket(28, 1, 0);
    bucket.debit(10_000, 0);
    expect(bucket.tryTake(0)).toBeLessThanOrEqual(1_100);
  });

  it("rejects nonsense settings", () => {
    expect(() => new TokenBucket(0, 1, 0)).toThrow(RangeError);
    expect(() => new TokenBucket(28, 0, 0)).toThrow(RangeError);
  });
});
