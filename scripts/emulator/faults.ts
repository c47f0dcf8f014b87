// Fault injection (forced errors, latency) and optional enforcement of Telegram's broadcast limits.
import { ApiError } from "./errors.js";

export interface FaultRule {
  /** Method name(s), case-insensitive. Omitted: every method except getUpdates. */
  method?: string | readonly string[];
  /** Only calls whose chat_id is this chat. */
  chatId?: number | string;
  /** How many matching calls are affected (default 1; Infinity for "until removed"). */
  times?: number;
  /** Answer with this error instead of running the method. */
  error?: { code: number; description?: string; retryAfter?: number };
  /** Delay the answer by this many milliseconds (combined with `error` or alone). */
  latencyMs?: number;
}

export interface FaultHandle {
  /** Matching calls still to be affected. */
  remaining(): number;
  /** Settles when a call first matches, before any latency: the call is then in hand. */
  hit: Promise<void>;
  remove(): void;
}

export interface RateLimitOptions {
  /** Messages per second across all chats (Telegram: about 30). */
  global?: number;
  /** Messages per second in one chat (Telegram: about 1). */
  perChat?: number;
  /** Window length, default 1000 ms. */
  windowMs?: number;
}

export interface Stats {
  calls: Record<string, number>;
  errors: Record<string, number>;
  tooManyRequests: number;
}

/** Methods that send a message and so count towards the limits. */
export const SENDING = /^(send(?!chataction)|copymessage|forwardmessage)/i;

const DEFAULT_DESCRIPTION: Record<number, string> = {
  400: "Bad Request",
  401: "Unauthorized",
  403: "Forbidden: bot was blocked by the user",
  404: "Not Found",
  500: "Internal Server Error",
  502: "Bad Gateway",
  503: "Service Unavailable",
};

interface ActiveRule extends FaultRule {
  left: number;
  onHit: () => void;
}

export class Faults {
  private rules: ActiveRule[] = [];
  rateLimit: RateLimitOptions | undefined;
  private globalWindow: number[] = [];
  private chatWindows = new Map<string, number[]>();
  readonly stats: Stats = { calls: {}, errors: {}, tooManyRequests: 0 };

  constructor(private readonly now: () => number) {}

  inject(rule: FaultRule): FaultHandle {
    let onHit = () => undefined as void;
    const hit = new Promise<void>((resolve) => (onHit = resolve));
    const active: ActiveRule = { ...rule, left: rule.times ?? 1, onHit };
    this.rules.push(active);
    return {
      remaining: () => active.left,
      hit,
      remove: () => {
        this.rules = this.rules.filter((r) => r !== active);
      },
    };
  }

  clear(): void {
    this.rules = [];
  }

  /** Runs before the method: may wait (latency) and/or throw the injected error. */
  async apply(method: string, chatId: number | string | undefined): Promise<void> {
    const lower = method.toLowerCase();
    for (const rule of this.rules) {
      if (rule.left <= 0 || !matches(rule, lower, chatId)) continue;
      rule.left -= 1;
      rule.onHit();
      if (rule.left <= 0) this.rules = this.rules.filter((r) => r !== rule);
      if (rule.latencyMs) await new Promise((r) => setTimeout(r, rule.latencyMs));
      if (rule.error) {
        const { code, retryAfter } = rule.error;
        const description =
          rule.error.description ??
          (code === 429 ? `Too Many Requests: retry after ${retryAfter ?? 1}` : (DEFAULT_DESCRIPTION[code] ?? "Error"));
        throw new ApiError(code, description, code === 429 ? { retry_after: retryAfter ?? 1 } : undefined);
      }
    }
  }

  /** Sliding-window check of the broadcast limits; records the message when it passes. */
  checkRate(method: string, chatId: number | string | undefined): void {
    const rl = this.rateLimit;
    if (!rl || !SENDING.test(method)) return;
    const now = this.now();
    const windowMs = rl.windowMs ?? 1000;
    const prune = (w: number[]) => {
      while (w.length > 0 && (w[0] ?? 0) <= now - windowMs) w.shift();
    };
    prune(this.globalWindow);
    const key = String(chatId ?? "");
    const chatWindow = this.chatWindows.get(key) ?? [];
    prune(chatWindow);
    const over = (w: number[], max: number | undefined) => max !== undefined && w.length >= max;
    const blocking = over(chatWindow, rl.perChat)
      ? chatWindow
      : over(this.globalWindow, rl.global)
        ? this.globalWindow
        : undefined;
    if (blocking) {
      const retryAfter = Math.max(1, Math.ceil(((blocking[0] ?? now) + windowMs - now) / 1000));
      throw new ApiError(429, `Too Many Requests: retry after ${retryAfter}`, { retry_after: retryAfter });
    }
    this.globalWindow.push(now);
    chatWindow.push(now);
    this.chatWindows.set(key, chatWindow);
  }

  count(method: string, errorCode: number | undefined): void {
    this.stats.calls[method] = (this.stats.calls[method] ?? 0) + 1;
    if (errorCode === undefined) return;
    this.stats.errors[String(errorCode)] = (this.stats.errors[String(errorCode)] ?? 0) + 1;
    if (errorCode === 429) this.stats.tooManyRequests += 1;
  }
}

function matches(rule: FaultRule, method: string, chatId: number | string | undefined): boolean {
  if (rule.method === undefined) {
    if (method === "getupdates") return false;
  } else {
    const names = typeof rule.method === "string" ? [rule.method] : rule.method;
    if (!names.some((n) => n.toLowerCase() === method)) return false;
  }
  return rule.chatId === undefined || String(rule.chatId) === String(chatId);
}
