import { sql, type Kysely } from "kysely";

// Frozen once landed: add a new migration instead of editing this one.
// A submitted draft was known by user and revision, but a person's next draft starts again at revision 1: the same
// number of steps gave the same key and the new application came back as the old request. Each draft now gets a
// random token when it is created; drafts stored before this migration get one at their next save.

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- migrations must not depend on today's schema
export async function up(db: Kysely<any>): Promise<void> {
  await sql`ALTER TABLE drafts ADD COLUMN token TEXT NULL`.execute(db);
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- see up()
export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable("drafts").dropColumn("token").execute();
}
