import { sql, type Kysely } from "kysely";

// Frozen once landed: add a new migration instead of editing this one.
// Deep links (`t.me/<bot>?start=c_<clinic>`): starts by a clinic's link counted per clinic and Almaty day (no one's
// id is kept with them), and the link a person opened before choosing a language, kept until they choose it (the
// bot asks the language first and then opens what the link asked for, across restarts).

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- migrations must not depend on today's schema
export async function up(db: Kysely<any>): Promise<void> {
  await db.transaction().execute(async (trx) => {
    await sql`CREATE TABLE link_starts (
      clinic_id TEXT NOT NULL, day TEXT NOT NULL, n INTEGER NOT NULL,
      PRIMARY KEY (clinic_id, day)) WITHOUT ROWID`.execute(trx);
    // /stats reads a range of days for every clinic of a scope.
    await sql`CREATE INDEX link_starts_day ON link_starts (day, clinic_id)`.execute(trx);
    await sql`CREATE TABLE pending_links (
      user_id INTEGER PRIMARY KEY, link TEXT NOT NULL, created_at TEXT NOT NULL)`.execute(trx);
  });
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- see up()
export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable("pending_links").execute();
  await db.schema.dropTable("link_starts").execute();
}
