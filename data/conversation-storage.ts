import type { Store } from "./db.js";
import { isSealed } from "./vault.js";

/** A key/value adapter for @grammyjs/conversations v2 over the conversation_state table. */
export interface KeyValueAdapter<T> {
  read(key: string): Promise<T | undefined>;
  write(key: string, value: T): Promise<void>;
  delete(key: string): Promise<void>;
}

/**
 * The state is sealed as a whole: it replays raw updates, with what people typed (an IIN), their names and captions.
 * A row written before sealing still reads (the start-up step seals those).
 */
export function conversationAdapter<T>(store: Store): KeyValueAdapter<T> {
  const { db, vault } = store;
  return {
    async read(key) {
      const row = await db.selectFrom("conversation_state").select("value").where("key", "=", key).executeTakeFirst();
      if (!row) return undefined;
      return JSON.parse(isSealed(row.value) ? vault.open(row.value, "conversation") : row.value) as T;
    },
    async write(key, value) {
      const text = vault.seal(JSON.stringify(value), "conversation");
      await db
        .insertInto("conversation_state")
        .values({ key, value: text })
        .onConflict((oc) => oc.column("key").doUpdateSet({ value: text }))
        .execute();
    },
    async delete(key) {
      await db.deleteFrom("conversation_state").where("key", "=", key).execute();
    },
  };
}
