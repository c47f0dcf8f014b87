import { sql, type Kysely } from "kysely";

// Frozen once landed: add a new migration instead of editing this one.
// The update inbox: in polling mode, each batch of updates Telegram returns is stored (sealed) before the next
// getUpdates confirms it, so updates still being handled when the process dies are handled after the restart. A row
// is one batch, named by its first and last update ids, with its number of updates: once as many processed marks
// fall in its range, it is done and pruned.

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- migrations must not depend on today's schema
export async function up(db: Kysely<any>): Promise<void> {
  await sql`CREATE TABLE update_inbox (
    first_id INTEGER PRIMARY KEY,
    last_id INTEGER NOT NULL,
    size INTEGER NOT NULL,
    received_at TEXT NOT NULL,
    batch TEXT NOT NULL)`.execute(db);
  await sql`CREATE INDEX update_inbox_received ON update_inbox (received_at)`.execute(db);
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- see up()
export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable("update_inbox").execute();
}
