/**
 * A background worker's wait for work: it ends on a wake-up, on the worker's stop, or after a while. A wake-up that
 * comes while the worker is busy is remembered, so work queued during a step is never left waiting; a stop that came
 * during a step has already fired its abort event, so it is checked before waiting.
 */
export class IdleWait {
  #woken = false;
  #wake: () => void = () => {
    this.#woken = true;
  };

  constructor(private readonly stopping: AbortSignal) {}

  /** A wake-up came since the last wait (the worker looks again at once). */
  get woken(): boolean {
    return this.#woken;
  }

  wake(): void {
    this.#wake();
  }

  wait(ms: number): Promise<void> {
    return new Promise<void>((resolve) => {
      if (this.#woken || this.stopping.aborted) {
        this.#woken = false;
        return resolve();
      }
      const done = () => {
        clearTimeout(timer);
        this.#wake = () => {
          this.#woken = true;
        };
        this.stopping.removeEventListener("abort", done);
        resolve();
      };
      const timer = setTimeout(done, ms);
      this.#wake = done;
      this.stopping.addEventListener("abort", done, { once: true });
    });
  }
}
