import type { Api, RawApi } from "grammy";

const LIMIT = 10_000; // abandoned questions must not pile up

/**
 * Which messages of an asked question still show buttons, per chat: wrong input repeats a question and only its
 * newest copy keeps the buttons; /cancel takes them off the waiting one. In memory, one per bot: after a restart at
 * most one older copy keeps its buttons, which is harmless (every copy's buttons answer the same question).
 */
export class QuestionMessages {
  // The newest copy of each asked question, by chat and the question's first message (the same on every replay).
  private readonly copies = new Map<string, number>();
  // The question waiting in each chat, by its first message.
  private readonly waiting = new Map<number, number>();
  // Presses a waiting question found behind the draft, by update id: the flow resumes from the draft for them.
  private readonly behind = new Set<number>();

  /** A question with buttons was asked (or asked again on replay) in this chat. */
  asked(chatId: number, first: number): void {
    if (this.waiting.size > LIMIT) this.waiting.clear();
    this.waiting.set(chatId, first);
  }

  /** A repeat was sent: returns the copy before it, whose buttons go. */
  repeated(chatId: number, first: number, sent: number): number {
    const key = `${chatId}:${first}`;
    const previous = this.copies.get(key) ?? first;
    if (this.copies.size > LIMIT) this.copies.clear();
    this.copies.set(key, sent);
    return previous;
  }

  /** The question was answered: returns the copy still showing buttons (the first or the newest repeat). */
  answered(chatId: number, first: number): number {
    const key = `${chatId}:${first}`;
    const live = this.copies.get(key) ?? first;
    this.copies.delete(key);
    if (this.waiting.get(chatId) === first) this.waiting.delete(chatId);
    return live;
  }

  /** /cancel: the waiting question's buttons (its first message and newest copy) go, since nothing answers them now. */
  async dropWaiting(api: Api<RawApi>, chatId: number): Promise<void> {
    const first = this.waiting.get(chatId);
    if (first === undefined) return;
    const newest = this.answered(chatId, first);
    for (const id of new Set([first, newest])) await api.editMessageReplyMarkup(chatId, id).catch(() => undefined);
  }

  /** A waiting question passed this update on, to be resumed from the draft. */
  markBehind(updateId: number): void {
    if (this.behind.size > 1000) this.behind.clear(); // ids not taken (an error downstream) must not pile up
    this.behind.add(updateId);
  }

  /** True (once) when the waiting question passed this update on to be resumed from the draft. */
  takeBehind(updateId: number): boolean {
    return this.behind.delete(updateId);
  }
}
