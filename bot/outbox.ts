import type { InlineKeyboardButton } from "grammy/types";
import type { OutboxKind, OutboxRow } from "../data/repositories/outbox.js";
import type { Deps } from "./context.js";

/** A queued message made into what Telegram gets, in the recipient's language at the moment it is sent. */
export interface RenderedNotice {
  text: string;
  keyboard?: InlineKeyboardButton[][];
}

/** Null: nothing to say any more (the row is closed unsent). */
export type NoticeRenderer = (deps: Deps, row: OutboxRow) => Promise<RenderedNotice | null>;

export type NoticeRenderers = Partial<Record<OutboxKind, NoticeRenderer>>;

/** Each outbox kind's renderer, declared by the feature that owns the message (Feature.notices). */
export class NoticeRegistry {
  private readonly renderers = new Map<string, NoticeRenderer>();

  constructor(all: readonly NoticeRenderers[]) {
    for (const set of all) {
      for (const [kind, render] of Object.entries(set)) {
        if (this.renderers.has(kind)) throw new Error(`two features render the outbox kind ${kind}`);
        this.renderers.set(kind, render);
      }
    }
  }

  get(kind: string): NoticeRenderer | undefined {
    return this.renderers.get(kind);
  }
}

/** What became of a queued message's first try; "queued": it is still owed and will be retried. */
export type NoticeDelivery = "sent" | "blocked" | "failed" | "queued";

const RECENT = 500;

/**
 * "Something was queued": wakes this bot's outbox worker at once (it also looks on its own every few seconds), and
 * lets a handler wait for the first try of the rows it just committed, so a reviewer hears whether the applicant
 * was reached and a person's confirmation keeps its place among the replies of their chat.
 */
export class OutboxWake {
  private readonly wakers = new Set<() => void>();
  private readonly waiting = new Map<number, ((d: NoticeDelivery) => void)[]>();
  /** Outcomes of rows tried lately: the worker may reach a row between its commit and the handler's wait. */
  private readonly recent = new Map<number, NoticeDelivery>();

  listen(wake: () => void): () => void {
    this.wakers.add(wake);
    return () => void this.wakers.delete(wake);
  }

  notify(): void {
    for (const wake of this.wakers) wake();
  }

  /** Wakes the worker and waits, at most `ms`, for each row's first try; "queued" at once when no worker runs. */
  async delivered(ids: readonly number[], ms = 15_000): Promise<NoticeDelivery[]> {
    if (ids.length === 0) return [];
    if (this.wakers.size === 0) return ids.map(() => "queued");
    const each = ids.map(
      (id) =>
        new Promise<NoticeDelivery>((resolve) => {
          const known = this.recent.get(id);
          if (known) return resolve(known);
          this.waiting.set(id, [...(this.waiting.get(id) ?? []), resolve]);
        }),
    );
    // A worker held up (a long retry_after, a slow chat) does not hold the handler: the row stays owed.
    const timer = setTimeout(() => {
      for (const id of ids) this.settle(id, "queued", false);
    }, ms);
    timer.unref();
    this.notify();
    try {
      return await Promise.all(each);
    } finally {
      clearTimeout(timer);
    }
  }

  /** The worker: a row is being tried again, so what its last try came to is no answer any more. */
  trying(id: number): void {
    this.recent.delete(id);
  }

  /** The worker: a row's try ended so. */
  settle(id: number, d: NoticeDelivery, remember = true): void {
    if (remember) {
      this.recent.set(id, d);
      if (this.recent.size > RECENT) this.recent.delete(this.recent.keys().next().value ?? id);
    }
    const list = this.waiting.get(id);
    if (!list) return;
    this.waiting.delete(id);
    for (const resolve of list) resolve(d);
  }
}
