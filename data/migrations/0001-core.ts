import type { Kysely } from "kysely";

// Frozen once landed: add a new migration instead of editing this one.
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- migrations must not depend on today's schema
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable("users")
    .addColumn("id", "integer", (c) => c.primaryKey())
    .addColumn("language", "text")
    .addColumn("first_seen", "text", (c) => c.notNull())
    .addColumn("last_seen", "text", (c) => c.notNull())
    .addColumn("blocked", "integer", (c) => c.notNull().defaultTo(0))
    .addColumn("subscribed", "integer", (c) => c.notNull().defaultTo(1))
    .execute();
  await db.schema
    .createTable("processed_updates")
    .addColumn("update_id", "integer", (c) => c.primaryKey())
    .addColumn("processed_at", "text", (c) => c.notNull())
    .execute();
  await db.schema.createIndex("processed_updates_at").on("processed_updates").column("processed_at").execute();
  await db.schema
    .createTable("conversation_state")
    .addColumn("key", "text", (c) => c.primaryKey())
    .addColumn("value", "text", (c) => c.notNull())
    .execute();
  await db.schema
    .createTable("settings")
    .addColumn("key", "text", (c) => c.primaryKey())
    .addColumn("value", "text", (c) => c.notNull())
    .addColumn("updated_at", "text", (c) => c.notNull())
    .addColumn("updated_by", "integer")
    .execute();
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- see up()
export async function down(db: Kysely<any>): Promise<void> {
  for (const t of ["settings", "conversation_state", "processed_updates", "users"]) {
    await db.schema.dropTable(t).execute();
  }
}
