// The update queue, long polling and webhook delivery. Semantics follow the Bot API docs:
// an update stays queued (and is redelivered, to any poller) until confirmed by a getUpdates offset
// above its id, or until a webhook answers 2xx. At-least-once, never exactly-once. A webhook gets up to its
// max_connections updates at once, one per chat at a time.
import { ApiError, CONFLICT_POLLING, CONFLICT_WEBHOOK, badRequest } from "./errors.js";

type Update = Record<string, unknown> & { update_id: number };

/** Types Telegram leaves out unless allowed_updates names them explicitly. */
const OPT_IN = new Set(["chat_member", "message_reaction", "message_reaction_count"]);

interface Poller {
  limit: number;
  finish: (r: Update[] | ApiError) => void;
}

export interface WebhookConfig {
  url: string;
  secret_token?: string;
  max_connections: number;
  allowed_updates?: string[];
}

export interface WebhookStatus {
  lastErrorDate?: number;
  lastErrorMessage?: string;
  deliveries: number;
}

interface QueueEntry {
  update: Update;
  delivered: number;
  /** A failed webhook delivery is tried again from then (epoch ms). */
  retryAt?: number;
}

/** The chat an update belongs to, for one-at-a-time webhook delivery per chat ("" when it has none). */
function chatOf(update: Update): string {
  for (const [key, value] of Object.entries(update)) {
    if (key === "update_id" || typeof value !== "object" || value === null) continue;
    const v = value as { chat?: { id?: unknown }; message?: { chat?: { id?: unknown } }; from?: { id?: unknown } };
    const id = v.chat?.id ?? v.message?.chat?.id ?? v.from?.id;
    if (id !== undefined) return String(id);
  }
  return "";
}

/** Executes a method from a webhook reply body (`{ method, ...params }`). */
export type WebhookReplyRunner = (method: string, params: Record<string, unknown>) => Promise<void>;

export class UpdateQueue {
  private readonly queue: QueueEntry[] = [];
  private nextId: number;
  private allowed: string[] | undefined;
  private poller: Poller | undefined;
  webhook: WebhookConfig | undefined;
  readonly webhookStatus: WebhookStatus = { deliveries: 0 };
  private readonly inFlight = new Set<QueueEntry>();
  private readonly busyChats = new Set<string>();
  private readonly retryTimers = new Set<NodeJS.Timeout>();
  private closed = false;

  constructor(
    private readonly opts: {
      firstUpdateId?: number;
      webhookRetryMs?: number;
      unixNow: () => number;
      onWebhookReply?: WebhookReplyRunner;
      /** A long-poll request started waiting (the bot is up and idle). */
      onPollerWaiting?: () => void;
    },
  ) {
    this.nextId = opts.firstUpdateId ?? 100_000_001;
  }

  get isPolling(): boolean {
    return this.poller !== undefined;
  }

  get pendingCount(): number {
    return this.queue.length;
  }

  /** Queues an update; returns its id, or undefined when allowed_updates filters it out. */
  push(input: Record<string, unknown>): number | undefined {
    const explicit = typeof input["update_id"] === "number" ? input["update_id"] : undefined;
    const update: Update = { ...input, update_id: explicit ?? this.nextId };
    if (explicit === undefined || explicit >= this.nextId) this.nextId = update.update_id + 1;
    if (!this.isAllowed(update)) return undefined;
    this.queue.push({ update, delivered: 0 });
    if (this.webhook) this.kickWebhook();
    else this.wakePoller();
    return update.update_id;
  }

  private isAllowed(u: Update): boolean {
    const type = Object.keys(u).find((k) => k !== "update_id");
    if (type === undefined) return false;
    const allowed = this.webhook?.allowed_updates ?? this.allowed;
    return allowed && allowed.length > 0 ? allowed.includes(type) : !OPT_IN.has(type);
  }

  getUpdates(
    p: { offset?: number; limit?: number; timeout?: number; allowed_updates?: unknown },
    signal: AbortSignal,
  ): Promise<Update[]> {
    if (this.webhook) throw new ApiError(409, CONFLICT_WEBHOOK);
    // A newer poller wins; the older one learns it was terminated.
    this.poller?.finish(new ApiError(409, CONFLICT_POLLING));
    this.poller = undefined;
    if (Array.isArray(p.allowed_updates)) this.allowed = p.allowed_updates.map(String);
    this.confirm(p.offset ?? 0);
    const limit = Math.min(Math.max(p.limit ?? 100, 1), 100);
    const ready = this.take(limit);
    const timeout = p.timeout ?? 0;
    if (ready.length > 0 || timeout <= 0 || this.closed) return Promise.resolve(ready);
    return new Promise<Update[]>((resolve, reject) => {
      const poller: Poller = {
        limit,
        finish: (r) => {
          clearTimeout(timer);
          signal.removeEventListener("abort", onAbort);
          if (this.poller === poller) this.poller = undefined;
          if (r instanceof ApiError) reject(r);
          else resolve(r);
        },
      };
      const timer = setTimeout(() => poller.finish([]), timeout * 1000);
      // A client that went away (bot stopped or crashed) takes nothing: its updates stay queued.
      const onAbort = () => poller.finish([]);
      signal.addEventListener("abort", onAbort, { once: true });
      this.poller = poller;
      this.opts.onPollerWaiting?.();
    });
  }

