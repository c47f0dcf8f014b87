import type { Transformer } from "grammy";

/**
 * The broadcast's share of Telegram's global limit. The bot's own messages (replies, notices, conversation steps)
 * are charged to every running broadcast worker of this bot, so the broadcast yields to people, never the reverse.
 * One per bot (in deps): two bots in one process never charge each other.
 */
const SENDING = /^(send(?!ChatAction)|copyMessage|forwardMessage)/i;

export function isSending(method: string): boolean {
  return SENDING.test(method);
}

export class SendBudget {
  private readonly workers = new Set<(n: number) => void>();

  /** A worker's bucket listens for the bot's own messages; returns the way to stop listening. */
  onBotSend(charge: (n: number) => void): () => void {
    this.workers.add(charge);
    return () => void this.workers.delete(charge);
  }

  charge(n = 1): void {
    for (const charge of this.workers) charge(n);
  }

  /** For an Api whose every call is real (bot.api): each message sent is charged. */
  readonly chargeBotSends: Transformer = (prev, method, payload, signal) => {
    if (isSending(method)) this.charge();
    return prev(method, payload, signal);
  };

  /**
   * For conversations, whose Api is built afresh for each update and which replay their earlier calls from a log
   * through the same transformers: calls are counted per update they belong to, in order (a replay repeats that
   * order), and only those beyond the count already charged are real. One charger per conversation.
   */
  liveSendCharger(maxUpdates = 2_000): (updateId: number) => Transformer {
    const charged = new Map<number, number>();
    return (updateId) => {
      let seen = 0;
      return (prev, method, payload, signal) => {
        if (isSending(method)) {
          seen += 1;
          if (seen > (charged.get(updateId) ?? 0)) {
            charged.delete(updateId); // re-inserted last: the map drops the least recently used first
            charged.set(updateId, seen);
            if (charged.size > maxUpdates) charged.delete(charged.keys().next().value ?? updateId);
            this.charge();
          }
        }
        return prev(method, payload, signal);
      };
    };
  }
}

/** "Something was queued or resumed": wakes this bot's broadcast worker(s) at once instead of at their next look. */
export class BroadcastWake {
  private readonly wakers = new Set<() => void>();

  listen(wake: () => void): () => void {
    this.wakers.add(wake);
    return () => void this.wakers.delete(wake);
  }

  notify(): void {
    for (const wake of this.wakers) wake();
  }
}

/**
 * "The rules changed": this bot's scheduler runs a step at once (a campaign just confirmed has its reminder due
 * now), and whoever changed them waits for it, so what they see next already follows the new rules.
 */
export class SchedulerWake {
  private readonly steps = new Set<() => Promise<void>>();

  listen(step: () => Promise<void>): () => void {
    this.steps.add(step);
    return () => void this.steps.delete(step);
  }

  async notify(): Promise<void> {
    await Promise.all([...this.steps].map((step) => step()));
  }
}
