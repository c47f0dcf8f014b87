import { sql, type Kysely } from "kysely";
import { EPOCH_TABLES } from "../0016-cache-epochs.js";

// Frozen once landed: add a new migration instead of editing this one.
// The same cache epochs as SQLite's 0016-cache-epochs, with statement triggers: a bulk import raises the counter once.

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- migrations must not depend on today's schema
export async function up(db: Kysely<any>): Promise<void> {
  // The migrator runs each PostgreSQL migration in a transaction of its own (transactional DDL).
  await sql`CREATE TABLE cache_epochs (name text collate "C" PRIMARY KEY, epoch bigint NOT NULL)`.execute(db);
  await sql`CREATE FUNCTION cache_epoch_raise() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
      UPDATE cache_epochs SET epoch = epoch + 1 WHERE name = TG_ARGV[0];
      RETURN NULL;
    END $$`.execute(db);
  for (const [name, tables] of Object.entries(EPOCH_TABLES)) {
    await sql`INSERT INTO cache_epochs (name, epoch) VALUES (${name}, 1)`.execute(db);
    for (const table of tables)
      await sql
        .raw(
          `CREATE TRIGGER ${table}_epoch AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON ${table}
           FOR EACH STATEMENT EXECUTE FUNCTION cache_epoch_raise('${name}')`,
        )
        .execute(db);
  }
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- see up()
export async function down(db: Kysely<any>): Promise<void> {
  for (const tables of Object.values(EPOCH_TABLES))
    for (const table of tables) await sql.raw(`DROP TRIGGER IF EXISTS ${table}_epoch ON ${table}`).execute(db);
  await sql`DROP FUNCTION IF EXISTS cache_epoch_raise()`.execute(db);
  await db.schema.dropTable("cache_epochs").execute();
}
