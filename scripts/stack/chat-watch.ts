// Waiting for bot messages at scale: one emulator listener dispatching by chat, so ten thousand waiting users
// cost one predicate call per message instead of ten thousand (the emulator's own waitFor checks them all).
import type { EditEvent, Emulator, StoredMessage } from "../emulator/index.js";

interface Waiter {
  predicate: (m: StoredMessage) => boolean;
  resolve: (m: StoredMessage) => void;
  reject: (e: Error) => void;
  timer: NodeJS.Timeout;
}

export class ChatWatch {
  private readonly waiters = new Map<number, Waiter>();
  private readonly onMessage = (m: StoredMessage) => this.check(m);
  private readonly onEdit = (e: EditEvent) => this.check(e.message);

  constructor(private readonly tg: Emulator) {
    tg.on("message", this.onMessage);
    tg.on("edit", this.onEdit);
  }

  /** The next bot message or edit in this chat that matches (only what arrives after the call). */
  next(chatId: number, predicate: (m: StoredMessage) => boolean, timeoutMs = 120_000): Promise<StoredMessage> {
    if (this.waiters.has(chatId)) throw new Error(`chat ${chatId} already has a waiter`);
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        this.waiters.delete(chatId);
        const last = this.tg.user({ id: chatId }).transcript().split("\n").slice(-3).join("\n");
        reject(new Error(`chat ${chatId}: no expected reply within ${timeoutMs} ms; last:\n${last}`));
      }, timeoutMs);
      this.waiters.set(chatId, { predicate, resolve, reject, timer });
    });
  }

  close(): void {
    this.tg.off("message", this.onMessage);
    this.tg.off("edit", this.onEdit);
    for (const w of this.waiters.values()) clearTimeout(w.timer);
    this.waiters.clear();
  }

  private check(m: StoredMessage): void {
    const w = this.waiters.get(m.chat.id);
    if (!w || !w.predicate(m)) return;
    clearTimeout(w.timer);
    this.waiters.delete(m.chat.id);
    w.resolve(m);
  }
}
