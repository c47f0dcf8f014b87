import { Pool } from "undici";

/** The fetch grammY calls: `undiciFetch` by default, the test's own where a test passes one. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- grammY's fetch option is typed this loosely
export type Fetch = (url: string, init?: any) => Promise<any>;

/** What grammY and the retries read of an answer. */
export interface FetchAnswer {
  status: number;
  ok: boolean;
  json(): Promise<unknown>;
  text(): Promise<string>;
  clone(): FetchAnswer;
}

/** The answer handed back, unread, for a call whose caller reads nothing of a success (see `FetchInit`). */
const UNREAD_SUCCESS = '{"ok":true,"result":true}';

/** What a fetch of this module is given: fetch's own fields, and whether the caller reads a successful answer. */
export interface FetchInit {
  method?: string;
  headers?: Record<string, string>;
  body?: unknown;
  signal?: AbortSignal;
  /**
   * The caller reads nothing of a successful answer (an edit's message, say): the body of a 200 is drained without
   * being decoded, and the answer says `true`, as Telegram answers for an inline message. A 200 always carries ok;
   * any other status is read as usual.
   */
  resultUnread?: boolean;
}

/**
 * The Bot API over undici, on a keep-alive connection pool per origin: grammY's default (node-fetch 2 on Node's
 * http) cost 125 µs of CPU a call against 58 µs here, measured on a 1 KB sendMessage against a local server, and the
 * HTTP client was the second biggest part of an update. grammY only posts (JSON, or a multipart stream for an upload)
 * and reads the answer's JSON, so the body is read whole once and can be read again (a 429's retry_after).
 */
export function undiciFetch(timeoutSeconds?: number): Fetch {
  const pools = new Map<string, Pool>();
  // Each attempt of a call is bounded here, waiting for the answer and reading it (the calls posted without grammY's
  // client have no other bound; grammY's own also bounds the others).
  const timeout =
    timeoutSeconds === undefined ? {} : { headersTimeout: timeoutSeconds * 1000, bodyTimeout: timeoutSeconds * 1000 };
  return async (url: string, init?: FetchInit) => {
    // grammY's URLs are the API root, then the path: split without a URL object per call.
    const at = url.indexOf("/", url.indexOf("//") + 2);
    const origin = at < 0 ? url : url.slice(0, at);
    let pool = pools.get(origin);
    if (!pool) pools.set(origin, (pool = new Pool(origin, { keepAliveTimeout: 30_000, ...timeout })));
    const path = at < 0 ? "/" : url.slice(at);
    const res = await pool.request({
      path,
      method: (init?.method ?? "GET") as "GET",
      headers: init?.headers,
      body: init?.body as string | undefined,
      signal: init?.signal,
    });
    if (init?.resultUnread && res.statusCode === 200) {
      // Read to its end all the same, so the connection is kept for the next call.
      for await (const chunk of res.body) void chunk;
      return answer(200, UNREAD_SUCCESS);
    }
    if (!path.endsWith("/getUpdates")) return answer(res.statusCode, await res.body.text());
    const bytes = await res.body.bytes();
    const raw = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
    return answer(res.statusCode, raw.toString("utf8"), raw);
  };
}

const RAW_BODY = Symbol("the answer's body as it came");

/**
 * A polled batch's body as Telegram sent it (undiciFetch only): the update inbox seals these bytes as they are,
 * rather than encoding the parsed updates again.
 */
export function rawBodyOf(answer: unknown): Uint8Array | undefined {
  return typeof answer === "object" && answer !== null ? (answer as { [RAW_BODY]?: Uint8Array })[RAW_BODY] : undefined;
}

function parsed(text: string, raw: Uint8Array | undefined): unknown {
  const data = JSON.parse(text) as unknown;
  if (raw && typeof data === "object" && data !== null) Object.defineProperty(data, RAW_BODY, { value: raw });
  return data;
}

function answer(status: number, text: string, raw?: Uint8Array): FetchAnswer {
  const self: FetchAnswer = {
    status,
    ok: status >= 200 && status < 300,
    json: () => Promise.resolve().then(() => parsed(text, raw)),
    text: () => Promise.resolve(text),
    clone: () => self,
  };
  return self;
}

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
 * are retried (a file upload's body is a stream that cannot be sent twice). grammY's own timeout bounds the whole of
 * a call made through its client; a call posted directly (bot/telegram-direct.ts) is bounded attempt by attempt.
 */
export function retryingFetch(inner: Fetch = undiciFetch(), opts: RetryOptions): Fetch {
  const sleep = opts.sleep ?? realSleep;
  const wrapped: Wrapped = async (url, init) => {
    const retryable = typeof init?.body === "string";
    for (let attempt = 1; ; attempt++) {
      const last = !retryable || attempt >= opts.attempts;
      let res;
      try {
        res = await inner(url, init);
      } catch (err) {
        if (last || init?.signal?.aborted || timedOut(err)) throw err;
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

/**
 * The connection's bound ran out (undiciFetch with a timeout): the request went out and Telegram may have acted on it,
 * so sending it again could show a message twice, and the call's time is spent. Not retried.
 */
function timedOut(err: unknown): boolean {
  const code = (err as { code?: unknown } | null)?.code;
  return code === "UND_ERR_HEADERS_TIMEOUT" || code === "UND_ERR_BODY_TIMEOUT";
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
