import { sql, type Kysely } from "kysely";

// Frozen once landed: add a new migration instead of editing this one.
// Telegram's language_code of the person's app, kept from their last update: someone who never chose a language
// is written to in it (if it is kk or ru) also when the bot writes first — broadcasts, reminders, decisions.

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- migrations must not depend on today's schema
export async function up(db: Kysely<any>): Promise<void> {
  await sql`ALTER TABLE users ADD COLUMN language_code TEXT NULL`.execute(db);
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- see up()
export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable("users").dropColumn("language_code").execute();
}
