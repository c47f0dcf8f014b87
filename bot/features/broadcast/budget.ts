import type { Transformer } from "grammy";

/**
 * The broadcast's share of Telegram's global limit. The bot's own messages (replies, notices, conversation steps)
 * are charged to every running broadcast worker, so the broadcast yields to people, never the reverse.
 */
const SENDING = /^(send(?!ChatAction)|copyMessage|forwardMessage)/i;
const workers = new Set<(n: number) => void>();

export function isSending(method: string): boolean {
  return SENDING.test(method);
}

/** A worker's bucket listens for the bot's own messages; returns the way to stop listening. */
export function onBotSend(charge: (n: number) => void): () => void {
  workers.add(charge);
  return () => void workers.delete(charge);
}

export function chargeBotSend(n = 1): void {
  for (const charge of workers) charge(n);
}

/** For an Api whose every call is real (bot.api): each message sent is charged. */
export const chargeBotSends: Transformer = (prev, method, payload, signal) => {
  if (isSending(method)) chargeBotSend();
  return prev(method, payload, signal);
};

/**
 * For conversations, whose Api is built afresh for each update and which replay their earlier calls from a log
 * through the same transformers: calls are counted per update they belong to, in order (a replay repeats that
 * order), and only those beyond the count already charged are real. One counter map per conversation.
 */
export function liveSendCharger(maxUpdates = 2_000): (updateId: number) => Transformer {
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
          chargeBotSend();
        }
      }
      return prev(method, payload, signal);
    };
  };
}
