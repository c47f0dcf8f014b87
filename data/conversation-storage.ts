import type { Db } from "./db.js";

/** A key/value adapter for @grammyjs/conversations v2 over the conversation_state table. */
export interface KeyValueAdapter<T> {
  read(key: string): Promise<T | undefined>;
  write(key: string, value: T): Promise<void>;
  delete(key: string): Promise<void>;
}

export function conversationAdapter<T>(db: Db): KeyValueAdapter<T> {
  return {
    async read(key) {
      const row = await db.selectFrom("conversation_state").select("value").where("key", "=", key).executeTakeFirst();
      return row ? (JSON.parse(row.value) as T) : undefined;
    },
    async write(key, value) {
      const text = JSON.stringify(value);
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
