import { GrammyError, type Api, type RawApi } from "grammy";

/** How staff can reach an applicant: their Telegram name and @username (personal data: cards only, never logs). */
export interface ApplicantContact {
  name: string;
  username: string | null;
}

// The bot stores no names (users holds ids and settings), so the card asks Telegram. One getChat per applicant per
// ten minutes at most: a reviewer going back and forth on a card does not ask again.
const TTL_MS = 10 * 60_000;
const MAX_ENTRIES = 500;

/** Applicants' names as Telegram has them, cached briefly; one per bot. */
export class ApplicantContacts {
  private readonly cache = new Map<number, { until: number; contact: ApplicantContact | null }>();

  private remember(userId: number, contact: ApplicantContact | null, nowMs: number): void {
    this.cache.delete(userId);
    this.cache.set(userId, { until: nowMs + TTL_MS, contact });
    // Oldest first in a Map: the first key is the one to let go.
    if (this.cache.size > MAX_ENTRIES) {
      const oldest = this.cache.keys().next();
      if (!oldest.done) this.cache.delete(oldest.value);
    }
  }

  /** The person asked for their data to be deleted: their name is not kept here either. */
  forget(userId: number): void {
    this.cache.delete(userId);
  }

  /**
   * The applicant's name as Telegram has it now, or null: the card then shows the Telegram id alone. A chat Telegram
   * does not know (the person deleted their account) is remembered like a name; a rate limit, a server error or a
   * network failure is not, and never fails the card. Errors are not logged here: the caller's card still works.
   */
  async contact(api: Api<RawApi>, userId: number, nowMs: number): Promise<ApplicantContact | null> {
    const hit = this.cache.get(userId);
    if (hit && hit.until > nowMs) return hit.contact;
    try {
      const chat = await api.getChat(userId);
      const contact =
        chat.type === "private"
          ? {
              name: [chat.first_name, chat.last_name].filter((p) => p !== undefined && p !== "").join(" "),
              username: chat.username ?? null,
            }
          : null;
      this.remember(userId, contact, nowMs);
      return contact;
    } catch (err) {
      if (err instanceof GrammyError && err.error_code === 400) this.remember(userId, null, nowMs);
      return null;
    }
  }
}
