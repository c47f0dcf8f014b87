import type { Store } from "./db.js";
import type { UnitOfWork } from "./unit-of-work.js";
import { isSealed } from "./vault.js";

/** A key/value adapter for @grammyjs/conversations v2 over the conversation_state table. */
export interface KeyValueAdapter<T> {
  read(key: string): Promise<T | undefined>;
  write(key: string, value: T): Promise<void>;
  delete(key: string): Promise<void>;
}

/** Conversation state is keyed by chat; a private chat's id is the person's Telegram id. */
export const CONVERSATION_PREFIX = "conv:";

export function conversationKey(chatId: number): string {
  return `${CONVERSATION_PREFIX}${chatId}`;
}

const cacheKey = (key: string) => `state:${key}`;

function openText({ vault }: Store, value: string): string {
  return isSealed(value) ? vault.open(value, "conversation") : value;
}

/** The update's unit starts with the chat's state as read with the update's other first reads. */
export function primeConversationState(store: Store, uow: UnitOfWork, key: string, value: string | undefined): void {
  if (uow.open && !uow.has(cacheKey(key)))
    uow.remember(cacheKey(key), value === undefined ? null : openText(store, value));
}

/**
 * The state is sealed as a whole: it replays raw updates, with what people typed (an IIN), their names and captions.
 * A row written before sealing still reads (the start-up step seals those).
 *
 * While an update of the key's chat runs (`unitFor`), the state is read once and written with the update's other
 * writes at its end (data/unit-of-work.ts); otherwise (scripts, workers) at once.
 */
export function conversationAdapter<T>(
  store: Store,
  unitFor: (key: string) => UnitOfWork | undefined = () => undefined,
): KeyValueAdapter<T> {
  const { db, vault } = store;
  async function readText(key: string): Promise<string | undefined> {
    const row = await db.selectFrom("conversation_state").select("value").where("key", "=", key).executeTakeFirst();
    return row ? openText(store, row.value) : undefined;
  }
  async function writeText(target: Store["db"], key: string, text: string | null): Promise<void> {
    if (text === null) {
      await target.deleteFrom("conversation_state").where("key", "=", key).execute();
      return;
    }
    const value = vault.seal(text, "conversation");
    await target
      .insertInto("conversation_state")
      .values({ key, value })
      .onConflict((oc) => oc.column("key").doUpdateSet({ value }))
      .execute();
  }
  function stage(uow: UnitOfWork, key: string, text: string | null): void {
    uow.remember(cacheKey(key), text);
    uow.stage(cacheKey(key), (trx) => writeText(trx, key, uow.get<string | null>(cacheKey(key)) ?? null));
  }
  return {
    async read(key) {
      const uow = unitFor(key);
      let text: string | null | undefined;
      if (uow?.has(cacheKey(key))) text = uow.get<string | null>(cacheKey(key));
      else {
        text = await readText(key);
        uow?.remember(cacheKey(key), text ?? null);
      }
      return text == null ? undefined : (JSON.parse(text) as T);
    },
    async write(key, value) {
      const text = JSON.stringify(value);
      const uow = unitFor(key);
      if (uow) stage(uow, key, text);
      else await writeText(db, key, text);
    },
    async delete(key) {
      const uow = unitFor(key);
      if (uow) stage(uow, key, null);
      else await writeText(db, key, null);
    },
  };
}