  private confirm(offset: number): void {
    if (offset > 0) {
      // Only updates the bot has seen can be confirmed, so a replay pushed with an old id still arrives.
      for (let i = this.queue.length - 1; i >= 0; i--) {
        const e = this.queue[i];
        if (e && e.delivered > 0 && e.update.update_id < offset) this.queue.splice(i, 1);
      }
    } else if (offset < 0) {
      this.queue.splice(0, Math.max(0, this.queue.length + offset));
    }
  }

  private take(limit: number): Update[] {
    const batch = this.queue.slice(0, limit);
    for (const e of batch) e.delivered += 1;
    return batch.map((e) => e.update);
  }

  private wakePoller(): void {
    const p = this.poller;
    if (!p) return;
    const ready = this.take(p.limit);
    if (ready.length > 0) p.finish(ready);
  }

  dropPending(): void {
    this.queue.length = 0;
  }

  setWebhook(cfg: WebhookConfig, dropPending: boolean): void {
    if (!/^https?:\/\//.test(cfg.url)) throw badRequest("bad webhook: An HTTPS URL must be provided for webhook");
    if (cfg.secret_token !== undefined && !/^[A-Za-z0-9_-]{1,256}$/.test(cfg.secret_token)) {
      throw badRequest("secret token contains unallowed characters");
    }
    this.poller?.finish(new ApiError(409, "Conflict: terminated by setWebhook request"));
    if (dropPending) this.dropPending();
    this.webhook = cfg;
    this.stopRetryWait();
    this.kickWebhook();
  }

  deleteWebhook(dropPending: boolean): void {
    this.webhook = undefined;
    this.stopRetryWait();
    if (dropPending) this.dropPending();
  }

  /**
   * Starts deliveries up to the webhook's max_connections at once, oldest first, one update per chat at a time: an
   * update waits while an earlier one of its chat is in flight or waiting to be retried, so a chat's order holds.
   */
  private kickWebhook(): void {
    const hook = this.webhook;
    if (!hook || this.closed) return;
    const now = Date.now();
    const blocked = new Set<string>(this.busyChats);
    for (const entry of this.queue) {
      if (this.inFlight.size >= hook.max_connections) break;
      const chat = chatOf(entry.update);
      if (this.inFlight.has(entry) || blocked.has(chat)) {
        blocked.add(chat);
        continue;
      }
      blocked.add(chat);
      if ((entry.retryAt ?? 0) > now) continue;
      void this.deliver(entry, hook, chat);
    }
  }

  /** One delivery; a failed one is retried after webhookRetryMs. */
  private async deliver(entry: QueueEntry, hook: WebhookConfig, chat: string): Promise<void> {
    this.inFlight.add(entry);
    this.busyChats.add(chat);
    entry.delivered += 1;
    let failure: string | undefined;
    try {
      const res = await fetch(hook.url, {
        method: "POST",
        headers: {
          "content-type": "application/json",
          ...(hook.secret_token ? { "x-telegram-bot-api-secret-token": hook.secret_token } : {}),
        },
        body: JSON.stringify(entry.update),
      });
      const body = await res.text();
      if (res.ok) {
        this.webhookStatus.deliveries += 1;
        const i = this.queue.indexOf(entry);
        if (i >= 0) this.queue.splice(i, 1);
        await this.runWebhookReply(body);
      } else {
        failure = `Wrong response from the webhook: ${res.status} ${res.statusText}`;
      }
    } catch (e) {
      failure = `Connection refused${e instanceof Error ? ` (${e.message})` : ""}`;
    } finally {
      this.inFlight.delete(entry);
      this.busyChats.delete(chat);
    }
    if (failure !== undefined) {
      this.webhookStatus.lastErrorDate = this.opts.unixNow();
      this.webhookStatus.lastErrorMessage = failure;
      const retryMs = this.opts.webhookRetryMs ?? 50;
      entry.retryAt = Date.now() + retryMs;
      const timer = setTimeout(() => {
        this.retryTimers.delete(timer);
        // Due now, whatever Date.now() says: a timer may fire a millisecond before the wall clock reaches retryAt.
        entry.retryAt = undefined;
        this.kickWebhook();
      }, retryMs);
      this.retryTimers.add(timer);
    }
    this.kickWebhook();
  }

  private async runWebhookReply(body: string): Promise<void> {
    if (!body.trim().startsWith("{") || !this.opts.onWebhookReply) return;
    try {
      const parsed = JSON.parse(body) as unknown;
      if (typeof parsed === "object" && parsed !== null && "method" in parsed && typeof parsed.method === "string") {
        const { method, ...params } = parsed as Record<string, unknown> & { method: string };
        await this.opts.onWebhookReply(method, params);
      }
    } catch {
      // Telegram ignores unparsable webhook reply bodies too.
    }
  }

  /** Updates waiting to be retried go at once (a new webhook, or the emulator closing). */
  private stopRetryWait(): void {
    for (const t of this.retryTimers) clearTimeout(t);
    this.retryTimers.clear();
    for (const e of this.queue) e.retryAt = undefined;
  }

  close(): void {
    this.closed = true;
    this.stopRetryWait();
    this.poller?.finish([]);
  }
}
