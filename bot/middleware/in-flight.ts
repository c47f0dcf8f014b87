import type { Context, MiddlewareFn } from "grammy";

/**
 * Counts updates being handled. The runner's stop() resolves when fetching ends, not when the handlers do, so
 * shutdown waits here too: a graceful stop must not cut an update between its reply and its state write.
 */
export class InFlight {
  private count = 0;
  private waiters: (() => void)[] = [];

  middleware<C extends Context>(): MiddlewareFn<C> {
    return async (_ctx, next) => {
      this.count += 1;
      try {
        await next();
      } finally {
        this.count -= 1;
        if (this.count === 0) for (const w of this.waiters.splice(0)) w();
      }
    };
  }

  idle(): Promise<void> {
    return this.count === 0 ? Promise.resolve() : new Promise((resolve) => this.waiters.push(resolve));
  }
}
