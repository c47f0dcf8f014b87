import { sql, type Kysely } from "kysely";

// Frozen once landed: add a new migration instead of editing this one.
// The same update inbox as SQLite's 0017-update-inbox.

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- migrations must not depend on today's schema
export async function up(db: Kysely<any>): Promise<void> {
  await sql`CREATE TABLE update_inbox (
    first_id bigint PRIMARY KEY,
    last_id bigint NOT NULL,
    size integer NOT NULL,
    received_at text collate "C" NOT NULL,
    batch text NOT NULL)`.execute(db);
  await sql`CREATE INDEX update_inbox_received ON update_inbox (received_at)`.execute(db);
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- see up()
export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable("update_inbox").execute();
}
