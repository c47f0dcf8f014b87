import nodeFetch from "node-fetch";

/** The fetch grammY calls: node-fetch by default, the test's own where a test passes one. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- grammY's fetch option is typed this loosely
export type Fetch = (url: string, init?: any) => Promise<any>;

export interface RetryOptions {
  /** Attempts in all, the first included. */
  attempts: number;
  /** A 429 asking to wait longer than this is returned as it is: the caller decides. */
  maxDelaySeconds: number;
  sleep?: (ms: number) => Promise<void>;
}

const INNER = Symbol("inner fetch");
type Wrapped = Fetch & { [INNER]?: Fetch };

const realSleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/**
 * Retries a Bot API call on 429 (after retry_after), 5xx and network errors, a few times and briefly, below grammY:
 * a conversation records only the final answer in its replay log, so a replay never waits again. Only JSON calls
 * are retried (a file upload's body is a stream that cannot be sent twice); grammY's own timeout bounds the whole.
 */
export function retryingFetch(inner: Fetch = nodeFetch, opts: RetryOptions): Fetch {
  const sleep = opts.sleep ?? realSleep;
  const wrapped: Wrapped = async (url, init) => {
    const retryable = typeof init?.body === "string";
    for (let attempt = 1; ; attempt++) {
      const last = !retryable || attempt >= opts.attempts;
      let res;
      try {
        res = await inner(url, init);
      } catch (err) {
        if (last || init?.signal?.aborted) throw err;
        await sleep(500 * attempt);
        continue;
      }
      if (last || (res.status !== 429 && res.status < 500)) return res;
      const wait = res.status === 429 ? await retryAfter(res) : attempt;
      if (wait > opts.maxDelaySeconds) return res;
      await sleep(wait * 1000);
    }
  };
  wrapped[INNER] = inner;
  return wrapped;
}

async function retryAfter(res: { clone(): { json(): Promise<unknown> } }): Promise<number> {
  const body = (await res
    .clone()
    .json()
    .catch(() => null)) as { parameters?: { retry_after?: unknown } } | null;
  const s = body?.parameters?.retry_after;
  return typeof s === "number" && s >= 0 ? s : 1;
}

/** The fetch below the retries: the broadcast sender paces itself on every raw 429. */
export function withoutRetries(fetch: Fetch | undefined): Fetch | undefined {
  return fetch ? ((fetch as Wrapped)[INNER] ?? fetch) : undefined;
}
